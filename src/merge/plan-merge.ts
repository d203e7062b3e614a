// What a merge of several runs (usually the shards of one CI matrix) produces: pure, so it is tested without files.
import { environmentWarnings } from '../gate/environment.ts';
import { UsageError } from '../errors.ts';
import { mergedRunId } from '../results/run-id.ts';
import { summaryRows } from '../stats/summary.ts';
import { FINDING_COLUMNS, SCHEMA, type CompositionRow, type RunInfo, type SampleRow, type StepRow, type SummaryRow } from '../types.ts';
import type { FindingRow } from '../report/read-findings.ts';

export interface MergeInput {
  /** The folder as the user gave it, for messages and for run.json. */
  label: string;
  samples: SampleRow[];
  steps: StepRow[];
  /** findings.csv rows with every column the file has (a scanner may add columns after the contract's). */
  findings: Array<FindingRow & Record<string, unknown>>;
  /** The columns of the input's findings.csv, in its order (the contract's when it has none). */
  findingColumns?: readonly string[];
  /** composition.csv rows (none when the input has no such file). */
  composition?: CompositionRow[];
  info?: RunInfo;
}

export interface MergedFrom {
  run_id: string;
  dir: string;
  host: string;
  started: string | null;
  finished: string | null;
  environment: RunInfo['environment'] | null;
  /** Where this input pushed, which engine pulled, what scanned: each input keeps its own. */
  registry: RunInfo['registry'] | null;
  pull_target: RunInfo['pull_target'] | null;
  scanner: RunInfo['scanner'] | null;
  profile: RunInfo['profile'] | null;
  /** The phases this input measured, so a reader knows which rows its registry, pull target and scanner made. */
  phases: string[];
}

/**
 * run.json of a merged run: the first input's fields, a new run_id, registry/pull target/scanner of the inputs that
 * used them, and every input in merged_from with its own environment, registry, pull target, scanner and phases.
 */
export type MergedRunInfo = RunInfo & { merged_from: MergedFrom[] };

export interface MergedRun {
  run_id: string;
  samples: SampleRow[];
  steps: StepRow[];
  findings: Array<FindingRow & Record<string, unknown>>;
  findingColumns: string[];
  /** Every input's composition rows; where two inputs explained one variant, the writer keeps the first. */
  composition: CompositionRow[];
  summary: SummaryRow[];
  info: MergedRunInfo;
  /** Differences between the inputs' environments; the merge goes ahead. */
  warnings: string[];
}

function refuseMixedSchemas(inputs: readonly MergeInput[]): void {
  const seen = new Map<number, string>();
  for (const input of inputs) {
    for (const s of new Set([...input.samples.map((r) => r.schema), ...(input.info ? [input.info.schema] : [])])) {
      if (!seen.has(s)) seen.set(s, input.label);
    }
  }
  if (seen.size > 1) {
    const list = [...seen].map(([s, label]) => `schema ${s} in ${label}`).join(', ');
    throw new UsageError(`merge refuses mixed schemas: ${list}. Merge only runs written by the same stagebench version.`);
  }
}

function inputRunIds(input: MergeInput): string[] {
  return [...new Set([...(input.info?.run_id ? [input.info.run_id] : []), ...input.samples.map((r) => r.run_id)])];
}

// The same run given twice (merge A A, or a copy of A) would double n however its folders are named: a sample
// (scenario, variant, phase, iteration) held by two inputs is refused, whatever their labels or run ids.
function refuseDuplicates(inputs: readonly MergeInput[]): void {
  const owner = new Map<string, string>();
  for (const input of inputs) {
    const mine = new Set<string>();
    for (const r of input.samples) {
      const key = `${r.scenario}/${r.variant}/${r.phase} iteration ${r.iteration}`;
      const other = owner.get(key);
      if (other !== undefined) {
        throw new UsageError(
          `merge: ${key} is in both ${other} and ${input.label} (run ${inputRunIds(input).join(', ')}). Merge takes runs of different shares ` +
            '(--shard 1/N ... N/N, or different --scenario/--variant); merging a run with itself or two runs of the same share would count samples twice.',
        );
      }
      mine.add(key);
    }
    for (const key of mine) owner.set(key, input.label);
  }
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values.filter((v) => v !== ''))];
}

function mergedInfo(inputs: readonly MergeInput[], runId: string, now: Date, commandLine: string[], version: string): MergedRunInfo {
  const withInfo = inputs.filter((i) => i.info !== undefined);
  const base = withInfo[0]?.info;
  if (base === undefined) {
    throw new UsageError(
      `merge: none of ${inputs.map((i) => i.label).join(', ')} has a run.json; merge needs the environment of at least one run`,
    );
  }
  const from: MergedFrom[] = inputs.map((i) => ({
    run_id: i.info?.run_id ?? i.samples[0]?.run_id ?? '',
    dir: i.label,
    host: i.info?.environment?.host ?? i.samples[0]?.host ?? '',
    started: i.info?.started ?? null,
    finished: i.info?.finished ?? null,
    environment: i.info?.environment ?? null,
    registry: i.info?.registry ?? null,
    pull_target: i.info?.pull_target ?? null,
    scanner: i.info?.scanner ?? null,
    profile: i.info?.profile ?? null,
    phases: [...new Set(i.samples.map((r) => r.phase))],
  }));
  // The top-level registry, pull target and scanner are those of the input that used them (the first that measured
  // a push, a pull or a scan), not the first input's "none"; merged_from keeps every input's own.
  const usedBy = (phases: RegExp) => withInfo.find((i) => i.samples.some((r) => phases.test(r.phase)))?.info ?? base;
  const starts = from.map((f) => f.started).filter((s): s is string => s !== null).sort();
  const ends = from.map((f) => f.finished).filter((s): s is string => s !== null).sort();
  const builds = new Map<string, RunInfo['builds'][number]>();
  for (const i of withInfo) for (const b of i.info?.builds ?? []) builds.set(`${b.scenario}\u0000${b.variant}`, b);
  // The first shard's share and folder are not the merged run's.
  const { shard: _shard, out: _out, ...options } = base.options ?? {};
  return {
    ...base,
    schema: SCHEMA,
    run_id: runId,
    started: starts[0] ?? now.toISOString(),
    finished: ends.at(-1) ?? now.toISOString(),
    stagebench_version: version,
    command_line: commandLine,
    environment: {
      ...base.environment,
      host: distinct(from.map((f) => f.host)).join(','),
      commit: distinct(withInfo.map((i) => i.info?.environment?.commit ?? '')).join(','),
    },
    registry: usedBy(/^(push|pull)-/).registry,
    pull_target: usedBy(/^pull-/).pull_target,
    scanner: usedBy(/^scan$/).scanner,
    options,
    builds: [...builds.values()],
    // Shards of one run share their scenarios' references; where inputs differ, the first input that names one wins.
    references: Object.fromEntries([...withInfo].reverse().flatMap((i) => Object.entries(i.info?.references ?? {}))),
    merged_from: from,
  };
}

/** A run id for the merged run: its UTC time, then "-merged" (e.g. 20250102-030405-merged). */
export function planMerge(
  inputs: readonly MergeInput[],
  opts: { now: Date; commandLine: string[]; version: string },
): MergedRun {
  if (inputs.length === 0) throw new UsageError('merge needs at least one run folder');
  refuseMixedSchemas(inputs);
  refuseDuplicates(inputs);
  const runId = mergedRunId(opts.now);
  const samples = inputs.flatMap((i) => i.samples);
  const first = inputs.find((i) => i.info !== undefined);
  const warnings = first
    ? inputs.filter((i) => i !== first && i.info !== undefined).flatMap((i) => environmentWarnings(first, i))
    : [];
  return {
    run_id: runId,
    samples,
    steps: inputs.flatMap((i) => i.steps),
    findings: inputs.flatMap((i) => i.findings),
    findingColumns: [...new Set([...FINDING_COLUMNS, ...inputs.flatMap((i) => i.findingColumns ?? [])])],
    composition: inputs.flatMap((i) => i.composition ?? []),
    summary: summaryRows(samples, runId),
    info: mergedInfo(inputs, runId, opts.now, opts.commandLine, opts.version),
    warnings,
  };
}
