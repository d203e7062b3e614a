// stagebench init [DIR] [--from APP_DIR] [--name NAME]: a scenario folder made from an existing app, with what it
// guessed said plainly, checked, and the next command printed. Everything it writes is a plain file to edit.
import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { parseCommandArgs } from '../args.ts';
import { EXIT, StagebenchError, UsageError } from '../errors.ts';
import { analyzeApp, type AppFacts } from '../init/analyze-app.ts';
import { appIgnores, copyApp, makeDependencyChange, pinPnpm, writeDockerFiles } from '../init/create-scenario.ts';
import { walkApp, writeNew } from '../init/safe-write.ts';
import type { BaseImages } from '../init/templates.ts';
import { loadProfile } from '../profile/profile.ts';
import { defaultMajor, imagesFor, profileMajors } from '../scenario/node-major.ts';
import { checkScenario } from '../scenario/check.ts';
import { scriptApprovalMissing } from '../scenario/package-manager.ts';
import { PROFILE_NAMES, type Profile } from '../types.ts';
import type { Command } from './command.ts';
import { composeLines, composeRun, runWithCompose } from '../init/compose-file.ts';
import { checkText } from './scenarios.ts';

const HELP = `Usage: stagebench init [DIR] [--from APP_DIR] [--name NAME]

Makes DIR/NAME/ (DIR default ./bench-scenarios, APP_DIR default the current folder) from an existing Node.js app:
  - copies the app, leaving out what its .gitignore and .dockerignore leave out (never node_modules or .git)
  - detects the package manager (npm, yarn classic or berry, pnpm: packageManager field, then the lockfile), the build
    script, the start command, the port (and whether the app honours PORT) and a health path, and says how it guessed
  - keeps the app's own Dockerfile as variant "own" (FROM lines of official node images become profile ARGs)
  - writes Dockerfile.single, Dockerfile.multi and Dockerfile.distroless fitting the app, a .dockerignore when missing
  - makes the dependency change itself: adds a small pinned package with the app's own package manager in a
    temporary copy, so bench-changes/ holds a package.json and lockfile in sync
  - writes scenario.json, runs 'stagebench scenarios check' on the folder and prints the command to run next

Options:
  --from APP_DIR   the app's folder (default .)
  --name NAME      the scenario's name (default: package.json's name without its scope, else the folder's name)

Exit codes: 0 written and the check passed; 1 written, but the check found errors to fix; 2 bad usage (no
package.json in APP_DIR, DIR/NAME exists).`;

const NAME = /^[a-z0-9][a-z0-9._-]*$/;
const STAGE_SUFFIX = '.stagebench-init-';

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Removes the hidden folders of earlier inits of NAME whose process is gone (killed before it could clean up). */
function removeStaleStages(root: string, name: string): void {
  for (const entry of readdirSync(root)) {
    const m = entry.startsWith(`.${name}${STAGE_SUFFIX}`) ? /(\d+)$/.exec(entry) : null;
    if (!m) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') rmSync(join(root, entry), { recursive: true, force: true });
    }
  }
}

export function scenarioName(facts: Pick<AppFacts, 'name' | 'dir'>): string {
  const raw = (facts.name || basename(resolve(facts.dir))).replace(/^@[^/]+\//, '').toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '');
  return raw || 'app';
}

/** What init guessed, one line each, for the user to check. */
export function guessLines(f: AppFacts): string[] {
  const pm = f.packageManager;
  const lines = [
    `package manager  ${pm.manager.name} (${pm.reason}); installs with ${pm.lockfile ? pm.manager.frozenInstall : `${pm.manager.bin} install`}`,
    `build            ${f.buildScript ? pm.manager.run(f.buildScript) : 'none (no build script)'}`,
    `start            ${f.start.value.join(' ')} (${f.start.how})`,
    `port             ${f.port.value.port}${f.port.value.fromEnv ? ', from PORT' : ', fixed'} (${f.port.how})`,
    `health           GET ${f.health.value} -> 200 (${f.health.how})`,
    `source change    ${f.sourceFile.value} (${f.sourceFile.how})`,
    `own Dockerfile   ${f.ownDockerfile ?? 'none'}`,
  ];
  if (f.nextStandalone) lines.push('next.js          standalone output: runners copy .next/standalone');
  return lines;
}

/** The FROM lines init turned into profile ARGs, one line per distinct change (two stages on one image: said once). */
export function ownReplacedLines(replaced: Array<{ from: string; arg: string }>): string[] {
  const counts = new Map<string, number>();
  for (const r of replaced) {
    const key = `FROM ${r.from} -> \${${r.arg}}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => `Dockerfile.own: ${key}${n > 1 ? ` (${n} stages)` : ''}`);
}

/**
 * The run to try next. A default run measures single, multi and distroless only, so when the app's own Dockerfile is
 * a variant the command names every variant: the comparison with the team's own image is what init is for.
 */
export function nextRunCommand(scenarios: string, name: string, variants: string[]): string {
  const named = variants.includes('own') ? variants.map((v) => ` --variant ${v}`).join('') : '';
  return `stagebench run --scenarios ${scenarios} --scenario ${name}${named} --quick`;
}

/**
 * The Node major the scenario builds on: the one the app asks for when the online profile has its images (written
 * to scenario.json as `node`), else the profile's default. Pure.
 */
export function chooseNodeMajor(f: Pick<AppFacts, 'nodeMajor'>, online: Profile): { node?: number; base: BaseImages } {
  const asked = f.nodeMajor?.value;
  const images = asked !== undefined ? imagesFor(online, asked) : undefined;
  if (asked === undefined || !images || asked === defaultMajor(online)) return { base: { major: defaultMajor(online), images: online.images } };
  return { node: asked, base: { major: asked, images } };
}

/** Things the user must act on or know: Node major, native modules and install-script approval, env at start-up. */
export function adviceLines(f: AppFacts, profiles: Profile[] = []): string[] {
  const out = [...f.packageManager.warnings];
  const online = profiles.find((p) => p.name === 'online');
  if (f.nodeMajor && online && f.nodeMajor.value !== defaultMajor(online)) {
    const { node } = chooseNodeMajor(f, online);
    const lacking = profiles.filter((p) => !imagesFor(p, f.nodeMajor!.value));
    if (node !== undefined) {
      out.push(`the app asks for Node ${node} (${f.nodeMajor.how}): scenario.json says "node": ${node}, so every variant builds on the profiles' Node ${node} images${lacking.map((p) => `; the ${p.name} profile provides Node ${profileMajors(p).join(', ')} only${p.nodeNote ? ` (${p.nodeNote})` : ''}, so there a run stops with exit 3 until you remove "node" (to build on Node ${defaultMajor(p)})`).join('')}`);
    } else {
      out.push(`the app asks for Node ${f.nodeMajor.value} (${f.nodeMajor.how}), which no profile has images for (${profiles.map((p) => `${p.name}: ${profileMajors(p).join(', ')}`).join('; ')}): every variant builds on Node ${defaultMajor(online)}; set "node" in scenario.json to one of those majors to choose another`);
    }
  }
  if (f.nativeModules.length > 0) {
    const approval = scriptApprovalMissing(f.packageManager.manager.name, f.pkg, f.nativeModules);
    out.push(`native modules: ${f.nativeModules.join(', ')} compile at install time (node-gyp: python3, make, g++), so the builders use the full node image and the runners Debian, not alpine${approval ? `; ${approval}` : ''}`);
  }
  if (f.requiredEnv.length > 0) {
    out.push(`the app reads ${f.requiredEnv.join(', ')}: if it exits without them, set "run": {"env": {...}} in scenario.json (the container gets no other environment)`);
  }
  return out;
}

export const initCommand: Command = {
  name: 'init',
  summary: 'make a scenario folder from an existing app: Dockerfiles, scenario.json, dependency change, then check it',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('init', argv, { from: { type: 'string' }, name: { type: 'string' } });
    if (positionals.length > 1) throw new UsageError(`stagebench init takes one folder (DIR); got ${positionals.join(' ')}\nSee 'stagebench init --help'.`);
    const root = positionals[0] ?? 'bench-scenarios';
    const appDir = typeof values.from === 'string' ? values.from : '.';
    if (!existsSync(join(appDir, 'package.json')) || !statSync(appDir).isDirectory()) {
      throw new UsageError(`stagebench init: --from ${appDir} has no package.json; point --from at the app's folder (where its package.json is)`);
    }
    // The app is checked before it is read or anything is written: a FIFO or a link to /dev/zero would hang the reads.
    const entries = walkApp(resolve(appDir), appIgnores(resolve(appDir)), [resolve(root)]);
    const facts = analyzeApp(resolve(appDir));
    const name = typeof values.name === 'string' ? values.name : scenarioName(facts);
    if (!NAME.test(name)) throw new UsageError(`stagebench init: --name '${name}': lower-case letters, digits, ".", "_" and "-", starting with a letter or digit`);
    const dir = join(root, name);
    if (existsSync(dir) || isLink(dir)) throw new UsageError(`stagebench init: ${dir} already exists; remove it, or choose another --name`);
    // Everything is made in a hidden folder beside DIR/NAME and renamed into place at the end: interrupted, init leaves
    // no half-made scenario (the loader skips hidden folders) and the next init removes what a killed one left.
    mkdirSync(root, { recursive: true });
    removeStaleStages(root, name);
    const stage = join(root, `.${name}${STAGE_SUFFIX}${process.pid}`);
    mkdirSync(stage);
    const abort = new AbortController();
    const onSignal = (sig: NodeJS.Signals) => abort.abort(new StagebenchError(`stagebench init: interrupted (${sig}); nothing was written, run it again`, sig === 'SIGINT' ? EXIT.interrupted : EXIT.terminated));
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      // The scenarios folder may sit inside the app (the usual case in a team's own repository): never copy it in.
      const copy = copyApp(resolve(appDir), stage, [resolve(root)], entries);
      const pinned = pinPnpm(facts, stage);
      const profiles = PROFILE_NAMES.map((p) => loadProfile(p));
      const { node, base } = chooseNodeMajor(facts, profiles.find((p) => p.name === 'online')!);
      const written = writeDockerFiles(facts, stage, base, profiles);
      console.log(`stagebench init: ${relative('.', dir) || dir} from ${appDir} (${copy.copied} files copied${copy.left.length ? `, ${copy.left.length} left out by .gitignore/.dockerignore` : ''})`);
      for (const l of guessLines(facts)) console.log(`  ${l}`);
      if (pinned) console.log(`  ${pinned}`);
      for (const l of ownReplacedLines(written.ownReplaced)) console.log(`  ${l}`);
      if (written.ownLeftOut) {
        console.log(`  Dockerfile.own: written, but not a variant: ${written.ownLeftOut}. Fix it, then add "own": {"dockerfile": "Dockerfile.own"} to variants in scenario.json`);
      }
      console.log(`  adding a dependency with ${facts.packageManager.manager.bin} in a private copy of package.json and the lockfile ...`);
      const change = await makeDependencyChange(facts, stage, abort.signal);
      if (abort.signal.aborted) throw abort.signal.reason;
      const compose = composeRun(resolve(appDir));
      const run = runWithCompose(facts.port.value.fromEnv ? undefined : { port: facts.port.value.port }, compose);
      const scenario = {
        name,
        description: `${facts.name || name}: made by stagebench init from ${basename(resolve(appDir))}`,
        variants: written.variants,
        smoke: { method: 'GET', path: facts.health.value, status: 200, timeout_ms: 60000 },
        changes: {
          source: { file: facts.sourceFile.value, append: facts.sourceFile.value.endsWith('.json') ? ' ' : '\n// source change made by stagebench\n' },
          dependency: { replace: change.replace, description: `adds ${change.spec} (${change.command})` },
        },
        ...(node !== undefined ? { node } : {}),
        ...(run ? { run } : {}),
      };
      writeNew(stage, 'scenario.json', `${JSON.stringify(scenario, null, 2)}\n`);
      renameSync(stage, dir);
      console.log(`  wrote ${[...written.files, 'bench-changes/', 'scenario.json'].join(', ')}`);
      for (const l of composeLines(compose)) console.log(`  ${l}`);
      for (const a of adviceLines(facts, profiles)) console.log(`  note: ${a}`);
      const check = checkScenario(dir, profiles);
      console.log(checkText([check]));
      const scenarios = relative('.', root) || '.';
      console.log(check.valid
        ? `next: ${nextRunCommand(scenarios, name, Object.keys(written.variants))}`
        : `next: fix the errors above, then stagebench scenarios check --scenarios ${scenarios}`);
      return check.valid ? EXIT.ok : EXIT.failed;
    } catch (err) {
      // A folder half made is worse than none: the user runs init again after fixing what it said.
      rmSync(stage, { recursive: true, force: true });
      throw abort.signal.aborted ? abort.signal.reason : err;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};
