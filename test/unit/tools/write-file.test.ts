// Output files of report, tune, merge and export (issue 13): a link already at the path is replaced, not followed;
// a path under a file or onto a folder is a usage error naming it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../../src/errors.ts';
import { writeFileAtomic } from '../../../src/tools/write-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'stagebench-test-writefile-'));

test('a symlink at the output path is replaced by the file; its target is untouched', () => {
  const victim = join(dir, 'victim.txt');
  writeFileSync(victim, 'precious');
  symlinkSync(victim, join(dir, 'report.md'));
  writeFileAtomic(join(dir, 'report.md'), '# report\n', '--md');
  assert.is(readFileSync(victim, 'utf8'), 'precious');
  assert.ok(lstatSync(join(dir, 'report.md')).isFile());
  assert.is(readFileSync(join(dir, 'report.md'), 'utf8'), '# report\n');
  assert.not.ok(readdirSync(dir).some((n) => n.endsWith('.tmp')), 'no temp file left');
});

const BAD: Array<[string, () => string, RegExp]> = [
  ['under a file', () => { writeFileSync(join(dir, 'afile'), 'x'); return join(dir, 'afile', 'out.json'); }, /afile.*(a part of that path is a file|a file is in the way)/],
  ['onto a folder', () => { mkdirSync(join(dir, 'afolder'), { recursive: true }); return join(dir, 'afolder'); }, /afolder.*it is a folder/],
];
for (const [name, path, message] of BAD) {
  test(`a path ${name}: a usage error naming it and what to do`, () => {
    try {
      writeFileAtomic(path(), 'x', '--out');
      assert.unreachable('written');
    } catch (err) {
      assert.instance(err, UsageError);
      assert.match((err as Error).message, message);
      assert.match((err as Error).message, /--out/);
      assert.match((err as Error).message, /Choose another path/);
    }
    assert.not.ok(readdirSync(dir).some((n) => n.endsWith('.tmp')), 'no temp file left');
  });
}

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
