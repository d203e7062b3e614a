// stagebench replay REPO: a git history built commit by commit per variant, warm or as a fresh CI runner (replay.csv).
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { choiceValue, intValue, listValue, parseCommandArgs } from '../args.ts';
import { connectEngine } from '../engine/connect.ts';
import { EXIT, UsageError } from '../errors.ts';
import { openNpmRoute } from '../npm-proxy/npm-route.ts';
import { parseNpmRegistry } from '../npm-proxy/route.ts';
import { resolveProfile, type ProfileChoice } from '../profile/profile.ts';
import { replayText } from '../replay/format.ts';
import { parseCommitSpec, replayMonthly } from '../replay/plan.ts';
import { DEFAULT_WORTH } from '../report/worth.ts';
import { runReplay } from '../replay/replay.ts';
import { runStamp } from '../results/run-id.ts';
import { writeFileAtomic } from '../tools/write-file.ts';
import { PROFILE_NAMES } from '../types.ts';
import type { Command } from './command.ts';

const HELP = `Usage: stagebench replay REPO [--commits N|A..B] [--branch REF] [--scenario DIR] [--app-dir PATH] [--variant NAME]...
                         [--fresh-runner] [--rounds N] [--npm-registry auto|direct|local|URL]
                         [--profile auto|online|offline] [--timeout SECONDS] [--out DIR]

Builds the last N commits of a branch (or the commits after A up to B, first parent), oldest first, for each variant:
  warm (default)   on this engine's cache, in order, as a developer's machine or a persistent CI builder would;
  --fresh-runner   as an ephemeral CI runner: before each build the engine holds nothing of the scenario and no build
                   cache, and the build imports the previous commit's cache from a private registry (as build-ci does).
The commit before the range is built first, untimed, to warm the cache. Per commit and variant: build time, steps
rebuilt (and which), whether dependencies were reinstalled, what a push to a registry holding the previous commit's
image moves, the image size, and whether the commit touched the build context at all.

The scenario (scenario.json, Dockerfiles, .dockerignore) is REPO's own at each commit, or, with --scenario DIR (a
folder made by stagebench init), DIR's files laid over every commit. Each commit is written out without .git.

Options:
  --commits N|A..B    how many commits (default 10), or a range
  --branch REF        the branch or commit --commits N counts back from (default HEAD)
  --app-dir PATH      the app's folder inside REPO (a service of a monorepo): the scenario folder of each commit;
                      commits that change nothing under it are recorded as touching nothing
  --variant NAME      variants (default: every variant of the scenario)
  --rounds N          replay N times, variants interleaved (each goes first in turn), for an interval on totals
  --npm-registry R    where builds fetch npm packages (local: the npm proxy, warmed before the first build)
  --commits-per-day N the monthly CI build minutes assume N commits a day built like the replayed ones (default 50)
  --out DIR           where replay-ID/ goes (default ./results): replay.csv, replay-summary.json

Exit codes: 0 done; 1 a build failed; 2 bad usage; 3 no engine or base images.`;

export const replayCommand: Command = {
  name: 'replay',
  summary: 'build a git history commit by commit per variant: what each variant costs per real commit (replay.csv)',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('replay', argv, {
      commits: { type: 'string' }, 'app-dir': { type: 'string' }, branch: { type: 'string' }, scenario: { type: 'string' }, variant: { type: 'string', multiple: true },
      'fresh-runner': { type: 'boolean' }, 'commits-per-day': { type: 'string' }, rounds: { type: 'string' }, 'npm-registry': { type: 'string' }, profile: { type: 'string' },
      timeout: { type: 'string' }, out: { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError(`stagebench replay takes one REPO (a git repository's folder); got ${positionals.length}\nSee 'stagebench replay --help'.`);
    const repo = resolve(positionals[0]);
    if (!existsSync(join(repo, '.git'))) throw new UsageError(`stagebench replay: ${repo} is not a git repository (no .git); give the folder of a clone`);
    const ref = typeof values.branch === 'string' ? values.branch : 'HEAD';
    const commitsText = typeof values.commits === 'string' ? values.commits : '10';
    const spec = parseCommitSpec(commitsText, ref);
    if (!spec) throw new UsageError(`stagebench replay: --commits takes a number from 1 to 1000 or a range A..B, not '${commitsText}'`);
    const scenarioDir = typeof values.scenario === 'string' ? resolve(values.scenario) : undefined;
    if (scenarioDir && (!existsSync(join(scenarioDir, 'scenario.json')) || !statSync(scenarioDir).isDirectory())) {
      throw new UsageError(`stagebench replay: --scenario ${scenarioDir} has no scenario.json; give a scenario folder (stagebench init makes one)`);
    }
    const appDir = typeof values['app-dir'] === 'string' ? values['app-dir'].replace(/^\.\/|\/+$/g, '') : '';
    if (appDir && (appDir.startsWith('/') || appDir.split('/').includes('..'))) throw new UsageError(`stagebench replay: --app-dir takes a folder inside REPO, not '${appDir}'`);
    const rounds = intValue('replay', 'rounds', values.rounds, 1, 1, 50);
    const commitsPerDay = intValue('replay', 'commits-per-day', values['commits-per-day'], DEFAULT_WORTH.pipelineBuildsPerDay, 1, 100000);
    const timeoutS = intValue('replay', 'timeout', values.timeout, 1800, 1);
    const profileChoice = choiceValue<ProfileChoice>('replay', 'profile', values.profile, ['auto', ...PROFILE_NAMES], 'auto');
    const npmChoice = values['npm-registry'] === undefined ? undefined : parseNpmRegistry(values['npm-registry']);
    const replayId = `replay-${runStamp(new Date())}`;
    const outDir = join(resolve(typeof values.out === 'string' ? values.out : 'results'), replayId);
    const engine = await connectEngine();
    const { profile } = await resolveProfile(engine, profileChoice);
    const controller = new AbortController();
    const onSignal = () => controller.abort(new Error('interrupted'));
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const log = (line: string) => console.error(`replay: ${line}`);
      const result = await runReplay({
        engine, repo, spec, ...(scenarioDir ? { scenarioDir } : {}), ...(appDir ? { appDir } : {}), variants: listValue(values.variant),
        mode: values['fresh-runner'] ? 'fresh-runner' : 'warm', rounds, profile, replayId, outDir,
        timeoutMs: timeoutS * 1000, signal: controller.signal, log,
        ...(npmChoice ? { openNpm: () => openNpmRoute(npmChoice, replayId, controller.signal, log) } : {}),
      });
      const monthly = replayMonthly(result.summary, commitsPerDay, DEFAULT_WORTH.daysPerMonth);
      writeFileAtomic(join(outDir, 'replay-summary.json'), `${JSON.stringify({ ...result.summary, monthly }, null, 2)}\n`, 'stagebench replay --out');
      console.log(replayText(result.summary, result.rows));
      console.log(`\nCI build minutes a month: ${monthly.map((m) => `${m.variant} ${Math.round(m.ciMinutes)} min`).join(', ')}`);
      if (monthly[0]) console.log(`  assuming ${monthly[0].assumption.replace(/ \(mean [^)]*\)/, '')} (change with --commits-per-day)`);
      console.log(`\nresults: ${outDir}/ (replay.csv, replay-summary.json)`);
      if (controller.signal.aborted) return EXIT.interrupted;
      return result.rows.some((r) => r.ok !== true) ? EXIT.failed : EXIT.ok;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};
