// The waterfall from one image to another: how much of the size difference each kind of change is worth (base
// image, toolchain, devDependencies, caches, wasted bytes, app and production dependencies), with the Dockerfile
// lines that put those bytes in or took them out. Pure: a function of two compositions. The parts are the
// categories' differences grouped, so they add up exactly to the difference in file bytes of every layer.
import { COMPOSITION_CATEGORIES, type CompositionCategory } from '../types.ts';

export const WATERFALL_PARTS = ['base image', 'toolchain', 'devDependencies', 'caches', 'wasted', 'app and production dependencies'] as const;
export type WaterfallPartName = (typeof WATERFALL_PARTS)[number];

/** Which categories of composition.csv each part is made of: every category in exactly one part. */
export const PART_CATEGORIES: Readonly<Record<WaterfallPartName, readonly CompositionCategory[]>> = {
  'base image': ['runtime'],
  toolchain: ['toolchain'],
  devDependencies: ['devDependencies'],
  caches: ['caches'],
  wasted: ['wasted'],
  'app and production dependencies': ['app', 'production dependencies'],
};

/** One layer of an image: the instruction that made it and its bytes per category (explain's layerCategories). */
export interface LayerComposition {
  instruction: string;
  categories: Partial<Record<CompositionCategory, number>>;
}

/** One side of the waterfall: an image's bytes by category, and what else is known of it. */
export interface CompositionSide {
  label: string;
  categories: Record<CompositionCategory, number>;
  /** Bottom first; absent when only composition.csv is known (then the parts name no lines). */
  layers?: readonly LayerComposition[];
  /** The engine's image size (`docker images`), uncompressed; null when not known. */
  imageBytes?: number | null;
  /** The compressed size, as a push sends it; null when not known. */
  compressedBytes?: number | null;
}

/** A Dockerfile line behind a part: `from`, its layers held that many bytes more in A (they went); `to`, more in B. */
export interface CausingLine {
  side: 'from' | 'to';
  instruction: string;
  bytes: number;
}

export interface WaterfallPart {
  part: WaterfallPartName;
  /** to minus from: negative when the part shrank. */
  bytes: number;
  /** The part's share of the difference (bytes / difference); null when the difference is 0. */
  share: number | null;
  lines: CausingLine[];
}

export interface Waterfall {
  from: string;
  to: string;
  /** Every layer's file bytes (the seven categories added up), each side. */
  fromBytes: number;
  toBytes: number;
  /** toBytes - fromBytes: the parts add up to it exactly. */
  difference: number;
  parts: WaterfallPart[];
  uncompressed: { from: number | null; to: number | null };
  compressed: { from: number | null; to: number | null };
}

function sum(c: Partial<Record<CompositionCategory, number>>, cats: readonly CompositionCategory[]): number {
  return cats.reduce((s, k) => s + (c[k] ?? 0), 0);
}

export function compositionTotal(c: Record<CompositionCategory, number>): number {
  return sum(c, COMPOSITION_CATEGORIES);
}

/**
 * The lines behind a part: per instruction, the bytes of the part's categories its layers hold in `to` less those in
 * `from`, so a line both images share (the same base layer, the same COPY) cancels out and only what changed is
 * named; the biggest `n` changes, either way.
 */
function linesOf(from: CompositionSide, to: CompositionSide, cats: readonly CompositionCategory[], n: number): CausingLine[] {
  const net = new Map<string, number>();
  for (const l of from.layers ?? []) net.set(l.instruction, (net.get(l.instruction) ?? 0) - sum(l.categories, cats));
  for (const l of to.layers ?? []) net.set(l.instruction, (net.get(l.instruction) ?? 0) + sum(l.categories, cats));
  return [...net]
    .filter(([, bytes]) => bytes !== 0)
    .map(([instruction, bytes]): CausingLine => ({ side: bytes < 0 ? 'from' : 'to', instruction, bytes: Math.abs(bytes) }))
    .sort((a, b) => b.bytes - a.bytes || a.instruction.localeCompare(b.instruction))
    .slice(0, n);
}

/**
 * The waterfall from `from` to `to`. A part whose bytes did not change is kept (0), so every table has the six
 * rows (its lines may still name bytes that moved from one line to another).
 */
export function waterfallOf(from: CompositionSide, to: CompositionSide, linesPerPart = 3): Waterfall {
  const fromBytes = compositionTotal(from.categories);
  const toBytes = compositionTotal(to.categories);
  const difference = toBytes - fromBytes;
  const parts = WATERFALL_PARTS.map((part): WaterfallPart => {
    const cats = PART_CATEGORIES[part];
    const bytes = sum(to.categories, cats) - sum(from.categories, cats);
    const lines = linesOf(from, to, cats, linesPerPart);
    return { part, bytes, share: difference === 0 ? null : bytes / difference, lines };
  });
  return {
    from: from.label,
    to: to.label,
    fromBytes,
    toBytes,
    difference,
    parts,
    uncompressed: { from: from.imageBytes ?? null, to: to.imageBytes ?? null },
    compressed: { from: from.compressedBytes ?? null, to: to.compressedBytes ?? null },
  };
}

/** The word for a part's change: what the reader did to the image to get it. */
export function partVerb(p: WaterfallPart): string {
  if (p.bytes === 0) return 'unchanged';
  if (p.part === 'base image') return p.bytes < 0 ? 'smaller runtime' : 'larger runtime';
  if (p.part === 'app and production dependencies') return 'changed';
  return p.bytes < 0 ? 'removed' : 'added';
}

/** One side of a waterfall from an image explain has read: its categories and each layer's, with their instructions. */
export function sideOfExplanation(
  label: string,
  e: { categories: Record<CompositionCategory, number>; layerCategories: ReadonlyArray<Record<CompositionCategory, number>>; layers: ReadonlyArray<{ instruction: string }> },
  sizes: { imageBytes?: number | null; compressedBytes?: number | null } = {},
): CompositionSide {
  return {
    label,
    categories: e.categories,
    layers: e.layerCategories.map((categories, i) => ({ instruction: e.layers[i]?.instruction ?? '(no history)', categories })),
    imageBytes: sizes.imageBytes ?? null,
    compressedBytes: sizes.compressedBytes ?? null,
  };
}
