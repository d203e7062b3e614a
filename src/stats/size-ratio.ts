// How many times smaller each variant's image is than the single-stage one of its scenario: a column summary.csv
// carries after the contract's. Pure.
import { REFERENCE_VARIANT, type SummaryRow } from '../types.ts';

export const SINGLE_VARIANT = REFERENCE_VARIANT;
export const RATIO_COLUMN = 'times_smaller_than_single';

export type SummaryWithRatio = SummaryRow & { [RATIO_COLUMN]: number | null };

export function withSizeRatio(rows: readonly SummaryRow[]): SummaryWithRatio[] {
  const singleBytes = new Map<string, number>();
  for (const r of rows) {
    if (r.variant === SINGLE_VARIANT && r.image_bytes && !singleBytes.has(r.scenario)) singleBytes.set(r.scenario, r.image_bytes);
  }
  return rows.map((r) => {
    const single = singleBytes.get(r.scenario);
    const ratio = single && r.image_bytes ? Math.round((single / r.image_bytes) * 1000) / 1000 : null;
    return { ...r, [RATIO_COLUMN]: ratio };
  });
}
