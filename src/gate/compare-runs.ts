// Compares a current run with a baseline: a verdict per exact figure (sizes, layers, rebuilt steps, warm transfer
// bytes, findings), gated exactly, and per timing: paired by round for the two sides of one run --against
// (paired.ts), else medians and a Mann-Whitney p-value, indicative only unless gate_timings. Pure: the command
// reads the files and prints. docs/gate.md is the rule.
import { UsageError } from '../errors.ts';
import { mannWhitney, minSamplesPerSide } from '../stats/mann-whitney.ts';
import { median } from '../stats/quantile.ts';
import { groupByPhase, okDurations, rowKey } from '../stats/summary.ts';
import type { RunInfo, SampleRow } from '../types.ts';
import { environmentWarnings } from './environment.ts';
import { ANY_INCREASE, exactKey, exactValues, FINDINGS, type ExactValue } from './exact.ts';
import { runIds } from './load-run.ts';
import { pairedGate, type PairedStats, type RoundPair } from './paired.ts';
import {
  DEFAULT_COMPARE_OPTIONS,
  type CompareOptions, type CompareResult, type MissingRow, type SizeCompareRow, type SizeVerdict, type TimingRow,
} from './types.ts';

export interface SideInput {
  label: string;
  info?: RunInfo;
}

/** Percent change from a to b; +-Infinity when a is 0 and b is not. */
function changePct(a: number, b: number): number {
  if (a === 0) return b === 0 ? 0 : b > 0 ? Infinity : -Infinity;
  return ((b - a) / a) * 100;
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function checkOptions(opts: CompareOptions): void {
  if (!Number.isFinite(opts.threshold_pct) || opts.threshold_pct < 0) {
    throw new UsageError(`compare: the threshold must be a percentage of 0 or more, not ${opts.threshold_pct} (--threshold)`);
  }
  if (!Number.isFinite(opts.size_threshold_pct) || opts.size_threshold_pct < 0) {
    throw new UsageError(`compare: the size threshold must be a percentage of 0 or more, not ${opts.size_threshold_pct} (--size-threshold)`);
  }
  if (!Number.isFinite(opts.alpha) || opts.alpha <= 0 || opts.alpha > 1) {
    throw new UsageError(`compare: alpha must be above 0 and at most 1, not ${opts.alpha} (--alpha)`);
  }
}

function checkSchemas(baseline: readonly SampleRow[], current: readonly SampleRow[], b: SideInput, c: SideInput): void {
  const bs = [...new Set(baseline.map((r) => r.schema))];
  const cs = [...new Set(current.map((r) => r.schema))];
  if (bs.length > 1 || cs.length > 1 || (bs.length === 1 && cs.length === 1 && bs[0] !== cs[0])) {
    throw new UsageError(
      `compare refuses mixed schemas: ${b.label} has schema ${bs.join('+')}, ${c.label} has schema ${cs.join('+')}. ` +
        'Re-run the baseline with the same stagebench version as the current run.',
    );
  }
}

function byKey<T>(rows: readonly T[], key: (r: T) => string): Map<string, T> {
  return new Map(rows.map((r) => [key(r), r]));
}

/** A timing row before its verdict: medians and counts of both sides. */
function baseRow(first: SampleRow, bd: number[], cd: number[], currentFailed: number): TimingRow {
  return {
    scenario: first.scenario, variant: first.variant, phase: first.phase,
    baseline_median_ms: median(bd), current_median_ms: median(cd), change_pct: null, p_value: null, verdict: 'same',
    pairs: null, ratio: null, ratio_low: null, ratio_high: null, p_raw: null, mdc_pct: null, current_failed: currentFailed,
  };
}

/** Failed samples of the current side where the baseline's row had none failed (both failing is not the change's doing). */
function currentFailures(b: readonly SampleRow[], c: readonly SampleRow[]): number {
  return b.some((r) => !r.ok) ? 0 : c.filter((r) => !r.ok).length;
}

/** Between separate runs: medians and a two-sided Mann-Whitney test per row. */
function separateRow(first: SampleRow, b: readonly SampleRow[], c: readonly SampleRow[], opts: CompareOptions) {
  const bd = okDurations(b);
  const cd = okDurations(c);
  const row = baseRow(first, bd, cd, currentFailures(b, c));
  row.pairs = cd.length;
  let minP: number | null = null;
  if (bd.length > 0 && cd.length > 0) {
    const change = changePct(row.baseline_median_ms as number, row.current_median_ms as number);
    const mw = mannWhitney(bd, cd);
    minP = mw.minP;
    row.change_pct = finiteOrNull(change);
    row.p_value = mw.p;
    row.verdict = mw.p < opts.alpha && Math.abs(change) > opts.threshold_pct ? (change > 0 ? 'slower' : 'faster') : 'same';
  }
  return { row, bd, cd, minP };
}

/** One row's rounds: each analysed round where both sides have a sample, with its ok duration or null. */
function roundPairs(b: readonly SampleRow[], c: readonly SampleRow[]): RoundPair[] {
  const cur = new Map(c.map((r) => [r.iteration, r]));
  const value = (r: SampleRow) => (r.ok && r.duration_ms !== null ? r.duration_ms : null);
  return b.filter((r) => cur.has(r.iteration)).map((r) => ({ round: r.iteration, baseline: value(r), current: value(cur.get(r.iteration) as SampleRow) }));
}

function timingRows(baseline: readonly SampleRow[], current: readonly SampleRow[], opts: CompareOptions) {
  const base = byKey(groupByPhase(baseline), (g) => rowKey(g[0]));
  const cur = byKey(groupByPhase(current), (g) => rowKey(g[0]));
  const keys = [...new Set([...base.keys(), ...cur.keys()])];
  const warmup = opts.paired?.warmup_rounds ?? 0;
  const analysed = (rows: readonly SampleRow[]) => rows.filter((r) => r.iteration > warmup);
  const rows: TimingRow[] = [];
  const missing: MissingRow[] = [];
  const underpowered: Array<{ name: string; n1: number; n2: number }> = [];
  const paired: Array<{ index: number; rounds: RoundPair[] }> = [];
  for (const key of keys) {
    const b = base.get(key) ?? [];
    const c = cur.get(key) ?? [];
    const first = (b[0] ?? c[0]);
    const name = `${first.scenario}/${first.variant}/${first.phase}`;
    const { row, bd, cd, minP } = separateRow(first, analysed(b), analysed(c), opts);
    row.current_failed = currentFailures(b, c);
    if (c.length === 0) {
      row.verdict = 'missing';
      if (okDurations(b).length > 0) missing.push({ name, reason: 'not run' });
    } else if (cd.length === 0 && okDurations(b).length > 0) {
      row.verdict = 'failed';
      if (row.current_failed === 0) missing.push({ name, reason: 'failed' });
    } else if (bd.length === 0) row.verdict = 'new';
    else if (opts.paired) paired.push({ index: rows.length, rounds: roundPairs(b, c) });
    else if (minP !== null && minP >= opts.alpha) underpowered.push({ name, n1: bd.length, n2: cd.length });
    if (row.current_failed > 0) row.verdict = 'failed';
    rows.push(row);
  }
  if (opts.paired) {
    const gate = pairedGate(paired.map((p) => p.rounds), { alpha: opts.alpha, threshold_pct: opts.threshold_pct, warmup_rounds: warmup });
    paired.forEach(({ index }, k) => Object.assign(rows[index], pairedFigures(rows[index], gate[k])));
  }
  return { rows, missing, underpowered };
}

/** The paired gate's figures in a timing row: the median ratio as the change, Holm's p as the p-value. */
function pairedFigures(row: TimingRow, g: PairedStats): Partial<TimingRow> {
  const verdict = row.verdict === 'failed' || g.verdict === 'failed' ? 'failed' : g.verdict === 'too few' ? 'same' : g.verdict;
  return {
    pairs: g.pairs, ratio: g.ratio, ratio_low: g.ratio_low, ratio_high: g.ratio_high, p_raw: g.p_value, p_value: g.p_holm,
    mdc_pct: g.mdc_pct, change_pct: g.ratio === null ? null : (g.ratio - 1) * 100, verdict,
  };
}

function sizeRows(baseline: readonly SampleRow[], current: readonly SampleRow[], opts: CompareOptions): SizeCompareRow[] {
  const base = byKey(exactValues(baseline), exactKey);
  const cur = byKey(exactValues(current), exactKey);
  // A failed sample that still built an image reports its size: a bigger one must not hide behind the failure.
  const failedCur = byKey(exactValues(current.filter((r) => !r.ok).map((r) => ({ ...r, ok: true }))), exactKey);
  for (const [k, f] of failedCur) {
    const ok = cur.get(k);
    if (ok === undefined || f.value > ok.value) cur.set(k, f);
  }
  const measuredCells = new Set(current.filter((r) => r.ok).map((r) => `${r.scenario}\u0000${r.variant}\u0000${r.phase}`));
  const keys = [...new Set([...base.keys(), ...cur.keys()])];
  return keys.map((k) => {
    const b = base.get(k);
    const c = cur.get(k);
    const any = (c ?? b) as ExactValue;
    let verdict: SizeVerdict;
    let change: number | null = null;
    if (c === undefined) {
      // The current run measured the phase the value comes from, and the value is unknown by design.
      verdict = FINDINGS.has(any.metric) && measuredCells.has(`${any.scenario}\u0000${any.variant}\u0000${any.phase}`) ? 'not checked' : 'missing';
    } else if (b === undefined) verdict = 'new';
    else {
      const pct = changePct(b.value, c.value);
      change = finiteOrNull(pct);
      const limit = ANY_INCREASE.has(any.metric) ? 0 : opts.size_threshold_pct;
      verdict = pct > limit ? 'bigger' : pct < -limit ? 'smaller' : 'same';
    }
    return {
      scenario: any.scenario,
      variant: any.variant,
      metric: any.metric,
      phase: any.phase,
      baseline: b?.value ?? null,
      current: c?.value ?? null,
      change_pct: change,
      verdict,
    };
  });
}

/** The smallest equal sample count per side that can reach p < alpha. */
function samplesNeeded(alpha: number): number {
  return minSamplesPerSide(alpha) ?? 1000;
}

function sampleWarnings(
  baseline: readonly SampleRow[], current: readonly SampleRow[], b: SideInput, c: SideInput,
  underpowered: Array<{ name: string; n1: number; n2: number }>, opts: CompareOptions,
): string[] {
  const warnings: string[] = [];
  for (const [side, rows] of [[b, baseline], [c, current]] as const) {
    const failed = rows.filter((r) => !r.ok);
    if (failed.length > 0) {
      const where = [...new Set(failed.map((r) => `${r.scenario}/${r.variant}/${r.phase}`))];
      warnings.push(
        `${side.label} has ${failed.length} failed sample(s) (${where.slice(0, 3).join(', ')}${where.length > 3 ? ', ...' : ''}); ` +
          'only ok samples are compared, see the error column of its samples.csv',
      );
    }
  }
  if (underpowered.length > 0) {
    const worst = underpowered.reduce((a, x) => (x.n1 + x.n2 < a.n1 + a.n2 ? x : a));
    warnings.push(
      `${underpowered.length} timing(s) have too few ok samples to reach p < ${opts.alpha} (e.g. ${worst.name}: ` +
        `${worst.n1} vs ${worst.n2}), so they can only be 'same'; that takes ${samplesNeeded(opts.alpha)} ok samples on each side ` +
        `(run both with --iterations ${samplesNeeded(opts.alpha)} or more)`,
    );
  }
  return warnings;
}

export function compareRuns(
  baseline: readonly SampleRow[],
  current: readonly SampleRow[],
  options: Partial<CompareOptions> = {},
  sides: { baseline?: SideInput; current?: SideInput } = {},
): CompareResult {
  const opts: CompareOptions = { ...DEFAULT_COMPARE_OPTIONS, ...options };
  const b = sides.baseline ?? { label: 'baseline' };
  const c = sides.current ?? { label: 'current' };
  checkOptions(opts);
  checkSchemas(baseline, current, b, c);
  const timing = timingRows(baseline, current, opts);
  const sizes = sizeRows(baseline, current, opts);
  const warnings = [
    ...environmentWarnings(b, c),
    ...sampleWarnings(baseline, current, b, c, timing.underpowered, opts),
  ];
  const timingGated = opts.paired !== undefined || opts.gate_timings;
  const regressed = timing.rows.some((r) => r.verdict === 'failed' || (timingGated && r.verdict === 'slower')) ||
    sizes.some((r) => r.verdict === 'bigger');
  const notRunPhases = new Map<string, number>();
  const ranCells = new Set(current.map((r) => `${r.scenario}\u0000${r.variant}\u0000${r.phase}`));
  for (const r of [...timing.rows, ...sizes]) {
    if (r.verdict === 'missing' && !ranCells.has(`${r.scenario}\u0000${r.variant}\u0000${r.phase}`)) {
      notRunPhases.set(r.phase, (notRunPhases.get(r.phase) ?? 0) + 1);
    }
  }
  const sizeMissing = sizes
    .filter((r) => r.verdict === 'missing')
    .map((r): MissingRow => ({
      name: `${r.scenario}/${r.variant}/${r.metric}`, reason: ranCells.has(`${r.scenario}\u0000${r.variant}\u0000${r.phase}`) ? 'failed' : 'not run',
    }));
  const missing = [...timing.missing, ...sizeMissing];
  const gatingMissing = missing.filter((m) => (m.reason === 'failed' ? !opts.allow_missing : opts.whole_baseline));
  // A run with no ok sample measured nothing, even when the baseline is empty too.
  const measuredNothing = !current.some((r) => r.ok);
  const failed = regressed || gatingMissing.length > 0 || (measuredNothing && !opts.allow_missing);
  return {
    options: opts,
    baseline: { label: b.label, run_ids: runIds(baseline), info: b.info },
    current: { label: c.label, run_ids: runIds(current), info: c.info },
    timing: timing.rows,
    mode: opts.paired ? 'paired' : 'separate',
    timing_gated: timingGated,
    not_run: [...notRunPhases].map(([phase, rows]) => ({ phase, rows })),
    sizes,
    warnings,
    regressed,
    missing,
    failed,
  };
}
