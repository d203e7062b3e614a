// GitHub-flavoured markdown, for a job summary ($GITHUB_STEP_SUMMARY) or a pull-request comment: the verdict on
// the first line, the tables below it, then the warnings.
import type { CompareResult } from './types.ts';
import { formatMetric, formatMs, formatP, formatPct, sideLabel, verdictSummary } from './format-values.ts';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function table(header: string[], rows: string[][], right: boolean[]): string[] {
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `|${right.map((r) => (r ? ' ---: ' : ' --- ')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}

function mark(verdict: string): string {
  return verdict === 'slower' || verdict === 'bigger' ? `**${verdict}**` : verdict;
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
        r.scenario, r.variant, r.phase, formatMs(r.baseline_median_ms), formatMs(r.current_median_ms),
        formatPct(r.change_pct, r.baseline_median_ms), formatP(r.p_value), mark(r.verdict),
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
          formatPct(r.change_pct, r.baseline), mark(r.verdict),
        ]),
        [false, false, false, true, true, true, false],
      ),
    );
  }
  if (result.warnings.length > 0) out.push('', ...result.warnings.map((w) => `> warning: ${cell(w)}`));
  return `${out.join('\n')}\n`;
}
