// stagebench explain IMAGE...: where every byte of an image comes from, and what to change in the Dockerfile.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { choiceValue, parseCommandArgs } from '../args.ts';
import { connectEngine } from '../engine/connect.ts';
import type { Engine } from '../engine/engine.ts';
import { EXIT, UsageError } from '../errors.ts';
import { readImageAndCompressedSize } from '../explain/compressed-size.ts';
import { explainImage, type Explanation } from '../explain/explain.ts';
import { sideOfExplanation, waterfallOf, type CompositionSide } from '../explain/waterfall.ts';
import { waterfallCsv, waterfallText } from '../explain/waterfall-format.ts';
import { explainCsv, explainText } from '../explain/format.ts';
import { explainFromEngine } from '../explain/read-image.ts';
import { imageRef } from '../engine/labels.ts';
import { buildRequest } from '../phases/build.ts';
import { resolveProfile, scenarioNeeds } from '../profile/profile.ts';
import { selectScenarios } from '../scenario/load.ts';
import { checkSecretsAllowed, secretsAllowed, type SecretsAllowed } from '../scenario/secrets.ts';
import type { Command } from './command.ts';

const HELP = `Usage: stagebench explain IMAGE... [--format text|json|csv] [--lockfile FILE] [--scenarios DIR]
       stagebench explain A B [--each] [--format text|json|csv]

Where every byte of an image comes from. IMAGE is a local image (name:tag or id), or SCENARIO/VARIANT for a
scenario's image (stagebench/SCENARIO:VARIANT, built on the engine when missing). The image is read through the
engine's export, as the built-in scanner reads it, and explain reports:
  size by layer with the instruction that made it, by top-level folder, the largest files;
  node_modules split into production dependencies and devDependencies (from --lockfile, the lockfile in the image,
  or the app's package.json), the largest packages, duplicated package versions;
  OS packages by installed size, the build toolchain summed apart; caches that should not ship;
  wasted bytes (files a later layer deleted or overwrote) and dive's efficiency score;
  a verdict: the three biggest avoidable costs, each with the Dockerfile change that removes it.

With two images A and B: the waterfall from A to B. Their sizes, uncompressed (docker images) and compressed (as a
push sends them, gzip of each layer), and the change in file bytes split into parts that add up to it exactly:
base image (the runtime), toolchain, devDependencies, caches, wasted bytes, app and production dependencies, each
with its share of the change and the Dockerfile lines (layers) that put those bytes in or took them out. For the
split of a multi-stage saving into "stages alone" and "base swap", explain single to multi-same-base (the control:
multi-stage on single's base) and multi-same-base to multi. docs/savings.md says how to read it.

Options:
  --format F       text (default), json, or csv (scenario, variant, category, bytes: composition.csv's columns;
                   for A B: from, to, part, bytes, share)
  --each           with two images, explain each one instead of the waterfall between them
  --lockfile FILE  a package-lock.json that tells devDependencies, instead of the one in the image
  --scenarios DIR  where SCENARIO/VARIANT is looked up (default scenarios)
  --secret-dir DIR, --secret-env NAME  where scenario.json's build.secrets may read, when SCENARIO/VARIANT is built
Exit codes: 0 done, 1 an image could not be read or built, 2 bad usage or input, 3 no engine.`;

const FORMATS = ['text', 'json', 'csv'] as const;

interface Target {
  arg: string;
  ref: string;
  scenario?: string;
  variant?: string;
}

async function ensureScenarioImage(engine: Engine, scenariosDir: string, t: Target, allowed: SecretsAllowed): Promise<void> {
  if (await engine.inspectImage(t.ref)) return;
  const [scenario] = selectScenarios(scenariosDir, [t.scenario!]);
  checkSecretsAllowed([scenario], allowed, 'explain');
  if (!scenario.variants[t.variant!]) {
    throw new UsageError(`stagebench explain: '${t.variant}' is not a variant of ${scenario.name}; its variants: ${Object.keys(scenario.variants).join(', ')}`);
  }
  const dockerfile = readFileSync(join(scenario.dir, scenario.variants[t.variant!].dockerfile), 'utf8');
  const { profile } = await resolveProfile(engine, 'auto', scenarioNeeds([{ scenario, dockerfiles: [dockerfile] }]));
  console.error(`explain: ${t.ref} is not on the engine; building it`);
  const outcome = await engine.build(buildRequest({ runId: `explain-${Date.now()}`, profile, builder: 'buildkit', scenario, variant: t.variant!, contextDir: scenario.dir }));
  if (!outcome.ok) throw new Error(`stagebench explain: building ${t.ref} failed: ${outcome.error}`);
}

async function explainPair(engine: Engine, scenariosDir: string, pair: [Target, Target], format: (typeof FORMATS)[number], allowed: SecretsAllowed, lockfile?: string): Promise<number> {
  const sides: CompositionSide[] = [];
  const explained: Explanation[] = [];
  for (const t of pair) {
    if (t.scenario) await ensureScenarioImage(engine, scenariosDir, t, allowed);
    const facts = await engine.inspectImage(t.ref);
    if (!facts) throw new UsageError(`stagebench explain: no image '${t.ref}' on the engine (${engine.address}); build or load it first, or give SCENARIO/VARIANT`);
    const { saved, compressedBytes } = await readImageAndCompressedSize(engine, t.ref);
    const e = explainImage(t.ref, saved, lockfile !== undefined ? { lockfile } : {});
    explained.push(e);
    sides.push(sideOfExplanation(t.arg, e, { imageBytes: facts.sizeBytes, compressedBytes }));
  }
  const w = waterfallOf(sides[0], sides[1]);
  if (format === 'json') console.log(JSON.stringify({ waterfall: w, explanations: explained }, null, 2));
  else if (format === 'csv') process.stdout.write(waterfallCsv([w]));
  else console.log(waterfallText(w));
  return EXIT.ok;
}

export const explainCommand: Command = {
  name: 'explain',
  summary: 'where every byte of an image comes from: layers, folders, dependencies, toolchain, caches, wasted; a verdict',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('explain', argv, {
      format: { type: 'string' }, lockfile: { type: 'string' }, scenarios: { type: 'string' }, 'secret-dir': { type: 'string', multiple: true }, 'secret-env': { type: 'string', multiple: true }, each: { type: 'boolean' },
    });
    const allowed = secretsAllowed(values['secret-dir'], values['secret-env']);
    if (positionals.length === 0) throw new UsageError(`stagebench explain takes one or more images (name:tag, id, or SCENARIO/VARIANT)\nSee 'stagebench explain --help'.`);
    const format = choiceValue('explain', 'format', values.format, FORMATS, 'text');
    let lockfile: string | undefined;
    if (typeof values.lockfile === 'string') {
      const path = resolve(values.lockfile);
      if (!existsSync(path)) throw new UsageError(`stagebench explain: --lockfile ${path} does not exist; give a package-lock.json`);
      lockfile = readFileSync(path, 'utf8');
      try {
        JSON.parse(lockfile);
      } catch {
        throw new UsageError(`stagebench explain: --lockfile ${path} is not JSON; give a package-lock.json (lockfileVersion 2 or 3)`);
      }
    }
    const scenariosDir = resolve(typeof values.scenarios === 'string' ? values.scenarios : 'scenarios');
    // SCENARIO/VARIANT has one slash and no tag or registry; anything else is an image reference.
    const targets: Target[] = positionals.map((arg) => {
      const m = /^([a-z0-9][\w.-]*)\/([\w.-]+)$/.exec(arg);
      if (m && existsSync(resolve(scenariosDir, m[1], 'scenario.json'))) return { arg, ref: imageRef(m[1], m[2]).ref, scenario: m[1], variant: m[2] };
      return { arg, ref: arg };
    });
    const engine = await connectEngine();
    if (targets.length === 2 && values.each !== true) return explainPair(engine, scenariosDir, targets as [Target, Target], format, allowed, lockfile);
    const done: Array<{ e: Explanation; scenario?: string; variant?: string }> = [];
    let failures = 0;
    for (const t of targets) {
      try {
        if (t.scenario) await ensureScenarioImage(engine, scenariosDir, t, allowed);
        else if (!(await engine.inspectImage(t.ref))) throw new UsageError(`stagebench explain: no image '${t.ref}' on the engine (${engine.address}); build or load it first, or give SCENARIO/VARIANT`);
        const e = await explainFromEngine(engine, t.ref, lockfile !== undefined ? { lockfile } : {});
        done.push({ e, scenario: t.scenario, variant: t.variant });
        if (format === 'text') console.log(`${explainText(e)}\n`);
      } catch (err) {
        if (err instanceof UsageError) throw err;
        failures++;
        console.error((err as Error).message);
      }
    }
    if (format === 'json') console.log(JSON.stringify(done.length === 1 ? done[0].e : done.map((d) => d.e), null, 2));
    if (format === 'csv') process.stdout.write(explainCsv(done));
    return failures > 0 ? EXIT.failed : EXIT.ok;
  },
};
