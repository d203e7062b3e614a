import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareRuns } from '../../../src/gate/compare-runs.ts';
import { loadRun } from '../../../src/gate/load-run.ts';
import { generateRun, runInfo, tempDir, usageError, writeRunFolder } from './fixtures.ts';

test('samples of two schemas are refused, naming both sides', () => {
  const base = generateRun({ runId: 'a', seed: 1, iterations: 2 });
  const cur = generateRun({ runId: 'b', seed: 1, iterations: 2 }).map((r) => ({ ...r, schema: 2 }));
  const err = usageError(() => compareRuns(base, cur, {}, { baseline: { label: 'base-dir' }, current: { label: 'cur-dir' } }));
  assert.match(err.message, /mixed schemas: base-dir has schema 1, cur-dir has schema 2/);
});

test('a schema 2 samples.csv is refused, naming the file', () => {
  const dir = writeRunFolder(join(tempDir(), 'run'), generateRun({ runId: 'a', seed: 1, iterations: 1 }).map((r) => ({ ...r, schema: 2 })));
  const err = usageError(() => loadRun(dir));
  assert.match(err.message, /run\/samples\.csv has schema 2/);
});

test('a run.json of another schema is refused, naming it', () => {
  const dir = writeRunFolder(join(tempDir(), 'run'), generateRun({ runId: 'a', seed: 1, iterations: 1 }), runInfo({ schema: 2 }));
  const err = usageError(() => loadRun(dir));
  assert.match(err.message, /run\/run\.json has schema 2/);
});

test('a CSV file that is not a samples file is refused, naming the file', () => {
  const file = join(tempDir(), 'other.csv');
  writeFileSync(file, 'name,value\nx,1\n');
  const err = usageError(() => loadRun(file));
  assert.match(err.message, /other\.csv is not a stagebench samples file/);
});

test('bad options are refused with the option and value', () => {
  const rows = generateRun({ runId: 'a', seed: 1, iterations: 1 });
  assert.match(usageError(() => compareRuns(rows, rows, { threshold_pct: -1 })).message, /-1 \(--threshold\)/);
  assert.match(usageError(() => compareRuns(rows, rows, { alpha: 0 })).message, /not 0 \(--alpha\)/);
});

test.run();
