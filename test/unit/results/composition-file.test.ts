// composition.csv through the result writer and back: the contract's columns, one row per scenario, variant and
// category however often a variant is written (a resumed run scans again, a merge meets it twice), and a cell that
// is not what its column says refused naming the file.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../../src/errors.ts';
import { readComposition } from '../../../src/results/read.ts';
import { ResultWriter } from '../../../src/results/writer.ts';
import { COMPOSITION_CATEGORIES, type CompositionRow } from '../../../src/types.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';
import { cleanupAfter } from '../../support/setup.ts';

cleanupAfter(test, removeTempDirs);

const rows = (variant: string, base: number): CompositionRow[] =>
  COMPOSITION_CATEGORIES.map((category, i) => ({ scenario: 'demo', variant, category, bytes: base + i }));

test('no composition.csv until rows come; then the header and the rows, read back as written', () => {
  const dir = tempDir('composition');
  const w = new ResultWriter(dir);
  try {
    assert.not.ok(existsSync(join(dir, 'composition.csv')));
    assert.is(readComposition(dir), undefined);
    w.compositionRows(rows('single', 100));
    assert.is(readFileSync(join(dir, 'composition.csv'), 'utf8').split('\n')[0], 'scenario,variant,category,bytes');
    assert.equal(readComposition(dir), rows('single', 100));
  } finally {
    w.close();
  }
});

test('a variant written again keeps its first rows, in this writer and in a later one (a resumed run)', () => {
  const dir = tempDir('composition-again');
  const first = new ResultWriter(dir);
  first.compositionRows(rows('single', 100));
  first.compositionRows(rows('single', 999));
  first.compositionRows(rows('multi', 10));
  first.close();
  const resumed = new ResultWriter(dir);
  resumed.compositionRows(rows('multi', 555));
  resumed.compositionRows([...rows('distroless', 1), ...rows('distroless', 2)]);
  resumed.close();
  assert.equal(readComposition(dir), [...rows('single', 100), ...rows('multi', 10), ...rows('distroless', 1)]);
});

test('a category that is not one of the seven, or bytes that are not a whole number, is refused naming file and row', () => {
  const dir = tempDir('composition-bad');
  const file = join(dir, 'composition.csv');
  writeFileSync(file, 'scenario,variant,category,bytes\ndemo,single,runtime,10\ndemo,single,fonts,3\n');
  try {
    readComposition(dir);
    assert.unreachable('an unknown category was read');
  } catch (err) {
    assert.instance(err, UsageError);
    assert.match((err as Error).message, `${file} row 2, column category: "fonts" is not one of runtime, production dependencies`);
  }
  writeFileSync(file, 'scenario,variant,category,bytes\ndemo,single,runtime,1.5\n');
  assert.throws(() => readComposition(dir), /row 1, column bytes: 1\.5 is not a whole number of bytes/);
  writeFileSync(file, 'scenario,variant,category,bytes\ndemo,single,runtime,lots\n');
  assert.throws(() => readComposition(dir), /column 4 \(bytes\): "lots" is not a number/);
  writeFileSync(file, 'variant,scenario,category,bytes\n');
  assert.throws(() => readComposition(dir), /is not a stagebench composition file/);
});

test.run();
