// Results and logs are never written through a link someone planted in the run folder: not at NAME.tmp (run.json and
// summary.csv are written to a temporary file, then renamed), not at a round's or a daemon's log file.
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError } from '../../../src/errors.ts';
import { ResultWriter } from '../../../src/results/writer.ts';
import { runLogged } from '../../../src/tools/exec.ts';
import { cleanupAfter } from '../../support/setup.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

cleanupAfter(test, removeTempDirs);

test('links planted at run.json.tmp and summary.csv.tmp: the files they point to stay unchanged', () => {
  const dir = tempDir('results-tmp-link');
  const victim = join(tempDir('results-victim'), 'victim');
  writeFileSync(victim, 'untouched\n');
  const w = new ResultWriter(dir);
  symlinkSync(victim, join(dir, 'run.json.tmp'));
  symlinkSync(victim, join(dir, 'summary.csv.tmp'));
  w.runInfo({ schema: 1, run_id: 'r' } as never);
  w.summary([]);
  w.close();
  assert.is(readFileSync(victim, 'utf8'), 'untouched\n');
  assert.match(readFileSync(join(dir, 'run.json'), 'utf8'), /"run_id": "r"/);
});

test("a link at a log file's path: refused (exit 2, naming it), the file it points to unchanged; a plain path gets the output", async () => {
  const dir = tempDir('log-link');
  const victim = join(tempDir('log-victim'), 'victim');
  writeFileSync(victim, 'untouched\n');
  symlinkSync(victim, join(dir, 'round.log'));
  const err = await runLogged('sh', ['-c', 'echo written'], join(dir, 'round.log')).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof UsageError && /round\.log is a symbolic link/.test(err.message), String(err));
  assert.is(readFileSync(victim, 'utf8'), 'untouched\n');
  assert.is(await runLogged('sh', ['-c', 'echo written; echo err >&2'], join(dir, 'plain.log')), 0);
  assert.ok(existsSync(join(dir, 'plain.log')));
  assert.is(readFileSync(join(dir, 'plain.log'), 'utf8'), 'written\nerr\n');
});

test.run();
