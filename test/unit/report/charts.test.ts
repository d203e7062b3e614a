import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { allCharts, type ChartSpec } from '../../../src/report/charts.ts';
import { collectFacts } from '../../../src/report/facts.ts';
import { loadRunData } from '../../../src/report/run-data.ts';
import { fullRun, makeRun, writeRunFolder, type Measure, type RunFiles } from './run-folder.ts';

const work = mkdtempSync(join(tmpdir(), 'stagebench-charts-'));
let runs = 0;

function chartsOf(run: RunFiles): ChartSpec[] {
  return allCharts(collectFacts(loadRunData(writeRunFolder(join(work, `run-${runs++}`), run))));
}

function chart(charts: ChartSpec[], suffix: string): ChartSpec {
  const found = charts.find((c) => c.id.endsWith(`-${suffix}`));
  assert.ok(found, `no ${suffix} chart among ${charts.map((c) => c.id).join(', ')}`);
  return found!;
}

const m = (variant: string, phase: Measure['phase'], samples: Measure['samples'], extra: Partial<Measure> = {}): Measure =>
  ({ scenario: 'app', variant, phase, samples, ...extra });

test('a full run has every chart: size, cold and warm builds, push and pull times and bytes, start-up, packages, findings', () => {
  const charts = chartsOf(fullRun());
  assert.equal(charts.map((c) => c.id), [
    'chart-0-size', 'chart-0-build-cold', 'chart-0-build-warm', 'chart-0-transfer-time', 'chart-0-transfer-bytes', 'chart-0-run',
    'chart-0-packages', 'chart-0-findings',
  ]);
  const size = chart(charts, 'size');
  assert.equal(size.labels, ['single', 'multi', 'distroless']);
  assert.equal(size.datasets[0].data, [751, 142, 118]);
  // Each bar's text is the units module's, as the tables beside the chart write it.
  assert.equal(size.datasets[0].texts, ['751.0 MB', '142.0 MB', '118.0 MB']);
});

test('time bars are medians with their min and max as spread, in seconds when long', () => {
  const cold = chart(chartsOf(makeRun([m('single', 'build-cold', [10_000, 12_000, 11_000]), m('multi', 'build-cold', [4_000, 5_000, 6_000])])), 'build-cold');
  assert.is(cold.unit, 's');
  assert.equal(cold.datasets[0].data, [11, 5]);
  assert.equal(cold.datasets[0].spread, [[10, 12], [4, 6]]);
  assert.equal(cold.datasets[0].texts, ['11.0 s', '5.00 s']);
  assert.equal(cold.datasets[0].spreadTexts, [['10.0 s', '12.0 s'], ['4.00 s', '6.00 s']]);
  assert.ok(cold.suggestedMax! >= 12);
  const run = chart(chartsOf(makeRun([m('single', 'run', [400, 420]), m('multi', 'run', [300, 320])])), 'run');
  assert.is(run.unit, 'ms');
  assert.equal(run.datasets[0].data, [410, 310]);
});

test('a variant whose samples all failed has no bar, is marked failed, and the chart says so', () => {
  const cold = chart(chartsOf(makeRun([m('single', 'build-cold', [10_000]), m('multi', 'build-cold', ['cached step', 'cached step'])])), 'build-cold');
  assert.equal(cold.datasets[0].data, [10, null]);
  assert.equal(cold.datasets[0].failed, [false, true]);
  assert.ok(cold.notes.includes('multi: build-cold failed (2 of 2 samples).'), cold.notes.join(' / '));
});

test('bars of a transfer whose samples all failed are marked failed in the bytes chart too', () => {
  const bytes = chart(chartsOf(makeRun([
    m('single', 'push-cold', [9_000], { transfer_bytes: 400e6 }),
    m('multi', 'push-cold', ['build failed: not found'], { transfer_bytes: 90e6 }),
  ])), 'transfer-bytes');
  assert.equal(bytes.datasets[0].data, [400, null]);
  assert.equal(bytes.datasets[0].texts, ['400.0 MB', null]);
  assert.equal(bytes.datasets[0].failed, [false, true]);
});

test('charts of phases a run lacks are left out', () => {
  const charts = chartsOf(makeRun([m('single', 'build-cold', [10_000]), m('multi', 'build-cold', [6_000])]));
  assert.equal(charts.map((c) => c.id), ['chart-0-build-cold']);
});

test('canvas ids come from positions, never from scenario names', () => {
  const charts = chartsOf(makeRun([{ scenario: '"><script>', variant: 'single', phase: 'run', samples: [100] }]));
  assert.equal(charts.map((c) => c.id), ['chart-0-run']);
});

test.after(() => rmSync(work, { recursive: true, force: true }));

test.run();
