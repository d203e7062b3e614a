// GitHub-flavoured markdown, for a job summary ($GITHUB_STEP_SUMMARY) or a pull-request comment: the verdict on
// the first line, the tables below it, then the warnings.
import { inertReferences, stripControls } from '../terminal/terminal-text.ts';
import type { CompareResult } from './types.ts';
import { formatDuration } from '../units.ts';
import { formatChange, formatMetric, formatP, sideLabel, verdictSummary } from './format-values.ts';

/**
 * Text from the runs (scenario names, error texts, labels) as inert markdown: HTML is shown, not rendered (GitHub
 * renders some tags in a job summary), markdown punctuation is escaped, control characters are dropped, and
 * @mentions, #123 references and bare URLs do not link.
 */
export function cell(text: string): string {
  return inertReferences(stripControls(text))
    .replace(/\r?\n/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*[\]|~!]/g, (c) => `\\${c}`);
}

function table(header: string[], rows: string[][], right: boolean[]): string[] {
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `|${right.map((r) => (r ? ' ---: ' : ' --- ')).join('|')}|`,
    ...rows.map((r) => `| ${r.map((c, i) => (i === r.length - 1 ? mark(c) : cell(c))).join(' | ')} |`),
  ];
}

/** The verdict column: a word of stagebench's own, bold when it is a regression. */
function mark(verdict: string): string {
  return verdict === 'slower' || verdict === 'bigger' ? `**${cell(verdict)}**` : cell(verdict);
}

export function formatMarkdown(result: CompareResult): string {
  const out = [
    `**stagebench compare: ${verdictSummary(result)}**`,
    '',
    `Baseline ${cell(sideLabel(result.baseline))}, current ${cell(sideLabel(result.current))}.`,
    '',
    ...table(
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
      ...table(
        ['scenario', 'variant', 'metric', 'baseline', 'current', 'change', 'verdict'],
        result.sizes.map((r) => [
          r.scenario, r.variant, r.metric, formatMetric(r.metric, r.baseline), formatMetric(r.metric, r.current),
          formatChange(r.change_pct, r.baseline), r.verdict,
        ]),
        [false, false, false, true, true, true, false],
      ),
    );
  }
  if (result.warnings.length > 0) out.push('', ...result.warnings.map((w) => `> warning: ${cell(w)}`));
  return `${out.join('\n')}\n`;
}
