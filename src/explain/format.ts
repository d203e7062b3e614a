// explain's output: text for a person, JSON for tools, CSV of the bytes per category (the columns of composition.csv).
import { alignTable } from '../terminal/align-table.ts';
import { formatBytes, formatPercent } from '../units.ts';
import { csvDocument } from '../results/csv.ts';
import { COMPOSITION_CATEGORIES, COMPOSITION_COLUMNS, type CompositionRow } from '../types.ts';
import type { Explanation } from './explain.ts';

const pct = (part: number, whole: number) => (whole > 0 ? formatPercent((100 * part) / whole) : '-');

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

export function explainText(e: Explanation): string {
  const out: string[] = [];
  out.push(`${e.image}: ${formatBytes(e.totalBytes)} of files, ${formatBytes(e.layerBytes)} in ${e.layers.length} layers; efficiency ${formatPercent(e.efficiency * 100)} (dive's score), wasted ${formatBytes(e.wastedBytes)}`);
  out.push(`(symlinks: ${formatBytes(e.symlinkBytes)} of target text, in no category; the engine's size counts it for layers it unpacked itself, not for layers BuildKit made)`);
  out.push('', 'By category:');
  out.push(alignTable(COMPOSITION_CATEGORIES.map((c) => [`  ${c}`, formatBytes(e.categories[c]), c === 'wasted' ? pct(e.categories[c], e.layerBytes) : pct(e.categories[c], e.totalBytes)])));
  out.push('', 'By layer:');
  out.push(alignTable(e.layers.map((l) => [`  ${l.index}`, formatBytes(l.bytes), pct(l.bytes, e.layerBytes), clip(l.instruction, 90)])).replace(/ +$/gm, ''));
  out.push('', 'By top-level folder:');
  out.push(alignTable(e.folders.slice(0, 12).map((f) => [`  ${f.folder}`, formatBytes(f.bytes), pct(f.bytes, e.totalBytes)])));
  out.push('', 'Largest files:');
  out.push(alignTable(e.largestFiles.map((f) => [`  ${f.path}`, formatBytes(f.bytes)])));
  out.push('', `node_modules: production ${formatBytes(e.categories['production dependencies'])}, devDependencies ${formatBytes(e.categories.devDependencies)} (dev told by: ${e.devSource})`);
  if (e.packages.length > 0) out.push(alignTable(e.packages.map((p) => [`  ${p.name}${p.dev ? ' (dev)' : ''}`, formatBytes(p.bytes), p.dir])));
  if (e.duplicates.length > 0) out.push(`  duplicated versions: ${e.duplicates.slice(0, 10).map((d) => `${d.name} ${d.versions.join(', ')}`).join('; ')}${e.duplicates.length > 10 ? `; and ${e.duplicates.length - 10} more` : ''}`);
  const osTotal = e.osPackages.reduce((s, p) => s + p.bytes, 0);
  out.push('', `OS packages: ${e.osPackages.length}, ${formatBytes(osTotal)} installed; build toolchain ${formatBytes(e.osToolchainBytes)} (${e.osPackages.filter((p) => p.toolchain).length} packages)`);
  if (e.osPackages.length > 0) out.push(alignTable(e.osPackages.slice(0, 8).map((p) => [`  ${p.name}${p.toolchain ? ' (toolchain)' : ''}`, formatBytes(p.bytes)])));
  out.push('', `Caches that should not ship: ${e.caches.length === 0 ? 'none' : ''}`);
  if (e.caches.length > 0) out.push(alignTable(e.caches.map((c) => [`  ${c.kind}`, formatBytes(c.bytes)])));
  out.push('', `Wasted (written, then deleted or overwritten by a later layer): ${formatBytes(e.wastedBytes)}`);
  if (e.wastedFiles.length > 0) out.push(alignTable(e.wastedFiles.slice(0, 5).map((w) => [`  ${w.path}`, formatBytes(w.bytes), `layer ${w.layer}`])));
  out.push('', 'Verdict:');
  if (e.verdict.length === 0) out.push('  nothing avoidable found');
  e.verdict.forEach((c, i) => out.push(`  ${i + 1}. ${c.what}: ${c.fix}`));
  return out.join('\n');
}

/** The rows of composition.csv for one image: every category, in the contract's order, zeros included. */
export function compositionRows(e: Explanation, scenario = '', variant = ''): CompositionRow[] {
  return COMPOSITION_CATEGORIES.map((category) => ({ scenario, variant, category, bytes: e.categories[category] }));
}

export function explainCsv(list: Array<{ e: Explanation; scenario?: string; variant?: string }>): string {
  return csvDocument(COMPOSITION_COLUMNS, list.flatMap(({ e, scenario, variant }) => compositionRows(e, scenario, variant)));
}
