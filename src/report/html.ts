// report.html: one self-contained page (Chart.js, styles and data inline) that opens from file:// with no network.
// Pure: facts and the Chart.js source in, text out. Every string from the data is escaped.
import { allCharts, type ChartSpec } from './charts.ts';
import type { RunFacts } from './facts.ts';
import { variantLabel } from './format.ts';
import { headlines } from './headlines.ts';
import { PAGE_SCRIPT } from './page-script.ts';
import { buildCommands, environmentRows, NO_HEADLINE, runIntro, scenarioTables, type Table } from './tables.ts';
import { CLAIMS_TITLE, claimsOfRun, claimsTable, WORTH_TITLE, worthTables } from './team-tables.ts';
import { DEFAULT_WORTH, type WorthAssumptions } from './worth.ts';

export function htmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON inside a <script> block: no '<' may survive, or '</script>' in the data would end the block. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A script's source inside <script>: the only sequences that could end or confuse the element, made inert. */
function inlineScript(source: string): string {
  return source.replace(/<\/script/gi, '<\\/script').replace(/<!--/g, '<\\!--');
}

const STYLE = `
:root { --ink: #1d2733; --muted: #5b6673; --line: #dde2e8; --accent: #2f6db5; --paper: #ffffff; --soft: #f4f6f9; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--soft); color: var(--ink);
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", "DejaVu Sans", Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 32px 28px 48px; }
h1 { font-size: 1.9rem; margin: 0 0 4px; letter-spacing: -0.01em; }
h2 { font-size: 1.45rem; margin: 40px 0 8px; padding-bottom: 6px; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.05rem; margin: 0 0 8px; }
p { margin: 4px 0; }
.meta, .note, figcaption { color: var(--muted); }
.note, figcaption { font-size: 0.88rem; }
.headlines { background: var(--paper); border: 1px solid var(--line); border-left: 5px solid var(--accent);
  border-radius: 8px; padding: 14px 22px 14px 22px; margin: 24px 0; }
.headlines h2, .claims h2 { margin-top: 4px; border: 0; padding: 0; }
.claims { background: var(--paper); border: 1px solid var(--line); border-left: 5px solid var(--accent);
  border-radius: 8px; padding: 14px 22px; margin: 24px 0; overflow-x: auto; }
.claims td:nth-child(3) { font-size: 0.85rem; }
td.verdict-confirmed { color: #1f7a3a; font-weight: 600; }
td.verdict-refuted { color: #b8473f; font-weight: 600; }
td.verdict-mixed, td.verdict-not-significant { color: #8a6d1d; font-weight: 600; }
.worth { overflow-x: auto; }
.headlines ul { margin: 6px 0; padding-left: 20px; }
.headlines li { margin: 8px 0; }
nav { font-size: 0.95rem; }
nav a { color: var(--accent); margin-right: 14px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 18px; margin: 16px 0 8px; }
figure.chart.wide { grid-column: 1 / -1; }
figure.chart { margin: 0; background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px 10px; }
.chart-box { position: relative; height: 290px; }
figcaption p { margin: 2px 0; }
.block { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin: 16px 0; overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; background: var(--soft); white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr:nth-child(even) td { background: #fafbfc; }
table.env tbody tr td { background: none; }
td.failed { color: #b8473f; font-weight: 600; }
td.absent { color: var(--muted); }
.env th { width: 190px; background: none; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; overflow-x: auto;
  font-size: 0.85rem; white-space: pre-wrap; word-break: break-all; }
footer { color: var(--muted); font-size: 0.85rem; margin-top: 40px; }
@media print { body { background: #fff; } .charts { grid-template-columns: 1fr 1fr; } figure.chart, .block { break-inside: avoid; } }
`;

function tableHtml(t: Table, className = ''): string {
  const cls = (i: number, cell?: string) => {
    const verdict = t.columns[i] === 'verdict' && cell ? `verdict-${cell.replace(/\s+/g, '-')}` : '';
    const names = [t.numeric[i] ? 'num' : '', cell?.startsWith('failed') ? 'failed' : '', cell === 'not measured' ? 'absent' : '', verdict];
    const joined = names.filter(Boolean).join(' ');
    return joined ? ` class="${joined}"` : '';
  };
  const head = t.columns.map((c, i) => `<th${cls(i)}>${htmlEscape(c)}</th>`).join('');
  const body = t.rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i, c)}>${htmlEscape(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table${className ? ` class="${className}"` : ''}><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function chartFigure(c: ChartSpec): string {
  const caption = c.notes.map((n) => `<p>${htmlEscape(n)}</p>`).join('');
  return [
    `<figure class="chart${c.wide ? ' wide' : ''}">`,
    `<h3>${htmlEscape(c.title)}</h3>`,
    `<div class="chart-box"><canvas id="${htmlEscape(c.id)}" role="img" aria-label="${htmlEscape(`${c.title}, ${c.scenario}`)}"></canvas></div>`,
    caption ? `<figcaption>${caption}</figcaption>` : '',
    '</figure>',
  ].join('');
}

export function renderHtml(facts: RunFacts, chartLibrary: string, worth: WorthAssumptions = DEFAULT_WORTH): string {
  const charts = allCharts(facts);
  const title = `stagebench report: ${facts.runId}`;
  const [about, ...phases] = runIntro(facts);
  const lines = headlines(facts);
  const out: string[] = [];
  out.push(
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${htmlEscape(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    '<header>',
    `<h1>${htmlEscape(title)}</h1>`,
    `<p class="meta">${htmlEscape(about)}</p>`,
    ...phases.map((p) => `<p class="meta">${htmlEscape(p)}</p>`),
    '</header>',
    '<section class="claims" id="claims">',
    `<h2>${htmlEscape(CLAIMS_TITLE)}</h2>`,
    tableHtml(claimsTable(claimsOfRun(facts))),
    '</section>',
    '<section class="headlines" id="headlines">',
    '<h2>Headlines</h2>',
    lines.length === 0
      ? `<p>${htmlEscape(NO_HEADLINE)}</p>`
      : `<ul>${lines
        .map((h) => `<li><strong>${htmlEscape(`${h.scenario}, ${variantLabel(h.variant)}`)}</strong>: ${htmlEscape(h.claims.join(', '))}.</li>`)
        .join('\n')}</ul>`,
    '</section>',
  );
  const w = worthTables(facts, worth);
  out.push(
    '<section class="worth" id="worth">',
    `<h2>${htmlEscape(WORTH_TITLE)}</h2>`,
    `<p class="meta">${htmlEscape(`Assumptions: ${w.assumptions}.`)}</p>`,
    tableHtml(w.table),
    '</section>',
  );
  if (facts.scenarios.length > 1) {
    out.push(`<nav>Scenarios: ${facts.scenarios.map((s, i) => `<a href="#scenario-${i}">${htmlEscape(s.scenario)}</a>`).join('')}</nav>`);
  }

  facts.scenarios.forEach((s, i) => {
    const t = scenarioTables(facts, s);
    out.push(`<section class="scenario" id="scenario-${i}">`, `<h2>${htmlEscape(s.scenario)}</h2>`);
    out.push(`<p class="meta">Variants: ${htmlEscape(s.variants.map((v) => v.variant).join(', '))}.</p>`);
    if (t.notMeasured.length > 0) out.push(`<p class="meta">Not measured for this scenario: ${htmlEscape(t.notMeasured.join(', '))}.</p>`);
    const mine = charts.filter((c) => c.id.startsWith(`chart-${i}-`));
    if (mine.length > 0) out.push(`<div class="charts">${mine.map(chartFigure).join('\n')}</div>`);
    for (const block of t.blocks) {
      out.push(
        `<div class="block block-${block.key}">`,
        `<h3>${htmlEscape(block.title)}</h3>`,
        block.table ? tableHtml(block.table) : '',
        ...block.notes.map((n) => `<p class="note">${htmlEscape(n)}</p>`),
        '</div>',
      );
    }
    out.push('</section>');
  });

  out.push('<section class="environment" id="environment">', '<h2>Environment</h2>', '<div class="block">');
  const env = environmentRows(facts.info).map(([k, v]) => `<tr><th>${htmlEscape(k)}</th><td>${htmlEscape(v)}</td></tr>`);
  out.push(`<table class="env"><tbody>\n${env.join('\n')}\n</tbody></table>`, '</div>');
  const builds = buildCommands(facts.info);
  if (builds.length > 0) {
    out.push('<div class="block">', '<h3>Reproduce a build by hand</h3>');
    for (const b of builds) {
      out.push(`<p>${htmlEscape(`${b.scenario}, ${b.variant}`)}:</p>`, `<pre><code>${htmlEscape(b.command)}</code></pre>`);
    }
    out.push('</div>');
  }
  out.push('</section>');
  out.push(
    '<footer>Made by stagebench report. Bars are medians of the successful samples; whiskers span their minimum to maximum.</footer>',
    '</main>',
    `<script>${inlineScript(chartLibrary)}</script>`,
    `<script type="application/json" id="stagebench-charts">${scriptJson(charts)}</script>`,
    `<script>${inlineScript(PAGE_SCRIPT)}</script>`,
    '</body>',
    '</html>',
  );
  return `${out.filter((l) => l !== '').join('\n')}\n`;
}
