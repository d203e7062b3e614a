// stagebench run --against DIR: a baseline and the current checkout measured in one run, in alternating rounds of one
// sample of each phase, so that what drifts over time (the machine's load, its caches, the network) weighs on both
// sides alike. Each round's side is a run of its own (a child process, logged to its folder), so every phase keeps
// its preparation and its cleanup exactly as in a plain run; the rounds are then joined per side through merge's
// writer, their samples numbered by round, and the two sides compared.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { compareRuns } from '../gate/compare-runs.ts';
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

/** Rounds when --iterations is not given: 5 a side, one more than the fewest that can reach p < 0.05. */
export const DEFAULT_ROUNDS = 5;

/**
 * The order of the sides in round r (from 1): current first in odd rounds, baseline first in even ones, so that a
 * steady drift over the run favours neither side. Pure.
 */
export function roundOrder(round: number): Side[] {
  return round % 2 === 1 ? ['current', 'baseline'] : ['baseline', 'current'];
}

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
  if (options.resume) throw new UsageError('stagebench run: --against cannot be resumed with --resume; its rounds are kept under OUT/rounds: start a new run');
  if (options.against === options.scenariosDir) {
    process.stderr.write('stagebench run: note: --against names the run\'s own scenarios folder: both sides measure the same files (an A/A check of the gate)\n');
  }
  if (!existsSync(options.against as string)) throw new UsageError(`stagebench run: --against ${options.against}: no such folder (give the baseline's scenarios folder)`);
  return options.iterations ?? DEFAULT_ROUNDS;
}

/** Runs both sides round by round, joins each side, compares them; exits as compare does (130 when interrupted). */
export async function runAgainst(options: RunOptions, commandLine: string[]): Promise<number> {
  const rounds = check(options);
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
  console.log(
    `run ${pair}: ${rounds} round(s), each a run of one sample of every phase per side, sides alternating\n` +
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
      for (const side of roundOrder(round)) {
        if (interrupted) break;
        const out = join(dir, 'rounds', `${round}-${side}`);
        const log = `${out}.log`;
        const t = Date.now();
        const code = await runLogged(process.execPath, [...process.execArgv, process.argv[1], ...roundArgv(options, side, out)], log);
        const took = formatDuration(Date.now() - t);
        console.log(`round ${round}/${rounds} ${side.padEnd(8)} exit ${code} in ${took} (${where(out)}; its output: ${where(log)}) · ${formatDuration(Date.now() - start)} elapsed`);
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
    const interleaved: InterleavedInfo = { pair, side, rounds: done[side].length, baseline_scenarios: options.against as string, current_scenarios: options.scenariosDir };
    merged.info = { ...merged.info, interleaved } as typeof merged.info;
    writeMergedRun(merged, join(dir, side));
    sides[side] = merged;
  }
  if (interrupted) {
    console.error(`stagebench run: interrupted after ${done.current.length} current and ${done.baseline.length} baseline round(s); they are joined in ${where(dir)}`);
    return EXIT.interrupted;
  }
  if (!sides.baseline || !sides.current) return EXIT.failed;
  const result = compareRuns(sides.baseline.samples, sides.current.samples, SAME_RUN_OPTIONS, {
    baseline: { label: join(dir, 'baseline'), info: sides.baseline.info },
    current: { label: join(dir, 'current'), info: sides.current.info },
  });
  for (const w of result.warnings) console.error(`stagebench run: warning: ${w}`);
  console.log(`\n${formatTable(result)}`);
  console.log(`\nthe same, as a gate: stagebench compare ${where(join(dir, 'baseline'))} ${where(join(dir, 'current'))} (threshold ${SAME_RUN_OPTIONS.threshold_pct}%: the sides share one run)`);
  if (failedSamples) console.error('stagebench run: some samples failed: see the error column of the rounds\' samples.csv');
  return result.failed ? EXIT.failed : EXIT.ok;
}
