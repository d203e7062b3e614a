// benchmark-action/github-action-benchmark, tool `customSmallerIsBetter`: a JSON array of
// { name, unit, value, range?, extra? }. The action charts each name over commits and alerts when a value grows.
import { sizeValues } from '../stats/size-metrics.ts';
import { summaryRows } from '../stats/summary.ts';
import type { SampleRow } from '../types.ts';

export interface BenchmarkEntry {
  name: string;
  unit: string;
  value: number;
  range?: string;
  extra?: string;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** One entry per scenario/variant/phase median (ms), then one per image size (bytes). */
export function githubActionBenchmark(samples: readonly SampleRow[]): BenchmarkEntry[] {
  const timings = summaryRows(samples)
    .filter((r) => r.median_ms !== null)
    .map((r): BenchmarkEntry => ({
      name: `${r.scenario}/${r.variant}/${r.phase}`,
      unit: 'ms',
      value: round3(r.median_ms as number),
      // No range for an unknown spread (one sample): the action would chart '± 0' as certainty.
      ...(r.stddev_ms === null ? {} : { range: `± ${round3(r.stddev_ms)}` }),
      extra: `n=${r.n}${r.failed > 0 ? `, failed=${r.failed}` : ''}`,
    }));
  const sizes = sizeValues(samples)
    .filter((s) => s.metric.endsWith('_bytes'))
    .map((s): BenchmarkEntry => ({
      name: `${s.scenario}/${s.variant}/${s.metric}`,
      unit: 'bytes',
      value: s.value,
      extra: `from ${s.phase}`,
    }));
  return [...timings, ...sizes];
}
