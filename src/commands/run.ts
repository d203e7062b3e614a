// stagebench run: resolve options, plan, connect, then hand over to the runner; signals become an AbortSignal.
import { setMaxListeners } from 'node:events';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { writeFileAtomic } from '../tools/write-file.ts';
import { REDACTED, redactToolArgs, redactUrl } from '../net/redact-url.ts';
import { join, relative } from 'node:path';
import { connectEngine } from '../engine/connect.ts';
import { EXIT, UsageError } from '../errors.ts';
import { createProgress } from '../terminal/progress.ts';
import { runTable } from '../terminal/run-table.ts';
import { resolveProfile, scenarioNeeds } from '../profile/profile.ts';
import { readRunInfo } from '../results/read.ts';
import { newRunId, RUN_ID } from '../results/run-id.ts';
import { gitWarning, scenarioReferences, selectScenarios } from '../scenario/load.ts';
import { checkSecretsAllowed } from '../scenario/secrets.ts';
import { selectShard } from '../shard.ts';
import { summaryRows } from '../stats/summary.ts';
import { scanTable } from '../scan/scan-table.ts';
import { gitCommit } from '../tools/exec.ts';
import { checkOsvDatabase } from '../scan/builtin/osv-database.ts';
import { ROOT, VERSION } from '../version.ts';
import { ciRunnerText } from '../report/ci-runner.ts';
import { claimsText } from '../report/claims-text.ts';
import { collectFacts } from '../report/facts.ts';
import { loadRunData } from '../report/run-data.ts';
import { claimsOfRun } from '../report/team-tables.ts';
import type { Command } from './command.ts';
import { DEFAULT_VARIANTS, MEASURED_COST_MS, describePlan, estimateMs, planCells } from '../run/plan.ts';
import { costsFromEarlierRuns } from '../run/earlier-costs.ts';
import { formatDuration } from '../units.ts';
import { parseRecordedOptions, parseRunOptions, recordedField, RUN_HELP, type RunOptions } from '../run/options.ts';
import { executeRun, type RunPlanItem } from '../run/runner.ts';
import { createServices } from '../run/create-services.ts';
import { recordedRuns, registerRun } from '../run/live-runs.ts';
import { openNpmRoute } from '../npm-proxy/npm-route.ts';
import { runAgainst } from '../run/against.ts';

/** The per-sample costs a run prices its plan with: earlier runs' in results/ over those measured here. */
function runCosts(resultsDir: string): { costs: Record<string, number>; runs: number; withoutPreparation: number } {
  const earlier = costsFromEarlierRuns(resultsDir);
  return { ...earlier, costs: { ...MEASURED_COST_MS, ...earlier.costs } };
}

/** The estimated duration before measuring, preparation included. */
function estimateLine(plan: RunPlanItem[], costs: ReturnType<typeof runCosts>): { line: string; ms: number } {
  const cells = plan.flatMap((p) => p.variants.map((v) => ({ scenario: p.scenario.name, entries: p.entries[v] })));
  const ms = estimateMs(cells, costs.costs);
  const leftOut = costs.withoutPreparation > 0 ? `; ${costs.withoutPreparation} earlier run(s) without preparation figures left out` : '';
  const from = (costs.runs > 0 ? `the medians of ${costs.runs} earlier run(s) in results/ and the costs measured on a 2-core machine` : 'the costs measured on a 2-core machine') + leftOut;
  return { ms, line: `estimated: about ${formatDuration(ms)}, preparation included (${cells.length} variant(s); from ${from}; the live line refines it from this run's own samples)` };
}

/**
 * Scenarios, their variants and each variant's plan entries, after --variant and --shard. Unknown variant names are
 * usage errors.
 */
export function planRun(options: RunOptions): RunPlanItem[] {
  const scenarios = selectScenarios(options.scenariosDir, options.scenarios);
  checkSecretsAllowed(scenarios, { dirs: options.secretDirs, env: options.secretEnv }, 'run');
  for (const s of scenarios) {
    const git = gitWarning(s.dir);
    if (git) console.error(`stagebench: warning: scenario ${s.name} (${s.dir}) ${git}`);
  }
  const known = new Set(scenarios.flatMap((s) => Object.keys(s.variants)));
  for (const v of options.variants) {
    if (!known.has(v)) {
      throw new UsageError(`stagebench run: --variant '${v}' is not a variant of ${scenarios.map((s) => s.name).join(', ')}; variants: ${[...known].join(', ')}`);
    }
  }
  const chosen = (s: (typeof scenarios)[number]): string[] => {
    const all = Object.keys(s.variants);
    if (options.variants.length > 0) return all.filter((v) => options.variants.includes(v));
    // The default run measures the article's three variants; a scenario that has none of them (a user's own
    // naming), and --full, measure every variant.
    const three = all.filter((v) => (DEFAULT_VARIANTS as readonly string[]).includes(v));
    return options.full || three.length === 0 ? all : three;
  };
  // Before sharding: an entry for one variant goes to one scenario of the whole run, so to exactly one shard.
  const planned = planCells(options.plan, scenarios.map((s) => ({ name: s.name, variants: Object.keys(s.variants), chosen: chosen(s) })), options.variants);
  const entries = new Map(planned.flatMap((p) => p.cells.map((c) => [`${p.scenario}\u0000${c.variant}`, c.entries] as const)));
  let cells = planned.flatMap((p) => p.cells.map((c) => ({ scenario: p.scenario, variant: c.variant })));
  if (options.shard) cells = selectShard(cells, options.shard);
  const items = scenarios
    .map((scenario) => {
      const variants = cells.filter((c) => c.scenario === scenario.name).map((c) => c.variant);
      return { scenario, variants, entries: Object.fromEntries(variants.map((v) => [v, entries.get(`${scenario.name}\u0000${v}`)!])) };
    })
    .filter((p) => p.variants.length > 0);
  if (items.length === 0 && !options.shard) {
    const only = [...new Set(options.plan.map((e) => e.only).filter(Boolean))].join(', ');
    const why = options.variants.length ? `--variant ${options.variants.join(',')} leaves out` : `no scenario chosen has`;
    throw new UsageError(`stagebench run: the default plan measures ${options.phases.join(', ')} only for the variant ${only}, which ${why}; add --iterations N to measure them for the variants chosen`);
  }
  return items;
}

/**
 * A resumed run measures what the interrupted one was asked to: the resolved options its run.json recorded (absolute
 * paths, so it resumes from any folder). Options given again must match them; --timeout and --keep-images may change.
 */
export function resumedOptions(recorded: RunOptions, argv: string[], resumeDir: string): RunOptions {
  const given = parseRunOptions(argv);
  const flags = argv.filter((a) => a.startsWith('--')).map((a) => a.split('=')[0].slice(2)).filter((f) => f !== 'resume');
  for (const flag of flags) {
    if (flag === 'timeout' || flag === 'keep-images') continue;
    const field = recordedField(flag);
    if (!field) throw new UsageError(`stagebench run: --${flag} cannot be given with --resume: the run's folder is ${resumeDir}`);
    // run.json keeps the pull target without its user and password: given again in full, it matches its record.
    // run.json keeps the pull target without its user and password, and scanner arguments without credentials.
    const givenValue = field === 'pullTarget' ? redactUrl(given.pullTarget) : field === 'scannerArgs' ? redactToolArgs(given.scannerArgs) : given[field];
    if (JSON.stringify(givenValue) !== JSON.stringify(recorded[field])) {
      throw new UsageError(
        `stagebench run: --${flag} differs from the run being resumed (${JSON.stringify(recorded[field])} in ${resumeDir}/run.json); ` +
          'a resumed run keeps its options: drop the option, or start a new run',
      );
    }
  }
  if (recorded.scannerArgs.includes(REDACTED) && !flags.includes('scanner-arg')) {
    throw new UsageError(`stagebench run: the run being resumed had credentials among its --scanner-arg values, which ${resumeDir}/run.json does not keep (it shows ${JSON.stringify(recorded.scannerArgs)}); give the same --scanner-arg options again with --resume`);
  }
  return {
    ...recorded,
    resume: resumeDir,
    scannerArgs: flags.includes('scanner-arg') ? given.scannerArgs : recorded.scannerArgs,
    out: undefined,
    timeoutMs: flags.includes('timeout') ? given.timeoutMs : recorded.timeoutMs,
    keepImages: flags.includes('keep-images') ? given.keepImages : recorded.keepImages,
    pullTarget: flags.includes('pull-target') ? given.pullTarget : recorded.pullTarget,
  };
}

/** Where an interrupted run leaves its resume command, for when the terminal or pipe that would show it is gone. */
export const RESUME_FILE = 'RESUME.txt';

function writeResumeHint(dir: string, rows: number): void {
  const text = `This run was interrupted at ${new Date().toISOString()} with ${rows} finished sample(s) in samples.csv.\nContinue it with:\n  stagebench run --resume ${dir}\n`;
  try {
    writeFileAtomic(join(dir, RESUME_FILE), text, 'the resume command');
  } catch (err) {
    console.error(`stagebench: ${(err as Error).message}`);
  }
}

/** A signal within this time of the first is the same interrupt, relayed by a parent process. */
const SAME_SIGNAL_MS = 250;

/** Ctrl-C or SIGTERM aborts the run (which then cleans up); a second signal stops at once. */
function signalController(progress: { note(t: string): void }): { controller: AbortController; exitCode: () => number | undefined; dispose(): void } {
  const controller = new AbortController();
  // Every sample's timeout combines with this signal; they are many over a run, and each is released with its sample.
  setMaxListeners(0, controller.signal);
  let code: number | undefined;
  let first = 0;
  const handler = (sig: NodeJS.Signals) => {
    // One Ctrl-C reaches us several times: from the terminal, and relayed by each parent (npm run forwards SIGINT to
    // its child; tsx's runner forwards what its child did not report at once). Those copies come within moments of
    // the first; taken as a second Ctrl-C they would skip the cleanup.
    if (code !== undefined && Date.now() - first < SAME_SIGNAL_MS) return;
    if (code !== undefined) {
      process.stderr.write(`\nstagebench: ${sig} again: stopping now, without cleaning up. 'stagebench clean' removes what is left.\n`);
      process.exit(code);
    }
    code = sig === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
    first = Date.now();
    progress.note(`\nstagebench: ${sig}: abandoning the sample in flight and cleaning up (press Ctrl-C again to stop at once)`);
    controller.abort(new Error(`interrupted by ${sig}`));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    controller,
    exitCode: () => code,
    dispose: () => {
      // After an interrupt the handler stays until the process ends: a second Ctrl-C during the last of the cleanup
      // still stops at once, saying so, instead of killing the process without a word.
      if (code !== undefined) return;
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

export const runCommand: Command = {
  name: 'run',
  summary: 'measure phases of scenarios and variants into results/RUN_ID/',
  help: RUN_HELP,
  async run(argv) {
    let options = parseRunOptions(argv);
    if (options.against) return runAgainst(options, ['stagebench', 'run', ...argv]);
    let runId = newRunId();
    let dir = options.out ?? join(process.cwd(), 'results', runId);
    if (options.resume) {
      const info = readRunInfo(options.resume);
      if (!info) throw new UsageError(`--resume ${options.resume}: no run.json and samples.csv there; give the folder of an interrupted run`);
      // The id names folders and labels: a run.json that was edited must not lead anywhere else.
      if (typeof info.run_id !== 'string' || !RUN_ID.test(info.run_id)) {
        throw new UsageError(`--resume ${options.resume}: run.json's run_id ${JSON.stringify(info.run_id)} is not a run id (letters, digits, '-' and '_'); was the file edited?`);
      }
      const recorded = parseRecordedOptions(info.options, join(options.resume, 'run.json'));
      options = resumedOptions(recorded, argv, options.resume);
      runId = info.run_id;
      dir = options.resume!;
    } else if (existsSync(join(dir, 'samples.csv'))) {
      throw new UsageError(`--out ${dir} already holds a run; choose another folder, or continue it with --resume ${dir}`);
    }
    const plan = planRun(options);
    if (options.vulnDb && options.phases.includes('scan')) await checkOsvDatabase(options.vulnDb);
    const progress = createProgress();
    const engine = await connectEngine();
    const engineInfo = await engine.info();
    const needs = scenarioNeeds(plan.map(({ scenario, variants }) => ({
      scenario,
      dockerfiles: variants.map((v) => readFileSync(join(scenario.dir, scenario.variants[v].dockerfile), 'utf8')),
    })));
    const profile = await resolveProfile(engine, options.profile, needs);
    progress.note(
      `stagebench ${VERSION}: engine ${engineInfo.version} (API ${engineInfo.apiVersion}) at ${engine.address}, ${engineInfo.cpus} CPUs; ` +
        `builder ${options.builder}; profile ${profile.profile.name}${profile.chosenBy === 'auto' ? ' (auto: ' + (profile.profile.name === 'offline' ? 'the official base images are not present, using the offline stand-ins built by setup' : 'official images present') + ')' : ''}`,
    );
    const costs = runCosts(join(process.cwd(), 'results'));
    const estimate = estimateLine(plan, costs);
    progress.note(
      `run ${runId}: ${plan.map((p) => `${p.scenario.name} [${p.variants.join(', ')}]`).join('; ')}; results in ${relative(process.cwd(), dir) || dir}\n` +
        `plan (${options.full ? '--full' : options.plan.some((p) => p.policy.kind === 'adaptive') ? 'default; --full for every phase of every variant' : 'fixed samples'})` +
        `${options.warmup ? `, ${options.warmup} warmup` : ''}:\n${describePlan(options.plan).join('\n')}\n` +
        estimate.line,
    );
    for (const other of recordedRuns().filter((r) => r.alive && r.engine === engine.address && r.pid !== process.pid)) {
      progress.note(`stagebench: warning: run ${other.runId} (pid ${other.pid}) is using the same engine: the two runs disturb each other's measurements (a cold build empties the shared build cache)`);
    }
    const unregister = registerRun({ runId, pid: process.pid, engine: engine.address, started: new Date().toISOString() });
    const signals = signalController(progress);
    const services = createServices(options, engine, runId, signals.controller.signal);
    try {
      const result = await executeRun({
        runId, dir, options, plan, engine, engineInfo, profile, services, progress,
        signal: signals.controller.signal,
        commit: await gitCommit(ROOT),
        commandLine: ['stagebench', 'run', ...argv],
        version: VERSION,
        openNpm: () => openNpmRoute(options.npmRegistry, runId, signals.controller.signal, (l) => progress.note(l)),
        costs: costs.costs,
        estimatedMs: estimate.ms,
      });
      const summary = summaryRows(result.rows);
      const references = scenarioReferences(plan.map((p) => p.scenario));
      if (summary.length) console.log(`\n${runTable(summary, references)}`);
      if (services.scans.length) console.log(`\nScan findings by variant (${services.scannerInfo().name}):\n${scanTable(services.scans, references)}`);
      if (!result.interrupted && result.rows.length > 0) {
        const facts = collectFacts(loadRunData(result.dir));
        const ci = ciRunnerText(facts);
        if (ci) console.log(`\n${ci}`);
        console.log(`\n${claimsText(claimsOfRun(facts))}`);
      }
      const where = relative(process.cwd(), result.dir) || result.dir;
      if (result.interrupted) {
        writeResumeHint(result.dir, result.rows.length);
        console.error(`\nstagebench: interrupted; ${result.rows.length} finished sample(s) kept in ${where}/samples.csv. Continue with: stagebench run --resume ${where}`);
        return signals.exitCode() ?? EXIT.interrupted;
      }
      rmSync(join(result.dir, RESUME_FILE), { force: true });
      console.log(`\nresults: ${where}/ (samples.csv, summary.csv, steps.csv, run.json)`);
      if (result.failed > 0) {
        console.error(`stagebench: ${result.failed} sample(s) failed; see the error column of ${where}/samples.csv`);
        return EXIT.failed;
      }
      return EXIT.ok;
    } finally {
      signals.dispose();
      unregister();
    }
  },
};
