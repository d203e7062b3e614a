// Exact metrics are gated exactly between any two runs: a cache-only regression (one more rebuilt step, identical
// timings) fails compare with exit 1; findings without a database are 'not checked', never failed.
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareRuns } from '../../../src/gate/compare-runs.ts';
import { exactValues } from '../../../src/gate/exact.ts';
import type { PhaseName, SampleRow } from '../../../src/types.ts';
import { cli } from './cli.ts';
import { runInfo, sampleRow, tempDir, writeRunFolder } from './fixtures.ts';

/** A run of build-warm-src and push-warm samples with the same timings; rebuilt steps and pushed bytes as given. */
function run(runId: string, rebuilt: number, pushed = 4_000_000): SampleRow[] {
  const rows: SampleRow[] = [];
  for (let i = 1; i <= 5; i++) {
    rows.push(sampleRow({ run_id: runId, phase: 'build-warm-src', iteration: i, duration_ms: 2000 + i, steps: 8, cached_steps: 8 - rebuilt }));
    rows.push(sampleRow({ run_id: runId, phase: 'push-warm', iteration: i, duration_ms: 900 + i, steps: null, cached_steps: null, transfer_bytes: pushed }));
  }
  return rows;
}

test('rebuilt steps per change phase and warm transfer bytes are exact values', () => {
  const values = exactValues(run('a', 2));
  assert.equal(values.filter((v) => v.metric === 'rebuilt_steps').map((v) => [v.phase, v.value]), [['build-warm-src', 2]]);
  assert.equal(values.filter((v) => v.metric === 'transfer_bytes').map((v) => [v.phase, v.value]), [['push-warm', 4_000_000]]);
});

test('one more rebuilt step with identical timings is a regression between separate runs: exit 1 (real CLI)', () => {
  const root = tempDir();
  const base = writeRunFolder(join(root, 'base'), run('run-a', 2), runInfo({ run_id: 'run-a' }));
  const cur = writeRunFolder(join(root, 'cur'), run('run-b', 3), runInfo({ run_id: 'run-b' }));
  const same = writeRunFolder(join(root, 'same'), run('run-c', 2), runInfo({ run_id: 'run-c' }));
  const r = cli(['compare', base, cur]);
  assert.is(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /express-api\s+multi\s+rebuilt_steps\s+build-warm-src\s+2\s+3\s+\+50\.0%\s+bigger/);
  // The exact table comes before the timings.
  assert.ok(r.stdout.indexOf('Exact metrics') < r.stdout.indexOf('Timings'));
  assert.is(cli(['compare', base, same]).status, 0);
});

test('any rebuilt-step increase counts, whatever the size threshold; transfer bytes keep it', () => {
  const r = compareRuns(run('a', 2), run('b', 3), { size_threshold_pct: 1000 });
  assert.is(r.sizes.find((s) => s.metric === 'rebuilt_steps')?.verdict, 'bigger');
  assert.is(r.failed, true);
  const moved = compareRuns(run('a', 2, 4_000_000), run('b', 2, 4_400_000));
  assert.is(moved.sizes.find((s) => s.metric === 'transfer_bytes')?.verdict, 'bigger');
  assert.is(compareRuns(run('a', 2, 4_000_000), run('b', 2, 4_100_000)).sizes.find((s) => s.metric === 'transfer_bytes')?.verdict, 'same');
});

test('findings with no database are not checked, not failed; a variant the run did not scan is said once per phase', () => {
  const scan = (runId: string, critical: number | null, phase: PhaseName = 'scan') => [1, 2].map((i) => sampleRow({
    run_id: runId, phase, iteration: i, duration_ms: 3000, vulns_critical: critical, vulns_high: critical, vulns_medium: critical, vulns_low: critical,
  }));
  const r = compareRuns(scan('a', 2), scan('b', null));
  assert.equal([...new Set(r.sizes.filter((s) => s.metric.startsWith('vulns_')).map((s) => s.verdict))], ['not checked']);
  assert.is(r.failed, false);
  const narrowed = compareRuns([...scan('a', 2), ...run('a', 2)], run('b', 2));
  assert.is(narrowed.failed, false);
  assert.equal(narrowed.not_run, [{ phase: 'scan', rows: 5 }]);
  assert.is(compareRuns([...scan('a', 2), ...run('a', 2)], run('b', 2), { whole_baseline: true }).failed, true);
});

test.run();
