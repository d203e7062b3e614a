// The report's words for variants and phases. Its figures are written by the units module (src/units.ts).
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

export function formatCount(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
