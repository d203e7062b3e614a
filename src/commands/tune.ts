// stagebench tune SCENARIO: which instruction throws the layer cache away on an everyday change, and what the
// reordered Dockerfile saves, measured.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { choiceValue, intValue, listValue, parseCommandArgs } from '../args.ts';
import { connectEngine } from '../engine/connect.ts';
import { EXIT, UsageError } from '../errors.ts';
import { writeFileAtomic } from '../tools/write-file.ts';
import { resolveProfile, scenarioNeeds, type ProfileChoice } from '../profile/profile.ts';
import { selectScenarios } from '../scenario/load.ts';
import { checkSecretsAllowed, secretsAllowed } from '../scenario/secrets.ts';
import { tuneJson, tuneText } from '../tune/format.ts';
import { runTune } from '../tune/measure.ts';
import { staticTune, type TuneReport } from '../tune/report.ts';
import { PROFILE_NAMES } from '../types.ts';
import type { Command } from './command.ts';

const FORMATS = ['text', 'json'] as const;

const HELP = `Usage: stagebench tune SCENARIO [--variant NAME]... [--scenarios DIR] [--iterations N] [--format text|json]
                       [--profile auto|online|offline] [--timeout SECONDS] [--out DIR] [--name-prefix P] [--static]
                       [--skip-cache-mount]

Reads the variant's Dockerfile and the scenario's .dockerignore and reports, each with its line:
  deps-after-context-copy     a dependency install after COPY . . (every source change reinstalls)
  npm-install-with-lockfile   npm install where a lockfile exists (use npm ci)
  install-not-frozen          yarn or pnpm install without --frozen-lockfile / --immutable where the lockfile exists
  unpinned-global-install     a global install without an exact version (npm i npm@latest -g)
  dockerignore-missing/-leaks no .dockerignore, or one that lets node_modules, .git, .env or build output in
  unnamed-stage               a stage of a multi-stage build without AS name
  toolchain-in-final-stage    compilers or devDependencies in the image that runs
  no-user                     the final stage runs as root
  context-copy-in-runner      the whole context copied into the final stage of a multi-stage build
  install-without-cache-mount a dependency install without RUN --mount=type=cache on the package manager's cache
Then, on the engine (BuildKit): which steps a source change and a dependency change (from scenario.json) rebuild and
what each costs; the build context with and without the .dockerignore; a reordered candidate Dockerfile (manifests
copied and dependencies installed before the sources), written to OUT/tune-SCENARIO-VARIANT-TIME/Dockerfile.candidate,
built and smoke-tested; and build-warm-src timed for the original and the candidate, interleaved, with the seconds
saved per source change. Where an install lacks a cache mount, a second candidate, Dockerfile.cache-mount (the
original with the mounts added), is built, smoke-tested and timed against the original, interleaved, on the
dependency change: on this engine with its build cache warm (build-warm-deps), and on a fresh CI runner (the
cache imported from a private registry, as build-ci does; this prunes the engine's build cache).
The build context is scenario.json's "context" subfolder when it names one, as in a run.

The results folder, OUT/tune-SCENARIO-VARIANT-TIME (with --static: OUT/tune-SCENARIO-VARIANT-static, replaced by the
next --static tune), holds tune.json (the report, as --format json prints it) and, when there is a candidate,
Dockerfile.candidate (and Dockerfile.cache-mount when tune made one).

Options:
  --variant NAME      variant(s) to tune (default: every variant of the scenario)
  --scenarios DIR     folder of scenario folders (default ./scenarios)
  --secret-dir DIR, --secret-env NAME  where scenario.json's build.secrets may read (as for run; repeatable)
  --iterations N      timed build-warm-src samples of each Dockerfile (default 3)
  --format F          text (default) or json: { findings, original_ms, candidate_ms, candidate_path, saved_ms,
                      spread, steps_rebuilt, context, ... } (an array of them when several variants are tuned)
  --profile P         base images: auto (default), online or offline
  --timeout SECONDS   limit of one build (default 1800)
  --out DIR           where the tune-... results folder goes (default ./results)
  --name-prefix P     prefix of the images and containers tune makes, P-SCENARIO:VARIANT (default stagebench-tune);
                      they are removed at the end, the build cache keeps their layers
  --static            only read the files: findings, context size and the candidate (tune.json and
                      Dockerfile.candidate in OUT/tune-SCENARIO-VARIANT-static); no engine needed
  --skip-cache-mount  write the cache-mount candidate but do not build or time it (no registry, no prune)

Exit codes: 0 done (findings do not fail it); 1 a build or the candidate's smoke test failed; 2 bad usage;
3 no engine or base images.`;

export const tuneCommand: Command = {
  name: 'tune',
  summary: 'find the instruction that throws the layer cache away, and measure what the reorder saves',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('tune', argv, {
      variant: { type: 'string', multiple: true },
      scenarios: { type: 'string' },
      iterations: { type: 'string' },
      format: { type: 'string' },
      profile: { type: 'string' },
      timeout: { type: 'string' },
      out: { type: 'string' },
      static: { type: 'boolean' },
      'skip-cache-mount': { type: 'boolean' },
      'name-prefix': { type: 'string' },
      'secret-dir': { type: 'string', multiple: true },
      'secret-env': { type: 'string', multiple: true },
    });
    if (positionals.length !== 1) {
      throw new UsageError(`stagebench tune takes one SCENARIO (a folder name inside --scenarios); got ${positionals.length}${positionals.length ? `: ${positionals.join(' ')}` : ''}\nSee 'stagebench tune --help'.`);
    }
    const format = choiceValue('tune', 'format', values.format, FORMATS, 'text');
    const iterations = intValue('tune', 'iterations', values.iterations, 3, 1, 1000);
    const timeoutS = intValue('tune', 'timeout', values.timeout, 1800, 1);
    const profileChoice = choiceValue<ProfileChoice>('tune', 'profile', values.profile, ['auto', ...PROFILE_NAMES], 'auto');
    const namePrefix = typeof values['name-prefix'] === 'string' ? values['name-prefix'] : 'stagebench-tune';
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(namePrefix)) {
      throw new UsageError(`stagebench tune: --name-prefix takes lower-case letters, digits, '.', '_' and '-' (an image name), not '${namePrefix}'`);
    }
    const outRoot = resolve(typeof values.out === 'string' ? values.out : 'results');
    const [scenario] = selectScenarios(resolve(typeof values.scenarios === 'string' ? values.scenarios : 'scenarios'), positionals);
    checkSecretsAllowed([scenario], secretsAllowed(values['secret-dir'], values['secret-env']), 'tune');
    const known = Object.keys(scenario.variants);
    const variants = listValue(values.variant);
    for (const v of variants) {
      if (!known.includes(v)) throw new UsageError(`stagebench tune: --variant '${v}' is not a variant of ${scenario.name}; its variants: ${known.join(', ')}`);
    }
    const selected = variants.length > 0 ? variants : known;

    const reports: TuneReport[] = [];
    const emit = (r: TuneReport) => {
      if (format === 'text') console.log(`${tuneText(r)}\n`);
      reports.push(r);
    };
    if (values.static) {
      for (const variant of selected) {
        const resultsDir = join(outRoot, `tune-${scenario.name}-${variant}-static`);
        const { report } = await staticTune({ scenario, variant, buildArgs: {}, profile: 'none (--static)', iterations: 0, measured: false, resultsDir });
        writeFileAtomic(join(resultsDir, 'tune.json'), `${JSON.stringify(tuneJson(report), null, 2)}\n`, 'stagebench tune --out');
        emit(report);
      }
    } else {
      const engine = await connectEngine();
      const dockerfiles = selected.map((v) => readFileSync(join(scenario.dir, scenario.variants[v].dockerfile), 'utf8'));
      const { profile } = await resolveProfile(engine, profileChoice, scenarioNeeds([{ scenario, dockerfiles }]));
      const controller = new AbortController();
      const onSignal = () => controller.abort(new Error('interrupted'));
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        for (const variant of selected) {
          emit(await runTune({
            engine, scenario, variant, iterations, profile, outRoot,
            namePrefix,
            measureCacheMount: values['skip-cache-mount'] !== true,
            signal: controller.signal,
            timeoutMs: timeoutS * 1000,
            log: (line) => console.error(`tune ${scenario.name}/${variant}: ${line}`),
          }));
        }
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      if (controller.signal.aborted) return EXIT.interrupted;
    }
    if (format === 'json') {
      const json = reports.map(tuneJson);
      console.log(JSON.stringify(json.length === 1 ? json[0] : json, null, 2));
    }
    return reports.some((r) => r.errors.length > 0) ? EXIT.failed : EXIT.ok;
  },
};
