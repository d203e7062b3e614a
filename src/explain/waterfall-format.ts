// The waterfall written for a person (terminal text and markdown, for explain A B, the report and compare) and for
// tools (CSV rows). Pure; every figure through units.ts.
import { csvDocument } from '../results/csv.ts';
import { alignTable } from '../terminal/align-table.ts';
import { formatBytes, formatPercent, formatRatio } from '../units.ts';
import { partVerb, type Waterfall, type WaterfallPart } from './waterfall.ts';

/** "-120.4 MB", "+3.1 kB", "0 B". */
export function signedBytes(n: number): string {
  return n > 0 ? `+${formatBytes(n)}` : formatBytes(n);
}

export function partLabel(p: WaterfallPart): string {
  return p.bytes === 0 ? p.part : `${p.part} ${partVerb(p)}`;
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function lineText(p: WaterfallPart, width: number): string {
  return p.lines.map((l) => `${l.side === 'from' ? '−' : '+'} ${clip(l.instruction, width)} (${formatBytes(l.bytes)})`).join('; ');
}

/** "6.8x smaller", "1.2x larger", "same size". */
export function sizeChange(from: number | null, to: number | null): string {
  if (from === null || to === null || from <= 0 || to <= 0) return '-';
  if (from === to) return 'same size';
  return from > to ? `${formatRatio(from / to)} smaller` : `${formatRatio(to / from)} larger`;
}

/** How the sum of the parts relates to the engine's image size: the one note every output carries. */
export const FILE_BYTES_NOTE = 'The parts add up exactly to the change in file bytes: every file of every layer, wasted ones included, as the '
  + 'categories of composition.csv count them. The engine\'s image size (docker images) is the same files plus the '
  + 'text of symlink targets in layers it unpacked itself; an image\'s size there is never below its file bytes. '
  + 'Compressed is what a push sends and a pull downloads (gzip of each layer).';

function sizeRows(w: Waterfall): string[][] {
  const row = (what: string, u: number | null, c: number | null) => [what, formatBytes(u), formatBytes(c)];
  const du = w.uncompressed.from !== null && w.uncompressed.to !== null ? w.uncompressed.to - w.uncompressed.from : null;
  const dc = w.compressed.from !== null && w.compressed.to !== null ? w.compressed.to - w.compressed.from : null;
  return [
    row(w.from, w.uncompressed.from, w.compressed.from),
    row(w.to, w.uncompressed.to, w.compressed.to),
    [
      'change',
      du === null ? '-' : `${signedBytes(du)} (${sizeChange(w.uncompressed.from, w.uncompressed.to)})`,
      dc === null ? '-' : `${signedBytes(dc)} (${sizeChange(w.compressed.from, w.compressed.to)})`,
    ],
  ];
}

export function waterfallText(w: Waterfall): string {
  const out: string[] = [`From ${w.from} to ${w.to}`, ''];
  out.push(alignTable([['  image', 'uncompressed (docker images)', 'compressed (as pushed)'], ...sizeRows(w).map(([a, ...r]) => [`  ${a}`, ...r])]));
  out.push('', `Where the change comes from, in file bytes: ${formatBytes(w.fromBytes)} -> ${formatBytes(w.toBytes)}, ${signedBytes(w.difference)}`);
  const rows = w.parts.map((p) => [`  ${partLabel(p)}`, signedBytes(p.bytes), p.share === null ? '-' : formatPercent(p.share * 100)]);
  rows.push(['  total', signedBytes(w.difference), w.difference === 0 ? '-' : formatPercent(100)]);
  out.push(alignTable([['  part', 'bytes', 'share'], ...rows]));
  const caused = w.parts.filter((p) => p.lines.length > 0);
  if (caused.length > 0) {
    out.push('', `The Dockerfile lines behind each part (− the line holds that many more of its bytes in ${w.from}, + in ${w.to}; a line both images share cancels out):`);
    for (const p of caused) {
      out.push(`  ${partLabel(p)}:`);
      for (const l of p.lines) out.push(`    ${l.side === 'from' ? `− ${w.from}` : `+ ${w.to}`}: ${clip(l.instruction, 90)} (${formatBytes(l.bytes)})`);
    }
  }
  out.push('', FILE_BYTES_NOTE);
  return out.join('\n');
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/`/g, "'");

/** The waterfall as markdown: the two sizes, then one row per part with its share and the lines behind it. */
export function waterfallMarkdown(w: Waterfall, heading = `From ${w.from} to ${w.to}`): string {
  const out: string[] = [];
  if (heading) out.push(`**${heading}**`, '');
  out.push('| image | uncompressed (docker images) | compressed (as pushed) |', '| --- | ---: | ---: |');
  for (const [a, u, c] of sizeRows(w)) out.push(`| ${cell(a)} | ${u} | ${c} |`);
  out.push('', '| part | file bytes | share of the change | Dockerfile lines behind it |', '| --- | ---: | ---: | --- |');
  for (const p of w.parts) {
    out.push(`| ${partLabel(p)} | ${signedBytes(p.bytes)} | ${p.share === null ? '—' : formatPercent(p.share * 100)} | ${cell(lineText(p, 60)) || '—'} |`);
  }
  out.push(`| **total** | **${signedBytes(w.difference)}** | ${w.difference === 0 ? '—' : formatPercent(100)} | ${formatBytes(w.fromBytes)} → ${formatBytes(w.toBytes)} |`);
  return out.join('\n');
}

export const WATERFALL_COLUMNS = ['from', 'to', 'part', 'bytes', 'share'] as const;

/** One row per part and a total row; raw numbers. */
export function waterfallCsv(list: readonly Waterfall[]): string {
  return csvDocument(WATERFALL_COLUMNS, list.flatMap((w) => [
    ...w.parts.map((p) => ({ from: w.from, to: w.to, part: p.part, bytes: p.bytes, share: p.share === null ? null : Math.round(p.share * 1e6) / 1e6 })),
    { from: w.from, to: w.to, part: 'total', bytes: w.difference, share: w.difference === 0 ? null : 1 },
  ]));
}
