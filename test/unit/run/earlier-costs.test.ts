// Costs from earlier runs: medians plus each phase's preparation per sample, per phase and per scenario.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { costsFromEarlierRuns, costsOfRows, preparationPerSample } from '../../../src/run/earlier-costs.ts';
import { costKey } from '../../../src/run/plan.ts';
import { readSummary } from '../../../src/results/read.ts';
import type { SummaryRow } from '../../../src/types.ts';

const row = (scenario: string, phase: string, n: number, median: number | null) => ({ scenario, variant: 'single', phase, n, median_ms: median }) as unknown as SummaryRow;

test('preparation per sample: the phase\'s preparation over its samples in the run; nothing without an efficiency record', () => {
  const rows = [row('a', 'build-ci', 2, 3_000), row('b', 'build-ci', 2, 5_000), row('a', 'scan', 1, 100)];
  assert.equal(preparationPerSample({ efficiency: { preparation_ms: { 'build-ci': 40_000, scan: 'x', run: 10 } } }, rows), { 'build-ci': 10_000 });
  assert.equal(preparationPerSample({ efficiency: { preparation_ms: {} } }, rows), {}, 'recorded: no phase prepared');
  assert.is(preparationPerSample({}, rows), null);
  assert.is(preparationPerSample(null, rows), null);
});

test('costs: the median over runs of median plus preparation, per phase and per scenario; empty medians skipped', () => {
  const costs = costsOfRows([
    { rows: [row('a', 'build-cold', 1, 20_000), row('b', 'build-cold', 1, 80_000), row('b', 'scan', 1, null)], prep: { 'build-cold': 5_000 } },
    { rows: [row('a', 'build-cold', 1, 30_000)], prep: {} },
  ]);
  assert.is(costs[costKey('a', 'build-cold')], 27_500);
  assert.is(costs[costKey('b', 'build-cold')], 85_000);
  assert.is(costs['build-cold'], 30_000);
  assert.is(costs.scan, undefined);
});

test('results/ and results/baselines/ hold earlier runs; one without preparation figures or with an unreadable summary gives no costs', () => {
  const root = mkdtempSync(join(tmpdir(), 'sb-costs-'));
  try {
    // The committed baseline is a merged run: no efficiency record, so its medians (preparation left out) are not used.
    const committed = join(root, 'baselines', 'committed');
    cpSync(join(import.meta.dirname, '../../../results/baselines/debian12-2cpu-offline'), committed, { recursive: true });
    assert.equal(costsFromEarlierRuns(root), { costs: {}, runs: 0, withoutPreparation: 1 });
    const recorded = join(root, 'recorded');
    cpSync(committed, recorded, { recursive: true });
    const runJson = JSON.parse(readFileSync(join(recorded, 'run.json'), 'utf8'));
    writeFileSync(join(recorded, 'run.json'), JSON.stringify({ ...runJson, efficiency: { preparation_ms: { 'build-cold': 1_000_000 } } }));
    const broken = join(root, 'broken');
    cpSync(recorded, broken, { recursive: true });
    writeFileSync(join(broken, 'summary.csv'), 'not,a,summary\n1,2\n');
    const { costs, runs, withoutPreparation } = costsFromEarlierRuns(root);
    assert.is(runs, 1);
    assert.is(withoutPreparation, 1);
    assert.ok(costs[costKey('native-sqlite', 'build-cold')] > costs[costKey('express-api', 'build-cold')], JSON.stringify(costs));
    const cold = readSummary(recorded).filter((r) => r.phase === 'build-cold');
    const perSample = 1_000_000 / cold.reduce((a, r) => a + r.n, 0);
    assert.ok(costs[costKey('express-api', 'build-cold')] > perSample, `the preparation (${perSample} ms a sample) is in the price`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
