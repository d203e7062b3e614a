// Statistics of a set of durations, and the summary.csv rows of a run: pure functions of the samples.
import type { SampleRow, Stats, SummaryRow } from '../types.ts';
import { medianInterval } from './median-interval.ts';
import { median, percentileOfSorted, sortedAscending } from './quantile.ts';
import { studentTCritical } from './student-t.ts';

/** n, centre, spread and the 95% relative margin of error of the mean; null for no values. */
export function summarize(values: readonly number[]): Stats | null {
  const n = values.length;
  if (n === 0) return null;
  const sorted = sortedAscending(values);
  const mean = sorted.reduce((a, b) => a + b, 0) / n;
  // Sample (n - 1) variance: the samples estimate the spread of all possible runs, not only of these.
  const variance = n < 2 ? 0 : sorted.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
  const stddev = Math.sqrt(variance);
  const moe = n < 2 ? 0 : studentTCritical(n - 1) * (stddev / Math.sqrt(n));
  return {
    n,
    median: percentileOfSorted(sorted, 0.5),
    mean,
    stddev,
    min: sorted[0],
    max: sorted[n - 1],
    p75: percentileOfSorted(sorted, 0.75),
    p99: percentileOfSorted(sorted, 0.99),
    rme: moe === 0 ? 0 : mean === 0 ? Infinity : (moe / Math.abs(mean)) * 100,
  };
}

/** The measured values of summary.csv that are the median of the ok samples' known values. */
const MEDIAN_COLUMNS = [
  'image_bytes', 'compressed_bytes', 'layers', 'cached_steps', 'transfer_bytes',
  'vulns_critical', 'vulns_high', 'vulns_medium', 'vulns_low', 'packages_os', 'packages_npm',
] as const satisfies readonly (keyof SampleRow & keyof SummaryRow)[];

export function rowKey(r: { scenario: string; variant: string; phase: string }): string {
  return `${r.scenario}\u0000${r.variant}\u0000${r.phase}`;
}

/** Groups rows by scenario, variant and phase, in the order each group is first seen. */
export function groupByPhase<T extends { scenario: string; variant: string; phase: string }>(rows: readonly T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const r of rows) {
    const key = rowKey(r);
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  return [...groups.values()];
}

/** Durations of the ok samples that have one. */
export function okDurations(rows: readonly SampleRow[]): number[] {
  return rows.filter((r) => r.ok && r.duration_ms !== null).map((r) => r.duration_ms as number);
}

/**
 * One summary.csv row per scenario, variant and phase, in first-seen order. Failed samples are counted, never
 * measured. runId replaces the samples' own run id (a merged run summarises samples of several runs).
 */
export function summaryRows(samples: readonly SampleRow[], runId?: string): SummaryRow[] {
  return groupByPhase(samples).map((group) => {
    const first = group[0];
    const ok = group.filter((r) => r.ok);
    const stats = summarize(okDurations(group));
    const interval = medianInterval(okDurations(group));
    const medians = Object.fromEntries(
      MEDIAN_COLUMNS.map((c) => [c, median(ok.map((r) => r[c]).filter((v): v is number => v !== null))]),
    ) as Record<(typeof MEDIAN_COLUMNS)[number], number | null>;
    return {
      schema: first.schema,
      run_id: runId ?? first.run_id,
      scenario: first.scenario,
      variant: first.variant,
      phase: first.phase,
      n: ok.length,
      failed: group.length - ok.length,
      median_ms: stats?.median ?? null,
      mean_ms: stats?.mean ?? null,
      // One sample has no spread: unknown, not zero (export then gives no range).
      stddev_ms: stats !== null && stats.n >= 2 ? stats.stddev : null,
      min_ms: stats?.min ?? null,
      max_ms: stats?.max ?? null,
      p75_ms: stats?.p75 ?? null,
      p99_ms: stats?.p99 ?? null,
      rme_pct: stats !== null && stats.n >= 2 ? stats.rme : null,
      ...medians,
      median_low_ms: interval?.low ?? null,
      median_high_ms: interval?.high ?? null,
    };
  });
}
