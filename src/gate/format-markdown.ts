// GitHub-flavoured markdown, for a job summary ($GITHUB_STEP_SUMMARY) or a pull-request comment: the verdict on
// the first line, the tables below it, then the warnings.
import { inertReferences, stripControls } from '../terminal/terminal-text.ts';
import type { CompareResult } from './types.ts';
import { exactSection, notRunLines, sideLabel, timingSection, verdictSummary, type Section } from './format-values.ts';

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

function table({ header, rows, right }: Section): string[] {
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `|${right.map((r) => (r ? ' ---: ' : ' --- ')).join('|')}|`,
    ...rows.map((r) => `| ${r.map((c, i) => (i === r.length - 1 ? mark(c) : cell(c))).join(' | ')} |`),
  ];
}

/** The verdict column: a word of stagebench's own, bold when it is a regression. */
function mark(verdict: string): string {
  return verdict === 'slower' || verdict === 'bigger' || verdict === 'failed' ? `**${cell(verdict)}**` : cell(verdict);
}

export function formatMarkdown(result: CompareResult): string {
  const out = [
    `**stagebench compare: ${cell(verdictSummary(result))}**`,
    '',
    `Baseline ${cell(sideLabel(result.baseline))}, current ${cell(sideLabel(result.current))}.`,
  ];
  for (const section of [exactSection(result), timingSection(result)]) {
    if (section.rows.length > 0) out.push('', cell(section.title), '', ...table(section));
  }
  const notRun = notRunLines(result);
  if (notRun.length > 0) out.push('', ...notRun.map((l) => `> ${cell(l)}`));
  if (result.warnings.length > 0) out.push('', ...result.warnings.map((w) => `> warning: ${cell(w)}`));
  return `${out.join('\n')}\n`;
}
