// Costs from earlier runs: medians plus each phase's preparation per sample, per phase and per scenario.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { costsFromEarlierRuns, costsOfRows, preparationPerSample } from '../../../src/run/earlier-costs.ts';
import { costKey } from '../../../src/run/plan.ts';
import type { SummaryRow } from '../../../src/types.ts';

const row = (scenario: string, phase: string, n: number, median: number | null) => ({ scenario, variant: 'single', phase, n, median_ms: median }) as unknown as SummaryRow;

test('preparation per sample: the phase\'s preparation over its samples in the run; nothing without an efficiency record', () => {
  const rows = [row('a', 'build-ci', 2, 3_000), row('b', 'build-ci', 2, 5_000), row('a', 'scan', 1, 100)];
  assert.equal(preparationPerSample({ efficiency: { preparation_ms: { 'build-ci': 40_000, scan: 'x', run: 10 } } }, rows), { 'build-ci': 10_000 });
  assert.equal(preparationPerSample({}, rows), {});
  assert.equal(preparationPerSample(null, rows), {});
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

test('results/ and the baselines committed under results/baselines/ are earlier runs; an unreadable summary is skipped', () => {
  const root = mkdtempSync(join(tmpdir(), 'sb-costs-'));
  try {
    cpSync(join(import.meta.dirname, '../../../results/baselines/debian12-2cpu-offline'), join(root, 'baselines', 'committed'), { recursive: true });
    const broken = join(root, 'broken');
    cpSync(join(root, 'baselines', 'committed'), broken, { recursive: true });
    writeFileSync(join(broken, 'summary.csv'), 'not,a,summary\n1,2\n');
    const { costs, runs } = costsFromEarlierRuns(root);
    assert.is(runs, 1);
    assert.ok(costs[costKey('native-sqlite', 'build-cold')] > costs[costKey('express-api', 'build-cold')], JSON.stringify(costs));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
