// Human units for the report: sizes in decimal units like `docker images`, durations in ms or s.
import type { PhaseName } from '../types.ts';

/** The variant every other one is measured against. */
export const REFERENCE_VARIANT = 'single';

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

export const PHASE_LABELS: Record<PhaseName, string> = {
  'build-cold': 'cold build',
  'build-warm': 'warm rebuild, nothing changed',
  'build-warm-src': 'rebuild after a source change',
  'build-warm-deps': 'rebuild after a dependency change',
  'push-cold': 'push to an empty registry',
  'push-warm': 'push of the source-changed image',
  'pull-cold': 'pull into an empty engine',
  'pull-warm': 'pull of the source-changed image',
  scan: 'scan',
  run: 'start-up until the smoke request answers',
  'build-context-ignored': "rebuild after a source change, node_modules and .git in the folder, .dockerignore applied",
  'build-context-full': 'the same rebuild without the .dockerignore: node_modules and .git sent as context',
  'build-ci': 'fresh CI runner: build importing the cache of the same sources from the registry',
  'build-ci-src': 'fresh CI runner after a source change: build importing the cache of the previous sources',
};

export function formatBytes(bytes: number): string {
  const units: Array<[number, string]> = [[1e9, 'GB'], [1e6, 'MB'], [1e3, 'kB']];
  for (const [size, unit] of units) {
    if (Math.abs(bytes) >= size) return `${(bytes / size).toFixed(1)} ${unit}`;
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
