// What a row of samples.csv, summary.csv and steps.csv must hold once read back, as zod schemas: the reader
// (read.ts) gives each cell its column's type, these check the whole row and make it a typed row.
import { z } from 'zod';
import { PHASES, type SampleRow, type StepRow, type SummaryRow } from '../types.ts';

const text = z.string();
const whole = z.number();
/** An unknown value is an empty cell, read as null. */
const maybe = z.number().nullable();
const phase = z.enum(PHASES);

// Loose: columns after the contract's (a newer version's, or merge's) are kept as they are.
export const SAMPLE_ROW = z.looseObject({
  schema: whole, run_id: text, time: text, scenario: text, variant: text, phase, iteration: whole, ok: z.boolean(),
  error: text, duration_ms: maybe, profile: text, builder: text, image: text, image_id: text, image_bytes: maybe,
  compressed_bytes: maybe, layers: maybe, steps: maybe, cached_steps: maybe, context_bytes: maybe, transfer_bytes: maybe,
  vulns_critical: maybe, vulns_high: maybe, vulns_medium: maybe, vulns_low: maybe, packages_os: maybe,
  packages_npm: maybe, scanner: text, engine: text, host: text, commit: text, context_ms: maybe.optional(),
}) satisfies z.ZodType<SampleRow>;

export const SUMMARY_ROW = z.looseObject({
  schema: whole, run_id: text, scenario: text, variant: text, phase, n: whole, failed: whole, median_ms: maybe,
  mean_ms: maybe, stddev_ms: maybe, min_ms: maybe, max_ms: maybe, p75_ms: maybe, p99_ms: maybe, rme_pct: maybe,
  image_bytes: maybe, compressed_bytes: maybe, layers: maybe, cached_steps: maybe, transfer_bytes: maybe,
  vulns_critical: maybe, vulns_high: maybe, vulns_medium: maybe, vulns_low: maybe, packages_os: maybe, packages_npm: maybe,
}) satisfies z.ZodType<SummaryRow>;

export const STEP_ROW = z.looseObject({
  schema: whole, run_id: text, scenario: text, variant: text, phase, iteration: whole, step: text, instruction: text,
  cached: z.boolean(), duration_ms: maybe, cause_kind: text.optional(), cause: text.optional(), cause_origin: text.optional(),
}) satisfies z.ZodType<Omit<StepRow, 'cause_kind' | 'cause' | 'cause_origin'> & Partial<StepRow>>;

/** What a cell of this column must be, for the message that refuses it. */
export function expectedCell(column: string): string {
  if (column === 'phase') return `a phase this stagebench knows (${PHASES.join(', ')}); a newer stagebench wrote it, or it was edited`;
  return 'a number';
}
