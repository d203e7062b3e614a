import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { summaryRows } from '../../../src/stats/summary.ts';
import { sampleRow } from '../gate/fixtures.ts';

test('one row per scenario, variant and phase, in first-seen order', () => {
  const rows = summaryRows([
    sampleRow({ variant: 'multi', phase: 'build-warm', iteration: 1 }),
    sampleRow({ variant: 'single', phase: 'build-cold', iteration: 1 }),
    sampleRow({ variant: 'multi', phase: 'build-warm', iteration: 2 }),
    sampleRow({ variant: 'multi', phase: 'build-cold', iteration: 1 }),
  ]);
  assert.equal(rows.map((r) => `${r.variant}/${r.phase}/${r.n}`), ['multi/build-warm/2', 'single/build-cold/1', 'multi/build-cold/1']);
});

test('failed samples are counted, never measured', () => {
  const [row] = summaryRows([
    sampleRow({ iteration: 1, duration_ms: 100, image_bytes: 10 }),
    sampleRow({ iteration: 2, duration_ms: 300, image_bytes: 30 }),
    sampleRow({ iteration: 3, ok: false, error: 'build-cold had 2 cached steps', duration_ms: 5, image_bytes: 999 }),
  ]);
  assert.is(row.n, 2);
  assert.is(row.failed, 1);
  assert.is(row.median_ms, 200);
  assert.is(row.min_ms, 100);
  assert.is(row.image_bytes, 20);
});

test('measured columns are medians of the known values; none known gives null', () => {
  const [row] = summaryRows([
    sampleRow({ iteration: 1, cached_steps: 0, transfer_bytes: null, vulns_high: 3 }),
    sampleRow({ iteration: 2, cached_steps: 2, transfer_bytes: null, vulns_high: null }),
    sampleRow({ iteration: 3, cached_steps: 4, transfer_bytes: null, vulns_high: 5 }),
  ]);
  assert.is(row.cached_steps, 2);
  assert.is(row.vulns_high, 4);
  assert.is(row.transfer_bytes, null);
});

test('a phase whose every sample failed has n 0 and empty statistics', () => {
  const [row] = summaryRows([sampleRow({ ok: false, error: 'stream error', duration_ms: null })]);
  assert.equal([row.n, row.failed, row.median_ms, row.rme_pct, row.image_bytes], [0, 1, null, null, null]);
});

test('the run id comes from the samples unless one is given', () => {
  assert.is(summaryRows([sampleRow({ run_id: 'r1' })])[0].run_id, 'r1');
  assert.is(summaryRows([sampleRow({ run_id: 'r1' })], 'merged')[0].run_id, 'merged');
});

test.run();
