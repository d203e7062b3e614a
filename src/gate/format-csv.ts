// compare --format csv: the contract's columns first, then metric, baseline and current, so that one file holds
// both the timings (metric duration_ms) and the exact figures (image_bytes, ...; their phase is the phase the
// value came from, their *_median_ms and p_value cells empty).
import { csvDocument } from '../results/csv.ts';
import { COMPARE_COLUMNS } from '../types.ts';
import type { CompareResult } from './types.ts';

export const COMPARE_CSV_COLUMNS = [
  ...COMPARE_COLUMNS, 'metric', 'baseline', 'current',
  // The paired gate's figures (run --against), empty elsewhere: docs/gate.md.
  'rounds', 'ratio', 'ratio_low', 'ratio_high', 'p_raw', 'detectable_pct', 'current_failed',
] as const;

export function formatCsv(result: CompareResult): string {
  const timing = result.timing.map((r) => ({
    ...r, metric: 'duration_ms', baseline: r.baseline_median_ms, current: r.current_median_ms, rounds: r.pairs,
    detectable_pct: r.mdc_pct === null ? null : Number.isFinite(r.mdc_pct) ? r.mdc_pct : 'inf', p_raw: r.p_raw === null ? null : String(r.p_raw),
    // In full: the writer's 3 decimals would turn 1.08e-5 into 0.
    p_value: r.p_value === null ? null : String(r.p_value),
  }));
  const sizes = result.sizes.map((r) => ({
    scenario: r.scenario, variant: r.variant, phase: r.phase, baseline_median_ms: null, current_median_ms: null,
    change_pct: r.change_pct, p_value: null, verdict: r.verdict, metric: r.metric, baseline: r.baseline, current: r.current,
  }));
  return csvDocument(COMPARE_CSV_COLUMNS, [...sizes, ...timing]);
}
