// The table at the end of a run: per variant the image size, its ratio to the single-stage image, and per phase
// the median and spread, with failed samples shown as failed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runTable } from '../../../src/terminal/run-table.ts';
import { SCHEMA, type PhaseName, type SummaryRow } from '../../../src/types.ts';

function row(variant: string, phase: PhaseName, over: Partial<SummaryRow> = {}): SummaryRow {
  return {
    schema: SCHEMA, run_id: 'r1', scenario: 'express-api', variant, phase, n: 3, failed: 0,
    median_ms: 1000, mean_ms: 1000, stddev_ms: 10, min_ms: 900, max_ms: 1100, p75_ms: 1050, p99_ms: 1100, rme_pct: 1,
    image_bytes: null, compressed_bytes: null, layers: null, cached_steps: null, transfer_bytes: null,
    vulns_critical: null, vulns_high: null, vulns_medium: null, vulns_low: null, packages_os: null, packages_npm: null,
    ...over,
  };
}

/** The table line of one variant, split into its cells (cells are separated by at least two spaces). */
function line(table: string, variant: string): string[] {
  const l = table.split('\n').find((s) => s.startsWith(`${variant} `));
  assert.ok(l, `a line for ${variant} in:\n${table}`);
  return l!.split(/ {2,}/).map((c) => c.trim());
}

const ROWS = [
  row('single', 'build-cold', { median_ms: 26_700, min_ms: 25_000, max_ms: 28_000, image_bytes: 1_000_000_000, layers: 11 }),
  row('single', 'build-warm', { median_ms: 210, min_ms: 200, max_ms: 220, image_bytes: 1_000_000_000, layers: 11 }),
  row('multi', 'build-cold', { median_ms: 44_000, min_ms: 43_000, max_ms: 45_000, image_bytes: 250_000_000, layers: 9 }),
  row('multi', 'build-warm', { median_ms: 206, min_ms: 200, max_ms: 230, image_bytes: 250_000_000, layers: 9 }),
  row('distroless', 'build-cold', { median_ms: 50_000, min_ms: 49_000, max_ms: 51_000, image_bytes: 100_000_000, layers: 4 }),
  row('distroless', 'build-warm', { n: 0, failed: 3, median_ms: null, mean_ms: null, min_ms: null, max_ms: null, image_bytes: null }),
];

test('one block per scenario, headed by its name, with a column per phase', () => {
  const table = runTable(ROWS);
  assert.ok(table.startsWith('express-api\n'), table);
  const header = table.split('\n')[1].split(/ {2,}/);
  assert.equal(header, ['variant', 'image', 'layers', 'vs single', 'cold', 'warm']);
});

test('sizes and the ratio to the single-stage image', () => {
  const table = runTable(ROWS);
  assert.equal(line(table, 'single').slice(0, 4), ['single', '1.00 GB', '11', '1x']);
  assert.equal(line(table, 'multi').slice(0, 4), ['multi', '250.0 MB', '9', '4.0x smaller']);
  assert.equal(line(table, 'distroless').slice(0, 4), ['distroless', '100.0 MB', '4', '10x smaller']);
});

test('a phase cell is the median with the (min–max) spread', () => {
  const table = runTable(ROWS);
  assert.is(line(table, 'single')[4], '26.7 s (25.0 s–28.0 s)');
  assert.is(line(table, 'multi')[5], '206 ms (200 ms–230 ms)');
});

test('a phase whose samples all failed shows as failed, not as a time', () => {
  const cells = line(runTable(ROWS), 'distroless');
  assert.match(cells[5], /^failed 3\/3$/);
});

test('some failed samples: the median of the ok ones and how many failed', () => {
  const table = runTable([row('single', 'build-cold', { n: 2, failed: 1, median_ms: 1500, min_ms: 1000, max_ms: 2000, image_bytes: 5 })]);
  assert.match(line(table, 'single')[4], /^1\.50 s .* 1 failed$/);
});

test('a single sample shows no spread', () => {
  const table = runTable([row('single', 'build-cold', { n: 1, median_ms: 1500, min_ms: 1500, max_ms: 1500 })]);
  assert.is(line(table, 'single')[4], '1.50 s');
});

test('without a single-stage variant, or with its size unknown, the ratio is a dash', () => {
  const table = runTable([row('multi', 'build-cold', { image_bytes: 250_000_000 }), row('single', 'build-cold', { n: 0, failed: 1, image_bytes: null })]);
  assert.is(line(table, 'multi')[3], '-');
});

test('several scenarios: a block each', () => {
  const table = runTable([...ROWS, { ...row('single', 'build-cold'), scenario: 'next-app' }]);
  assert.match(table, /^express-api\n/);
  assert.match(table, /\n\nnext-app\n/);
});

test('a scenario with another reference is compared with it: its column header names it and it reads 1x', () => {
  const table = runTable(ROWS, { 'express-api': 'multi' });
  assert.equal(table.split('\n')[1].split(/ {2,}/).slice(0, 4), ['variant', 'image', 'layers', 'vs multi']);
  assert.is(line(table, 'multi')[3], '1x');
  assert.is(line(table, 'distroless')[3], '2.5x smaller');
});

test.run();
