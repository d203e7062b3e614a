// Size on a pull request: each variant's image size in the baseline and the current run, uncompressed and
// compressed, and, where the size moved and both runs have composition.csv, the waterfall of the change (which
// category grew or shrank, by how much). An added section beside compare's verdict rows; it gates nothing. Pure.
import { waterfallOf, type Waterfall } from '../explain/waterfall.ts';
import { signedBytes, waterfallMarkdown } from '../explain/waterfall-format.ts';
import { readComposition } from '../results/read.ts';
import { sizeValues } from '../stats/size-metrics.ts';
import { alignTable } from '../terminal/align-table.ts';
import { COMPOSITION_CATEGORIES, type CompositionCategory, type CompositionRow, type SampleRow } from '../types.ts';
import { formatBytes, formatPercent } from '../units.ts';
import { cell } from './format-markdown.ts';
import type { LoadedRun } from './load-run.ts';

export interface SizeSide {
  samples: readonly SampleRow[];
  /** composition.csv's rows; undefined when the run has none. */
  composition?: readonly CompositionRow[];
}

export interface VariantSizeChange {
  scenario: string;
  variant: string;
  uncompressed: { baseline: number | null; current: number | null };
  compressed: { baseline: number | null; current: number | null };
  /** The image size or its file bytes changed. */
  moved: boolean;
  /** From the baseline's composition to the current one's, when the size moved and both runs have one. */
  waterfall?: Waterfall;
}

function compositions(rows: readonly CompositionRow[] | undefined): Map<string, Record<CompositionCategory, number>> {
  const out = new Map<string, Record<CompositionCategory, number>>();
  for (const r of rows ?? []) {
    const key = `${r.scenario}\u0000${r.variant}`;
    const c = out.get(key) ?? (Object.fromEntries(COMPOSITION_CATEGORIES.map((k) => [k, 0])) as Record<CompositionCategory, number>);
    c[r.category] = r.bytes;
    out.set(key, c);
  }
  return out;
}

const total = (c: Record<CompositionCategory, number> | undefined) => (c ? COMPOSITION_CATEGORIES.reduce((s, k) => s + c[k], 0) : null);

/** One row per scenario and variant either run has an image size or a composition for, in first-seen order. */
export function sizeChanges(baseline: SizeSide, current: SizeSide): VariantSizeChange[] {
  const value = (side: SizeSide, metric: 'image_bytes' | 'compressed_bytes') => {
    const m = new Map<string, number>();
    for (const v of sizeValues(side.samples)) if (v.metric === metric) m.set(`${v.scenario}\u0000${v.variant}`, v.value);
    return m;
  };
  const bu = value(baseline, 'image_bytes');
  const cu = value(current, 'image_bytes');
  const bc = value(baseline, 'compressed_bytes');
  const cc = value(current, 'compressed_bytes');
  const bComp = compositions(baseline.composition);
  const cComp = compositions(current.composition);
  const keys = [...new Set([...bu.keys(), ...cu.keys(), ...bComp.keys(), ...cComp.keys()])];
  return keys.map((key) => {
    const [scenario, variant] = key.split('\u0000');
    const uncompressed = { baseline: bu.get(key) ?? null, current: cu.get(key) ?? null };
    const compressed = { baseline: bc.get(key) ?? null, current: cc.get(key) ?? null };
    const from = bComp.get(key);
    const to = cComp.get(key);
    const differs = (a: number | null, b: number | null) => a !== null && b !== null && a !== b;
    const moved = differs(uncompressed.baseline, uncompressed.current) || differs(compressed.baseline, compressed.current) || differs(total(from), total(to));
    const row: VariantSizeChange = { scenario, variant, uncompressed, compressed, moved };
    if (moved && from && to) {
      row.waterfall = waterfallOf(
        { label: `baseline ${scenario} ${variant}`, categories: from, imageBytes: uncompressed.baseline, compressedBytes: compressed.baseline },
        { label: `current ${scenario} ${variant}`, categories: to, imageBytes: uncompressed.current, compressedBytes: compressed.current },
      );
    }
    return row;
  });
}

function change(a: number | null, b: number | null): string {
  if (a === null || b === null) return '-';
  if (a === b) return 'same';
  return `${signedBytes(b - a)}${a > 0 ? ` (${formatPercent((100 * (b - a)) / a, true)})` : ''}`;
}

function rows(list: readonly VariantSizeChange[]): string[][] {
  return list.map((r) => [
    r.scenario, r.variant,
    formatBytes(r.uncompressed.baseline), formatBytes(r.uncompressed.current), change(r.uncompressed.baseline, r.uncompressed.current),
    formatBytes(r.compressed.baseline), formatBytes(r.compressed.current), change(r.compressed.baseline, r.compressed.current),
  ]);
}

const HEADER = ['scenario', 'variant', 'uncompressed before', 'after', 'change', 'compressed before', 'after', 'change'];
const NOTE = 'Uncompressed is the image size docker images shows; compressed is what a push sends and a pull downloads.';

/** The section for compare's markdown (a job summary): the table, then a waterfall per variant whose size moved. */
export function sizeChangeMarkdown(list: readonly VariantSizeChange[]): string {
  if (list.length === 0) return '';
  const out = ['', '**Image size per variant**', '', `| ${HEADER.join(' | ')} |`, `| --- | --- |${' ---: |'.repeat(6)}`];
  for (const r of rows(list)) out.push(`| ${r.map(cell).join(' | ')} |`);
  out.push('', NOTE);
  for (const r of list.filter((x) => x.waterfall)) {
    out.push('', waterfallMarkdown(r.waterfall!, `Where ${r.scenario} ${r.variant}'s size change comes from (file bytes by part, from composition.csv)`));
  }
  const unexplained = list.filter((x) => x.moved && !x.waterfall);
  if (unexplained.length > 0) out.push('', `No waterfall for ${unexplained.map((x) => `${x.scenario} ${x.variant}`).join(', ')}: both runs need composition.csv (a scan phase).`);
  return `${out.join('\n')}\n`;
}

/** The same for compare's terminal table. */
export function sizeChangeText(list: readonly VariantSizeChange[]): string {
  if (list.length === 0) return '';
  const out = ['', 'Image size per variant:', alignTable([HEADER, ...rows(list)]), NOTE];
  for (const r of list.filter((x) => x.waterfall)) {
    const w = r.waterfall!;
    out.push('', `${r.scenario} ${r.variant}: ${signedBytes(w.difference)} of file bytes, by part:`);
    out.push(alignTable(w.parts.filter((p) => p.bytes !== 0).map((p) => [`  ${p.part}`, signedBytes(p.bytes), p.share === null ? '-' : formatPercent(p.share * 100)])));
  }
  return `${out.join('\n')}\n`;
}

/** The section compare adds to its table and markdown outputs for two loaded runs; '' for the machine formats. */
export function sizeSection(format: string, baseline: LoadedRun, current: LoadedRun): string {
  if (format !== 'md' && format !== 'table') return '';
  const list = sizeChanges(
    { samples: baseline.samples, composition: readComposition(baseline.dir) },
    { samples: current.samples, composition: readComposition(current.dir) },
  );
  return format === 'md' ? sizeChangeMarkdown(list) : sizeChangeText(list);
}
