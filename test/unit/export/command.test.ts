import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli } from '../gate/cli.ts';
import { generateRun, tempDir, writeRunFolder } from '../gate/fixtures.ts';

const root = tempDir();
const run = writeRunFolder(join(root, 'run'), generateRun({ runId: 'r', seed: 1, iterations: 3 }));

test('github-action-benchmark: a customSmallerIsBetter array of {name, unit, value, range, extra}', () => {
  const out = join(root, 'bench.json');
  const r = cli(['export', run, '--format', 'github-action-benchmark', '--out', out]);
  assert.is(r.status, 0, r.stderr);
  const entries = JSON.parse(readFileSync(out, 'utf8'));
  assert.ok(Array.isArray(entries));
  assert.is(entries.filter((e: { unit: string }) => e.unit === 'ms').length, 6);
  assert.is(entries.filter((e: { unit: string }) => e.unit === 'bytes').length, 10);
  for (const e of entries) {
    assert.type(e.name, 'string');
    assert.type(e.value, 'number');
    assert.ok(e.unit === 'ms' || e.unit === 'bytes');
  }
  assert.ok(entries.some((e: { name: string; extra: string }) => e.name === 'express-api/multi/build-warm' && e.extra === 'n=3'));
});

test('json: the summary rows', () => {
  const r = cli(['export', join(run, 'samples.csv'), '--format', 'json']);
  assert.is(r.status, 0, r.stderr);
  const rows = JSON.parse(r.stdout);
  assert.is(rows.length, 6);
  assert.equal(Object.keys(rows[0]).slice(0, 8), ['schema', 'run_id', 'scenario', 'variant', 'phase', 'n', 'failed', 'median_ms']);
  assert.ok(rows.every((x: { n: number }) => x.n === 3));
});

test('no --format, another format, no run: exit 2', () => {
  const none = cli(['export', run]);
  assert.is(none.status, 2);
  assert.match(none.stderr, /--format is required: one of github-action-benchmark, json/);
  const other = cli(['export', run, '--format', 'junit']);
  assert.is(other.status, 2);
  assert.match(other.stderr, /not 'junit'/);
  const missing = cli(['export', join(root, 'nothing'), '--format', 'json']);
  assert.is(missing.status, 2);
  assert.match(missing.stderr, /nothing does not exist/);
});

test.run();
