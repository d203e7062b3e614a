// One home for Dockerfile parsing (issue 11): no file in src/ but src/dockerfile/instructions.ts imports
// dockerfile-ast; every other reader goes through src/dockerfile/.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(import.meta.dirname, '../../../src');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('only src/dockerfile/instructions.ts imports dockerfile-ast', () => {
  const importers = walk(SRC)
    .filter((f) => /(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)['"]dockerfile-ast['"]/m.test(readFileSync(f, 'utf8')))
    .map((f) => relative(SRC, f));
  assert.equal(importers, ['dockerfile/instructions.ts']);
});

test('no file outside src/dockerfile/ reads FROM lines with its own regular expression', () => {
  const readers = walk(SRC)
    .filter((f) => !relative(SRC, f).startsWith('dockerfile/'))
    .filter((f) => /\/\^\\s\*FROM|\/\^\(?\\s\*FROM|\/\^FROM\\s/.test(readFileSync(f, 'utf8')))
    .map((f) => relative(SRC, f));
  assert.equal(readers, []);
});

test.run();
