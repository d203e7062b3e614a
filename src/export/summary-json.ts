// export --format json: the summary rows of a run, computed from its samples.
import { summaryRows } from '../stats/summary.ts';
import type { SampleRow, SummaryRow } from '../types.ts';

export function summaryJson(samples: readonly SampleRow[]): SummaryRow[] {
  // JSON has no Infinity (an rme over a zero mean): such a value becomes null, like an empty CSV cell.
  return summaryRows(samples).map((r) => ({ ...r, rme_pct: r.rme_pct !== null && Number.isFinite(r.rme_pct) ? r.rme_pct : null }));
}
