// Human units for the report: sizes in decimal units like `docker images`, durations in ms or s.
import { PHASE_CATALOGUE, REFERENCE_VARIANT, type PhaseName } from '../types.ts';

/** The variant every other one is measured against. */
export { REFERENCE_VARIANT };

const VARIANT_LABELS: Record<string, string> = { single: 'single-stage', multi: 'multi-stage', distroless: 'distroless' };

export function variantLabel(variant: string): string {
  return VARIANT_LABELS[variant] ?? variant;
}

/** Shipped variants first in their usual order, then the others by name. */
export function compareVariants(a: string, b: string): number {
  const order = Object.keys(VARIANT_LABELS);
  const ia = order.indexOf(a) < 0 ? order.length : order.indexOf(a);
  const ib = order.indexOf(b) < 0 ? order.length : order.indexOf(b);
  return ia - ib || a.localeCompare(b);
}

export const PHASE_LABELS: Record<PhaseName, string> = Object.fromEntries(PHASE_CATALOGUE.map((p) => [p.name, p.label])) as Record<PhaseName, string>;

export function formatBytes(bytes: number): string {
  const units: Array<[number, string]> = [[1e9, 'GB'], [1e6, 'MB'], [1e3, 'kB']];
  for (const [size, unit] of units) {
    // Gigabytes keep two decimals: "1.0 GB" would hide the 1.02 GB a chart shows as 1021 MB.
    if (Math.abs(bytes) >= size) return `${(bytes / size).toFixed(unit === 'GB' ? 2 : 1)} ${unit}`;
  }
  return `${bytes} B`;
}

export function formatDuration(ms: number): string {
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  if (Math.abs(ms) < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

export function formatCount(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
