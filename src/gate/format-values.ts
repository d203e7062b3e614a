// How figures read in the human formats (table, markdown): the units module's rules (src/units.ts), and the words
// compare adds to them. csv and json keep the raw numbers.
import type { SizeMetric } from '../stats/size-metrics.ts';
import { formatBytes, formatPercent } from '../units.ts';
import type { CompareResult } from './types.ts';

/** A change in percent, signed; a change from a zero baseline has no percentage. */
export function formatChange(pct: number | null, baseline?: number | null): string {
  if (pct === null) return baseline === 0 ? 'from 0' : '-';
  return formatPercent(pct, true);
}

export function formatP(p: number | null): string {
  if (p === null) return '-';
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

export function formatMetric(metric: SizeMetric, value: number | null): string {
  if (value === null) return '-';
  return metric.endsWith('_bytes') ? formatBytes(value) : String(value);
}

/** e.g. "regression: 1 slower, 1 bigger; 8 same, 2 faster (threshold 20%, sizes 5%, alpha 0.05)". */
export function verdictSummary(result: CompareResult): string {
  const counts = new Map<string, number>();
  for (const r of [...result.timing, ...result.sizes]) counts.set(r.verdict, (counts.get(r.verdict) ?? 0) + 1);
  const list = (names: string[]) => names.filter((n) => counts.has(n)).map((n) => `${counts.get(n)} ${n}`).join(', ');
  const bad = list(['slower', 'bigger']);
  const rest = list(['faster', 'smaller', 'same', 'new', 'missing']);
  let head = result.regressed ? `regression: ${bad}${rest ? `; ${rest}` : ''}` : `no regression: ${rest || 'nothing to compare'}`;
  if (!result.regressed && result.failed) {
    head = result.missing.length > 0
      ? `gate failed: ${result.missing.length} baseline row(s) not measured by the current run; ${rest}`
      : `gate failed: the current run has no ok sample; ${rest || 'nothing to compare'}`;
  }
  return `${head} (threshold ${result.options.threshold_pct}%, sizes ${result.options.size_threshold_pct}%, alpha ${result.options.alpha})`;
}

/** "results/baselines/x (run A)" for the heading lines. */
export function sideLabel(side: CompareResult['baseline']): string {
  return side.run_ids.length === 0 ? side.label : `${side.label} (run ${side.run_ids.join(', ')})`;
}
