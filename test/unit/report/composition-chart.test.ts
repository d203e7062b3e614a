// Where the bytes go, in the report: a stacked bar per variant from composition.csv (one segment per category, in
// MB, adding up to the variant's bytes), right after the image size; a table of the same in report.md; nothing of it
// when the run has no composition.csv.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { allCharts, type ChartSpec } from '../../../src/report/charts.ts';
import { collectFacts } from '../../../src/report/facts.ts';
import { renderMarkdown } from '../../../src/report/markdown.ts';
import { loadRunData } from '../../../src/report/run-data.ts';
import { COMPOSITION_CATEGORIES } from '../../../src/types.ts';
import { fullComposition, fullRun, writeRunFolder, type RunFiles } from './run-folder.ts';

const work = mkdtempSync(join(tmpdir(), 'stagebench-composition-chart-'));
let runs = 0;

function facts(run: RunFiles) {
  return collectFacts(loadRunData(writeRunFolder(join(work, `run-${runs++}`), run)));
}

function compositionChart(charts: ChartSpec[]): ChartSpec | undefined {
  return charts.find((c) => c.id.endsWith('-composition'));
}

test('a stacked bar per variant, a segment per category in the contract\'s order, right after the image size', () => {
  const charts = allCharts(facts({ ...fullRun(), composition: fullComposition() }));
  assert.equal(charts.slice(0, 2).map((c) => c.id), ['chart-0-size', 'chart-0-composition']);
  const c = compositionChart(charts)!;
  assert.is(c.title, 'Where the bytes go');
  assert.ok(c.stacked);
  assert.ok(c.legend);
  assert.is(c.unit, 'MB');
  assert.equal(c.labels, ['single', 'multi', 'distroless']);
  assert.equal(c.datasets.map((d) => d.label), [...COMPOSITION_CATEGORIES]);
  assert.ok(c.datasets.every((d) => d.stack === 'bytes'));
  assert.is(new Set(c.datasets.map((d) => d.color)).size, COMPOSITION_CATEGORIES.length);
  const dev = c.datasets.find((d) => d.label === 'devDependencies')!;
  assert.equal(dev.data, [180, 0, 0]);
  // Each bar adds up to the variant's image size in the fixture (751, 142, 118 MB).
  const totals = c.labels.map((_, i) => c.datasets.reduce((s, d) => s + (d.data[i] ?? 0), 0));
  assert.equal(totals.map(Math.round), [751, 142, 118]);
  assert.not.ok(c.wide);
});

test('a variant without composition rows has no bar, and the chart says so', () => {
  const c = compositionChart(allCharts(facts({ ...fullRun(), composition: fullComposition().filter((r) => r.variant !== 'multi') })))!;
  assert.equal(c.labels, ['single', 'distroless']);
  assert.ok(c.notes.some((n) => n.includes('No composition for multi')), c.notes.join(' | '));
});

test('no composition.csv: no chart and no table', () => {
  const f = facts(fullRun());
  assert.is(compositionChart(allCharts(f)), undefined);
  assert.not.match(renderMarkdown(f), 'Where the bytes go');
});

test('report.md tabulates the categories per variant, with every layer\'s bytes at the bottom', () => {
  const md = renderMarkdown(facts({ ...fullRun(), composition: fullComposition() }));
  const section = md.slice(md.indexOf('### Where the bytes go'));
  assert.match(section, /\| category \| single \| multi \| distroless \|/);
  assert.match(section, /\| devDependencies \| 180\.0 MB \| 0 B \| 0 B \|/);
  assert.match(section, /\| all layers \| 751\.0 MB \| 142\.0 MB \| 118\.0 MB \|/);
  assert.ok(md.indexOf('### Image size') < md.indexOf('### Where the bytes go'));
});

test.after(() => rmSync(work, { recursive: true, force: true }));

test.run();
