// Exact metrics, gated exactly (benchstat's assume=exact): figures that do not vary from one sample to the next on
// the same inputs, so any pair of runs, taken anywhere, compares them without a test. Image sizes and layers, the
// steps each change rebuilds, the bytes warm pushes and pulls move, and the findings counts. Pure.
import { SIZE_SOURCE_ORDER } from '../phase-catalogue.ts';
import { median } from '../stats/quantile.ts';
import { sizeValues } from '../stats/size-metrics.ts';
import type { PhaseName, SampleRow } from '../types.ts';

export const EXACT_METRICS = [
  'image_bytes', 'compressed_bytes', 'layers', 'rebuilt_steps', 'transfer_bytes',
  'vulns_critical', 'vulns_high', 'vulns_medium', 'vulns_low',
] as const;
export type ExactMetric = (typeof EXACT_METRICS)[number];

/** Phases whose rebuilt steps (steps - cached_steps) say what a change costs the cache; build-warm's should be 0. */
export const REBUILD_PHASES: readonly PhaseName[] = ['build-warm', 'build-warm-src', 'build-warm-deps', 'build-ci', 'build-ci-src'];
/** Phases whose transferred bytes are the warm delta: what one source change moves. */
export const TRANSFER_PHASES: readonly PhaseName[] = ['push-warm', 'pull-warm'];

/** Metrics that are bound to the phase they were measured in (the same metric of another phase is another row). */
export const PER_PHASE: ReadonlySet<ExactMetric> = new Set(['rebuilt_steps', 'transfer_bytes']);

/** Findings: no database means the cell is empty by design, "not checked", never a failure. */
export const FINDINGS: ReadonlySet<ExactMetric> = new Set(['vulns_critical', 'vulns_high', 'vulns_medium', 'vulns_low']);

/** Any increase is a regression, whatever the threshold: one more rebuilt step, one more critical or high finding. */
export const ANY_INCREASE: ReadonlySet<ExactMetric> = new Set(['rebuilt_steps', 'vulns_critical', 'vulns_high']);

export interface ExactValue {
  scenario: string;
  variant: string;
  metric: ExactMetric;
  /** The phase whose samples gave the value. */
  phase: PhaseName;
  value: number;
}

export function exactKey(v: { scenario: string; variant: string; metric: ExactMetric; phase: string }): string {
  return [v.scenario, v.variant, v.metric, PER_PHASE.has(v.metric) ? v.phase : ''].join('\u0000');
}

function byCell(samples: readonly SampleRow[]): Map<string, SampleRow[]> {
  const cells = new Map<string, SampleRow[]>();
  for (const r of samples) {
    const key = `${r.scenario}\u0000${r.variant}`;
    const list = cells.get(key) ?? [];
    list.push(r);
    cells.set(key, list);
  }
  return cells;
}

function medianOf(rows: readonly SampleRow[], get: (r: SampleRow) => number | null): number | null {
  return median(rows.map(get).filter((v): v is number => v !== null));
}

/** The exact values of a run's ok samples: one per scenario, variant and metric (and phase, for per-phase metrics). */
export function exactValues(samples: readonly SampleRow[]): ExactValue[] {
  const out: ExactValue[] = sizeValues(samples).map((v) => ({ ...v }));
  for (const rows of byCell(samples.filter((r) => r.ok)).values()) {
    const { scenario, variant } = rows[0];
    for (const phase of SIZE_SOURCE_ORDER) {
      const layers = medianOf(rows.filter((r) => r.phase === phase), (r) => r.layers);
      if (layers !== null) {
        out.push({ scenario, variant, metric: 'layers', phase, value: layers });
        break;
      }
    }
    for (const phase of REBUILD_PHASES) {
      const rebuilt = medianOf(rows.filter((r) => r.phase === phase), (r) => (r.steps === null || r.cached_steps === null ? null : r.steps - r.cached_steps));
      if (rebuilt !== null) out.push({ scenario, variant, metric: 'rebuilt_steps', phase, value: rebuilt });
    }
    for (const phase of TRANSFER_PHASES) {
      const moved = medianOf(rows.filter((r) => r.phase === phase), (r) => r.transfer_bytes);
      if (moved !== null) out.push({ scenario, variant, metric: 'transfer_bytes', phase, value: moved });
    }
  }
  return sortedByCell(out);
}

/** Each scenario and variant's values together, in first-seen order, metrics in EXACT_METRICS order. */
function sortedByCell(values: ExactValue[]): ExactValue[] {
  const cells = [...new Set(values.map((v) => `${v.scenario}\u0000${v.variant}`))];
  const cellRank = new Map(cells.map((c, i) => [c, i]));
  const rank = (v: ExactValue) => cellRank.get(`${v.scenario}\u0000${v.variant}`) as number;
  const phaseRank = (v: ExactValue) => [...REBUILD_PHASES, ...TRANSFER_PHASES].indexOf(v.phase);
  return [...values].sort((a, b) => rank(a) - rank(b) || EXACT_METRICS.indexOf(a.metric) - EXACT_METRICS.indexOf(b.metric) || phaseRank(a) - phaseRank(b));
}
