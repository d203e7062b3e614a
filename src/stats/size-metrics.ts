// The exact, per-image figures of a run (sizes and vulnerability counts), one set per scenario and variant.
import { SIZE_SOURCE_ORDER } from '../phase-catalogue.ts';
import type { PhaseName, SampleRow } from '../types.ts';
import { median } from './quantile.ts';

export const SIZE_METRICS = [
  'image_bytes', 'compressed_bytes', 'vulns_critical', 'vulns_high', 'vulns_medium', 'vulns_low',
] as const;
export type SizeMetric = (typeof SIZE_METRICS)[number];

export interface SizeValue {
  scenario: string;
  variant: string;
  metric: SizeMetric;
  /** The phase whose samples gave the value. */
  phase: PhaseName;
  value: number;
}

// Phases whose image is built from the scenario as it is come first (the catalogue's sizeRank says why).
const SOURCE_ORDER: readonly PhaseName[] = SIZE_SOURCE_ORDER;

/**
 * For each scenario, variant and metric: the median of the ok samples' known values in the first phase of
 * SOURCE_ORDER that reports the metric. So image_bytes is the cold build's image, compressed_bytes comes from
 * whichever phase measured it, and vulnerability counts come from the scan. Metrics no phase reports are left out.
 */
export function sizeValues(samples: readonly SampleRow[]): SizeValue[] {
  const images = new Map<string, { scenario: string; variant: string; rows: SampleRow[] }>();
  for (const r of samples) {
    if (!r.ok) continue;
    const key = `${r.scenario}\u0000${r.variant}`;
    const entry = images.get(key) ?? { scenario: r.scenario, variant: r.variant, rows: [] };
    entry.rows.push(r);
    images.set(key, entry);
  }
  const out: SizeValue[] = [];
  for (const { scenario, variant, rows } of images.values()) {
    for (const metric of SIZE_METRICS) {
      for (const phase of SOURCE_ORDER) {
        const value = median(rows.filter((r) => r.phase === phase && r[metric] !== null).map((r) => r[metric] as number));
        if (value !== null) {
          out.push({ scenario, variant, metric, phase, value });
          break;
        }
      }
    }
  }
  return out;
}
