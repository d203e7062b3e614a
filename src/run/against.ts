// stagebench run --against DIR: a baseline and the current checkout measured in one run, in rounds of one sample of
// each phase per side: a warm-up round first (measured, left out of the analysis), then an even number of rounds in
// ABBA order, so that what drifts over time (the machine's load, its caches, the network) and the slot of a side in
// its round weigh on both sides alike. Each round's side is a run of its own (a child process, logged to its
// folder), so every phase keeps its preparation and its cleanup exactly as in a plain run; the rounds are then
// joined per side through merge's writer, their samples numbered by round, and the two sides compared by the
// paired gate (gate/paired.ts, docs/gate.md).
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { compareRuns } from '../gate/compare-runs.ts';
import { DEFAULT_ROUNDS, WARMUP_ROUNDS } from '../gate/defaults.ts';
import { formatTable } from '../gate/format-table.ts';
import { SAME_RUN_OPTIONS } from '../gate/types.ts';
import type { InterleavedInfo } from '../gate/interleaved.ts';
import { EXIT, StagebenchError, UsageError } from '../errors.ts';
import { planMerge, type MergeInput } from '../merge/plan-merge.ts';
import { readMergeInput, writeMergedRun } from '../merge/merge-runs.ts';
import { newRunId } from '../results/run-id.ts';
import { optionsArgv, type RunOptions } from './options.ts';
import { runLogged } from '../tools/exec.ts';
import { makeFolder } from '../tools/write-file.ts';
import { formatDuration } from '../units.ts';
import { VERSION } from '../version.ts';

export type Side = 'baseline' | 'current';

export { DEFAULT_ROUNDS, WARMUP_ROUNDS };

/**
 * The order of the sides in round r (from 1): the warm-up rounds baseline first; then, counting the analysed rounds
 * from 1, current first in odd ones and baseline first in even ones: C B, B C, C B, ... is the ABBA sequence, so over
 * an even number of rounds each side is first as often, and a steady drift favours neither. Pure.
 */
export function roundOrder(round: number, warmup = WARMUP_ROUNDS): Side[] {
  if (round <= warmup) return ['baseline', 'current'];
  return (round - warmup) % 2 === 1 ? ['current', 'baseline'] : ['baseline', 'current'];
}

/** A child run's start-up (node, the CLI, the engine connection), on top of its planned samples. */
const CHILD_START_MS = 5_000;

/** A side's run in one round: the run's own options with that side's scenarios and one sample of each phase. Pure. */
export function roundArgv(options: RunOptions, side: Side, out: string): string[] {
  const scenariosDir = side === 'baseline' ? (options.against as string) : options.scenariosDir;
  const one: Partial<RunOptions> = { ...options, scenariosDir, iterations: 1, adaptive: undefined, quick: false };
  return ['run', ...optionsArgv(one), `--out=${out}`];
}

/** A round's run with its samples and steps numbered by the round, so that the rounds join without clashing. Pure. */
export function asRound(input: MergeInput, round: number): MergeInput {
  return {
    ...input,
    samples: input.samples.map((r) => ({ ...r, iteration: round })),
    steps: input.steps.map((s) => ({ ...s, iteration: round })),
  };
}

function check(options: RunOptions): number {
  const rounds = options.iterations ?? DEFAULT_ROUNDS;
  if (rounds % 2 !== 0) {
    throw new UsageError(`stagebench run: --against needs an even number of rounds (--iterations ${rounds}): the ABBA order puts each side first equally often; try --iterations ${rounds + 1}`);
  }
  if (options.resume) throw new UsageError('stagebench run: --against cannot be resumed with --resume; its rounds are kept under OUT/rounds: start a new run');
  if (options.against === options.scenariosDir) {
    process.stderr.write('stagebench run: note: --against names the run\'s own scenarios folder: both sides measure the same files (an A/A check of the gate)\n');
  }
  if (!existsSync(options.against as string)) throw new UsageError(`stagebench run: --against ${options.against}: no such folder (give the baseline's scenarios folder)`);
  return rounds;
}

/**
 * Runs both sides round by round, joins each side, compares them; exits 1 when the gate fails or a round's run had a
 * failed sample (as a plain run does), 130 when interrupted. sideMs: the estimate of one side's round, from the plan.
 */
export async function runAgainst(options: RunOptions, commandLine: string[], sideMs?: number): Promise<number> {
  const analysed = check(options);
  const rounds = analysed + WARMUP_ROUNDS;
  const pair = newRunId();
  const dir = options.out ?? join(process.cwd(), 'results', pair);
  for (const side of ['baseline', 'current'] as const) {
    if (existsSync(join(dir, side, 'samples.csv'))) throw new UsageError(`--out ${dir} already holds a run (${side}/samples.csv); choose another folder`);
  }
  makeFolder(join(dir, 'rounds'), 'stagebench run --out');
  const where = (p: string) => {
    const r = relative(process.cwd(), p);
    return r === '' || r.startsWith('..') ? p : r;
  };
  const estimate = sideMs === undefined ? '' : `estimated: about ${formatDuration(rounds * 2 * (sideMs + CHILD_START_MS))} (${rounds * 2} child runs of about ${formatDuration(sideMs + CHILD_START_MS)} each)\n`;
  console.log(
    `${estimate}run ${pair}: ${rounds} round(s): ${WARMUP_ROUNDS} warm-up round (measured, left out of the analysis) and ${analysed} analysed in ABBA order; ` +
      `each a run of one sample of every phase per side\n` +
      `  baseline: ${options.against}\n  current:  ${options.scenariosDir}\n  results:  ${where(dir)} (baseline/, current/, rounds/)`,
  );
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const done: Record<Side, MergeInput[]> = { baseline: [], current: [] };
  let failedSamples = false;
  const start = Date.now();
  try {
    for (let round = 1; round <= rounds && !interrupted; round++) {
      for (const side of roundOrder(round, WARMUP_ROUNDS)) {
        if (interrupted) break;
        const out = join(dir, 'rounds', `${round}-${side}`);
        const log = `${out}.log`;
        const t = Date.now();
        const code = await runLogged(process.execPath, [...process.execArgv, process.argv[1], ...roundArgv(options, side, out)], log);
        const took = formatDuration(Date.now() - t);
        const kind = round <= WARMUP_ROUNDS ? ' (warm-up)' : '';
        console.log(`round ${round}/${rounds}${kind} ${side.padEnd(8)} exit ${code} in ${took} (${where(out)}; its output: ${where(log)}) · ${formatDuration(Date.now() - start)} elapsed`);
        if (code === EXIT.interrupted || code === EXIT.terminated) interrupted = true;
        else if (code !== EXIT.ok && code !== EXIT.failed) {
          const tail = readFileSync(log, 'utf8').trim().split('\n').slice(-8).join('\n');
          // Its own exit code goes on: 2 for bad input, 3 for what the machine lacks.
          throw new StagebenchError(`stagebench run --against: round ${round}'s ${side} run stopped with exit ${code}; the last lines of ${log}:\n${tail}`, code);
        }
        if (code === EXIT.failed) failedSamples = true;
        // A round stopped by Ctrl-C is not joined: its side would have a round the other lacks.
        if (!interrupted && existsSync(join(out, 'samples.csv'))) done[side].push(asRound(readMergeInput(out), round));
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  // What finished is kept, also after Ctrl-C: each side's rounds joined into its own run folder.
  const sides: Partial<Record<Side, ReturnType<typeof planMerge>>> = {};
  for (const side of ['baseline', 'current'] as const) {
    if (done[side].length === 0) continue;
    const merged = planMerge(done[side], { now: new Date(), commandLine, version: VERSION });
    const interleaved: InterleavedInfo = { pair, side, rounds: done[side].length, warmup_rounds: WARMUP_ROUNDS, baseline_scenarios: options.against as string, current_scenarios: options.scenariosDir };
    merged.info = { ...merged.info, interleaved } as typeof merged.info;
    writeMergedRun(merged, join(dir, side));
    sides[side] = merged;
  }
  if (interrupted) {
    console.error(`stagebench run: interrupted after ${done.current.length} current and ${done.baseline.length} baseline round(s); they are joined in ${where(dir)}`);
    return EXIT.interrupted;
  }
  if (!sides.baseline || !sides.current) return EXIT.failed;
  const result = compareRuns(sides.baseline.samples, sides.current.samples, { ...SAME_RUN_OPTIONS, paired: { warmup_rounds: WARMUP_ROUNDS } }, {
    baseline: { label: join(dir, 'baseline'), info: sides.baseline.info },
    current: { label: join(dir, 'current'), info: sides.current.info },
  });
  for (const w of result.warnings) console.error(`stagebench run: warning: ${w}`);
  console.log(`\n${formatTable(result)}`);
  for (const r of result.timing.filter((t) => t.verdict === 'failed')) {
    console.error(`stagebench run: error: ${r.scenario}/${r.variant}/${r.phase}: ${r.current_failed} current sample(s) failed where the baseline's did not`);
  }
  console.log(`\nthe same, as a gate: stagebench compare ${where(join(dir, 'baseline'))} ${where(join(dir, 'current'))} (threshold ${SAME_RUN_OPTIONS.threshold_pct}%: the sides share one run; round 1 is the warm-up)`);
  if (failedSamples) console.error('stagebench run: some samples failed: see the error column of the rounds\' samples.csv; the run exits 1 as a plain run does');
  return result.failed || failedSamples ? EXIT.failed : EXIT.ok;
}
