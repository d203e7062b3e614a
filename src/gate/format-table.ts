// The terminal format: aligned columns, numbers right-aligned; the exact metrics first, then the timings.
import type { CompareResult } from './types.ts';
import { exactSection, notRunLines, sideLabel, timingSection, verdictSummary, type Section } from './format-values.ts';

function aligned({ header, rows, right }: Section): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

export function formatTable(result: CompareResult): string {
  const out = [`baseline: ${sideLabel(result.baseline)}`, `current:  ${sideLabel(result.current)}`];
  for (const section of [exactSection(result), timingSection(result)]) {
    if (section.rows.length > 0) out.push('', section.title, ...aligned(section));
  }
  const notRun = notRunLines(result);
  if (notRun.length > 0) out.push('', ...notRun);
  out.push('', verdictSummary(result));
  return `${out.join('\n')}\n`;
}
