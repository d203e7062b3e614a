// Reading samples.csv back: typed values from a good file, and a UsageError that names the file for anything else.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvDocument } from '../../../src/results/csv.ts';
import { readSamples, readSteps, resolveRunPath } from '../../../src/results/read.ts';
import { SAMPLE_COLUMNS, SCHEMA, STEP_COLUMNS, STEP_EXTRA_COLUMNS } from '../../../src/types.ts';
import { sampleRow } from '../../support/rows.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';
import { usageErrorOf } from '../../support/usage-error.ts';
import { cleanupAfter } from '../../support/setup.ts';

cleanupAfter(test, removeTempDirs);


function runFolder(samplesText: string): string {
  const dir = tempDir('read');
  writeFileSync(join(dir, 'samples.csv'), samplesText);
  return dir;
}


test('a good samples.csv reads back with booleans, numbers and empty cells as null', () => {
  const rows = [sampleRow(), sampleRow({ iteration: 2, ok: false, error: '=not cold: 3 of 7 steps, cached', duration_ms: 9.5, cached_steps: 3 })];
  const dir = runFolder(csvDocument(SAMPLE_COLUMNS, rows));
  const read = readSamples(dir);
  assert.equal(read, rows);
});

test('the samples.csv file itself can be given instead of its folder', () => {
  const dir = runFolder(csvDocument(SAMPLE_COLUMNS, [sampleRow()]));
  assert.is(readSamples(join(dir, 'samples.csv')).length, 1);
  assert.equal(resolveRunPath(join(dir, 'samples.csv')), { dir, samplesFile: join(dir, 'samples.csv') });
});

test('a CSV with another header is a UsageError naming the file', () => {
  const dir = runFolder('name,value\nx,1\n');
  const err = usageErrorOf(() => readSamples(dir));
  assert.ok(err.message.includes(join(dir, 'samples.csv')), err.message);
  assert.match(err.message, /not a stagebench samples file/);
});

test('a summary.csv given as samples is refused, naming the file', () => {
  const dir = tempDir('read');
  const file = join(dir, 'summary.csv');
  writeFileSync(file, 'schema,run_id,scenario,variant,phase,n,failed\n1,r1,a,b,build-cold,1,0\n');
  assert.ok(usageErrorOf(() => readSamples(file)).message.includes(file));
});

test('schema 2 is a UsageError naming the file and both schemas', () => {
  const dir = runFolder(csvDocument(SAMPLE_COLUMNS, [sampleRow({ schema: 2 })]));
  const err = usageErrorOf(() => readSamples(dir));
  assert.ok(err.message.includes(join(dir, 'samples.csv')), err.message);
  assert.match(err.message, /schema 2/);
  assert.match(err.message, new RegExp(`schema ${SCHEMA}`));
});

test('an empty file is a UsageError naming it', () => {
  const dir = runFolder('');
  assert.ok(usageErrorOf(() => readSamples(dir)).message.includes(join(dir, 'samples.csv')));
});

test('resolveRunPath: a folder without samples.csv is a UsageError naming the folder', () => {
  const dir = tempDir('read');
  mkdirSync(join(dir, 'not-a-run'));
  const err = usageErrorOf(() => resolveRunPath(join(dir, 'not-a-run')));
  assert.ok(err.message.includes(join(dir, 'not-a-run')), err.message);
  assert.match(err.message, /samples\.csv/);
});

test('resolveRunPath: a path that does not exist is a UsageError naming it', () => {
  const missing = join(tempDir('read'), 'nowhere');
  assert.ok(usageErrorOf(() => resolveRunPath(missing)).message.includes(missing));
});

test('readSteps: a run without steps.csv has no steps; a good one reads back typed', () => {
  const dir = runFolder(csvDocument(SAMPLE_COLUMNS, []));
  assert.equal(readSteps(dir), []);
  const step = { schema: SCHEMA, run_id: 'r1', scenario: 's', variant: 'v', phase: 'build-warm', iteration: 1, step: '[builder 3/6]', instruction: 'RUN npm ci', cached: true, duration_ms: null };
  writeFileSync(join(dir, 'steps.csv'), csvDocument(STEP_COLUMNS, [step]));
  // A file from before the cause columns reads with them empty; one with them reads them back.
  assert.equal(readSteps(dir), [{ ...step, cause_kind: '', cause: '', cause_origin: '' }]);
  const rebuilt = { ...step, cached: false, cause_kind: 'files', cause: '1 file it copies changed: src/a.ts (content)', cause_origin: '[builder 3/6]' };
  writeFileSync(join(dir, 'steps.csv'), csvDocument([...STEP_COLUMNS, ...STEP_EXTRA_COLUMNS], [rebuilt]));
  assert.equal(readSteps(dir), [rebuilt]);
});

test('a row whose phase this stagebench does not know is refused, naming the line, the column and the phases', () => {
  const good = csvDocument(SAMPLE_COLUMNS, [sampleRow()]);
  const dir = runFolder(good.replace(',build-cold,', ',build-tepid,'));
  const err = usageErrorOf(() => readSamples(dir));
  assert.match(err.message, /samples\.csv line 2, column 6 \(phase\): "build-tepid" is not a phase this stagebench knows \(build-cold, /);
});

test('an empty cell in a column that must hold a number (iteration) is refused, not read as null', () => {
  const row = { ...sampleRow(), iteration: null };
  const dir = runFolder(csvDocument(SAMPLE_COLUMNS, [row]));
  const err = usageErrorOf(() => readSamples(dir));
  assert.match(err.message, /line 2, column 7 \(iteration\): "" is not a number/);
});

test.run();
