// report.md: the article's claims checked, headlines, what it is worth, then per scenario its tables, then the environment. Pure: facts in, text out.
import type { RunFacts } from './facts.ts';
import { headlines } from './headlines.ts';
import { variantLabel } from './format.ts';
import { buildCommands, environmentRows, NO_HEADLINE, runIntro, scenarioTables, type Table } from './tables.ts';
import { CLAIMS_TITLE, claimsOfRun, claimsTable, WORTH_TITLE, worthTables } from './team-tables.ts';
import { DEFAULT_WORTH, type WorthAssumptions } from './worth.ts';
import { inertReferences } from '../terminal/terminal-text.ts';

// Text from the data (scenario names, errors, instructions) must not turn into markup, links or HTML: every
// character Markdown or a table gives meaning to inline is escaped, and a line break would end a table row; @mentions,
// #123 references and bare URLs are made inert (GitHub links them even when escaped).
export function mdEscape(text: string): string {
  return inertReferences(text).replace(/\s*[\r\n]+\s*/g, ' ').replace(/[\\`*_[\]<>|&~#!]/g, (c) => `\\${c}`);
}

export function mdTable(t: Table): string {
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    row(t.columns.map(mdEscape)),
    row(t.numeric.map((n) => (n ? '--:' : '---'))),
    ...t.rows.map((r) => row(r.map(mdEscape))),
  ].join('\n');
}

function codeBlock(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}sh\n${text}\n${fence}`;
}

export function renderMarkdown(facts: RunFacts, worth: WorthAssumptions = DEFAULT_WORTH): string {
  const out: string[] = [];
  out.push(`# stagebench report: ${mdEscape(facts.runId)}`, '');
  const [about, ...phases] = runIntro(facts);
  out.push(mdEscape(about), '', ...phases, '');

  out.push(`## ${CLAIMS_TITLE}`, '', mdTable(claimsTable(claimsOfRun(facts))), '');

  out.push('## Headlines', '');
  const lines = headlines(facts);
  if (lines.length === 0) {
    out.push(NO_HEADLINE);
  }
  for (const h of lines) {
    out.push(`- **${mdEscape(h.scenario)}, ${mdEscape(variantLabel(h.variant))}**: ${mdEscape(h.claims.join(', '))}.`);
  }
  out.push('');

  const w = worthTables(facts, worth);
  out.push(`## ${WORTH_TITLE}`, '', mdEscape(`Assumptions: ${w.assumptions}.`), '', mdTable(w.table), '');

  for (const s of facts.scenarios) {
    const t = scenarioTables(facts, s);
    out.push(`## ${mdEscape(s.scenario)}`, '');
    out.push(`Variants: ${s.variants.map((v) => mdEscape(v.variant)).join(', ')}.`);
    if (t.notMeasured.length > 0) out.push(`Not measured for this scenario: ${t.notMeasured.join(', ')}.`);
    out.push('');
    for (const block of t.blocks) {
      out.push(`### ${block.title}`, '');
      if (block.table) out.push(mdTable(block.table), '');
      for (const note of block.notes) out.push(mdEscape(note), '');
    }
  }

  out.push('## Environment', '');
  out.push(mdTable({ columns: ['', ''], numeric: [false, false], rows: environmentRows(facts.info) }), '');
  const builds = buildCommands(facts.info);
  if (builds.length > 0) {
    out.push('### Reproduce a build by hand', '');
    for (const b of builds) out.push(`${mdEscape(b.scenario)}, ${mdEscape(b.variant)}:`, '', codeBlock(b.command), '');
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
