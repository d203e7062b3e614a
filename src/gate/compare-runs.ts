// Compares a current run with a baseline: a verdict per timing (medians, Mann-Whitney p-value) and per exact
// figure (image sizes, vulnerability counts). Pure: the command reads the files and prints.
import { UsageError } from '../errors.ts';
import { mannWhitney, minSamplesPerSide } from '../stats/mann-whitney.ts';
import { median } from '../stats/quantile.ts';
import { sizeValues, type SizeValue } from '../stats/size-metrics.ts';
import { groupByPhase, okDurations, rowKey } from '../stats/summary.ts';
import type { CompareRow, RunInfo, SampleRow } from '../types.ts';
import { environmentWarnings } from './environment.ts';
import { runIds } from './load-run.ts';
import {
  DEFAULT_COMPARE_OPTIONS,
  type CompareOptions, type CompareResult, type MissingRow, type SizeCompareRow, type SizeVerdict,
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

function timingRows(baseline: readonly SampleRow[], current: readonly SampleRow[], opts: CompareOptions) {
  const base = byKey(groupByPhase(baseline), (g) => rowKey(g[0]));
  const cur = byKey(groupByPhase(current), (g) => rowKey(g[0]));
  const keys = [...new Set([...base.keys(), ...cur.keys()])];
  const rows: CompareRow[] = [];
  const missing: MissingRow[] = [];
  const underpowered: Array<{ name: string; n1: number; n2: number }> = [];
  for (const key of keys) {
    const first = (base.get(key) ?? cur.get(key) ?? [])[0];
    const bd = okDurations(base.get(key) ?? []);
    const cd = okDurations(cur.get(key) ?? []);
    const row: CompareRow = {
      scenario: first.scenario,
      variant: first.variant,
      phase: first.phase,
      baseline_median_ms: median(bd),
      current_median_ms: median(cd),
      change_pct: null,
      p_value: null,
      verdict: 'same',
    };
    if (cd.length === 0) {
      row.verdict = 'missing';
      if (bd.length > 0) {
        missing.push({ name: `${first.scenario}/${first.variant}/${first.phase}`, reason: cur.has(key) ? 'failed' : 'not run' });
      }
    } else if (bd.length === 0) row.verdict = 'new';
    else {
      const change = changePct(row.baseline_median_ms as number, row.current_median_ms as number);
      const { p, minP } = mannWhitney(bd, cd);
      row.change_pct = finiteOrNull(change);
      row.p_value = p;
      row.verdict = p < opts.alpha && Math.abs(change) > opts.threshold_pct ? (change > 0 ? 'slower' : 'faster') : 'same';
      // From the test actually run, ties included: with these samples no difference could reach alpha.
      if (minP >= opts.alpha) {
        underpowered.push({ name: `${first.scenario}/${first.variant}/${first.phase}`, n1: bd.length, n2: cd.length });
      }
    }
    rows.push(row);
  }
  return { rows, missing, underpowered };
}

// Any new critical or high finding is a regression however many there were: 30 -> 31 critical is not 'same'.
const ANY_INCREASE: ReadonlySet<string> = new Set(['vulns_critical', 'vulns_high']);

function sizeRows(baseline: readonly SampleRow[], current: readonly SampleRow[], opts: CompareOptions): SizeCompareRow[] {
  const key = (v: SizeValue) => `${v.scenario}\u0000${v.variant}\u0000${v.metric}`;
  const base = byKey(sizeValues(baseline), key);
  const cur = byKey(sizeValues(current), key);
  // A failed sample that still built an image reports its size: a bigger one must not hide behind the failure.
  const failedCur = byKey(sizeValues(current.filter((r) => !r.ok).map((r) => ({ ...r, ok: true }))), key);
  for (const [k, f] of failedCur) {
    const ok = cur.get(k);
    if (ok === undefined || f.value > ok.value) cur.set(k, f);
  }
  const keys = [...new Set([...base.keys(), ...cur.keys()])];
  return keys.map((k) => {
    const b = base.get(k);
    const c = cur.get(k);
    const any = (c ?? b) as SizeValue;
    let verdict: SizeVerdict;
    let change: number | null = null;
    if (c === undefined) verdict = 'missing';
    else if (b === undefined) verdict = 'new';
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
  const regressed = timing.rows.some((r) => r.verdict === 'slower') || sizes.some((r) => r.verdict === 'bigger');
  const sizeMissing = sizes
    .filter((r) => r.verdict === 'missing')
    .map((r): MissingRow => ({
      name: `${r.scenario}/${r.variant}/${r.metric}`, reason: current.some((s) => s.scenario === r.scenario && s.variant === r.variant && s.phase === r.phase) ? 'failed' : 'not run',
    }));
  const missing = [...timing.missing, ...sizeMissing];
  // A run with no ok sample measured nothing, even when the baseline is empty too.
  const measuredNothing = !current.some((r) => r.ok);
  const failed = regressed || (!opts.allow_missing && (missing.length > 0 || measuredNothing));
  return {
    options: opts,
    baseline: { label: b.label, run_ids: runIds(baseline), info: b.info },
    current: { label: c.label, run_ids: runIds(current), info: c.info },
    timing: timing.rows,
    sizes,
    warnings,
    regressed,
    missing,
    failed,
  };
}
