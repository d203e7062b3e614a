// The result writer: each sample row is on disk as soon as sample() returns, the header once, findings.csv only when
// a scan phase uses it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../../../src/results/csv.ts';
import { readSamples, readSteps } from '../../../src/results/read.ts';
import { ResultWriter } from '../../../src/results/writer.ts';
import { FINDING_COLUMNS, SAMPLE_COLUMNS, SAMPLE_EXTRA_COLUMNS, SCHEMA, STEP_COLUMNS, STEP_EXTRA_COLUMNS, type SampleRow, type StepRow } from '../../../src/types.ts';
import { sampleRow } from '../../support/rows.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';
import { cleanupAfter } from '../../support/setup.ts';

cleanupAfter(test, removeTempDirs);

function sample(iteration: number): SampleRow {
  return sampleRow({ scenario: 'demo', variant: 'single', phase: 'build-warm', iteration, duration_ms: 100 + iteration, image: 'stagebench/demo:single' });
}

function steps(iteration: number): StepRow[] {
  return ['[2/3] WORKDIR /app', '[3/3] COPY . .'].map((s) => ({
    schema: SCHEMA, run_id: 'r1', scenario: 'demo', variant: 'single', phase: 'build-warm', iteration,
    step: s.split(' ')[0], instruction: s.split(' ').slice(1).join(' '), cached: true, duration_ms: 1.5,
    cause_kind: '', cause: '', cause_origin: '',
  }));
}

test('a sample row and its steps are on disk right after sample(), before close', () => {
  const dir = tempDir('writer');
  const w = new ResultWriter(dir);
  try {
    w.sample(sample(1), steps(1));
    assert.equal(readSamples(dir), [sample(1)]);
    assert.equal(readSteps(dir), steps(1));
    w.sample(sample(2), steps(2));
    assert.equal(readSamples(dir).map((r) => r.iteration), [1, 2]);
    assert.is(readSteps(dir).length, 4);
  } finally {
    w.close();
  }
});

test('the header is written once, also when a second writer continues the same folder (--resume)', () => {
  const dir = tempDir('writer');
  const first = new ResultWriter(dir);
  first.sample(sample(1), []);
  first.close();
  const second = new ResultWriter(dir);
  second.sample(sample(2), []);
  second.close();
  const text = readFileSync(join(dir, 'samples.csv'), 'utf8');
  assert.is(text.split('\n').filter((l) => l.startsWith('schema,')).length, 1);
  assert.equal(parseCsv(text).header, [...SAMPLE_COLUMNS, ...SAMPLE_EXTRA_COLUMNS]);
  assert.equal(readSamples(dir).map((r) => r.iteration), [1, 2]);
  assert.equal(parseCsv(readFileSync(join(dir, 'steps.csv'), 'utf8')).header, [...STEP_COLUMNS, ...STEP_EXTRA_COLUMNS]);
});

test('a run folder written before context_ms existed is continued in its own columns (--resume)', () => {
  const dir = tempDir('writer');
  writeFileSync(join(dir, 'samples.csv'), `${SAMPLE_COLUMNS.join(',')}\n`);
  const w = new ResultWriter(dir);
  w.sample({ ...sample(1), context_ms: 12.5 }, []);
  w.close();
  const text = readFileSync(join(dir, 'samples.csv'), 'utf8');
  assert.equal(parseCsv(text).header, [...SAMPLE_COLUMNS]);
  assert.is(parseCsv(text).records[0].iteration, '1');
  assert.is(text.trim().split('\n')[1].split(',').length, SAMPLE_COLUMNS.length);
});

test('a symbolic link at samples.csv (dangling or not) is refused, never followed', () => {
  const dir = tempDir('writer');
  const target = join(tempDir('elsewhere'), 'victim.csv');
  symlinkSync(target, join(dir, 'samples.csv'));
  assert.throws(() => new ResultWriter(dir), (err: Error) => /samples\.csv is a symbolic link/.test(err.message));
  assert.not.ok(existsSync(target), 'the link target was created');
});

test('findings.csv appears only when finding rows are written', () => {
  const dir = tempDir('writer');
  const w = new ResultWriter(dir);
  w.sample(sample(1), steps(1));
  assert.not.ok(existsSync(join(dir, 'findings.csv')), 'no findings.csv before a scan');
  w.findingRows([{ scenario: 'demo', variant: 'single', scanner: 'builtin', kind: 'hygiene', id: 'root-user', package: '', version: '', fixed_version: '', severity: '', path: '/' }]);
  const parsed = parseCsv(readFileSync(join(dir, 'findings.csv'), 'utf8'));
  assert.equal(parsed.header, [...FINDING_COLUMNS]);
  assert.is(parsed.records.length, 1);
  assert.is(parsed.records[0].id, 'root-user');
  w.close();
});

test('a run without a scan leaves no findings.csv after close', () => {
  const dir = tempDir('writer');
  const w = new ResultWriter(dir);
  w.sample(sample(1), []);
  w.close();
  assert.not.ok(existsSync(join(dir, 'findings.csv')));
});

test.run();
