// The terminal format: aligned columns, numbers right-aligned.
import type { CompareResult } from './types.ts';
import { formatDuration } from '../units.ts';
import { formatChange, formatMetric, formatP, sideLabel, verdictSummary } from './format-values.ts';

function aligned(header: string[], rows: string[][], right: boolean[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

export function formatTable(result: CompareResult): string {
  const out = [
    `baseline: ${sideLabel(result.baseline)}`,
    `current:  ${sideLabel(result.current)}`,
    '',
    'Timings (median of ok samples; p from a two-sided Mann-Whitney test)',
    ...aligned(
      ['scenario', 'variant', 'phase', 'baseline', 'current', 'change', 'p', 'verdict'],
      result.timing.map((r) => [
        r.scenario, r.variant, r.phase, formatDuration(r.baseline_median_ms), formatDuration(r.current_median_ms),
        formatChange(r.change_pct, r.baseline_median_ms), formatP(r.p_value), r.verdict,
      ]),
      [false, false, false, true, true, true, true, false],
    ),
  ];
  if (result.sizes.length > 0) {
    out.push(
      '',
      'Sizes and vulnerability counts (exact)',
      ...aligned(
        ['scenario', 'variant', 'metric', 'baseline', 'current', 'change', 'verdict'],
        result.sizes.map((r) => [
          r.scenario, r.variant, r.metric, formatMetric(r.metric, r.baseline), formatMetric(r.metric, r.current),
          formatChange(r.change_pct, r.baseline), r.verdict,
        ]),
        [false, false, false, true, true, true, false],
      ),
    );
  }
  out.push('', verdictSummary(result));
  return `${out.join('\n')}\n`;
}
