// scenarios check on .dockerignore: missing, or letting node_modules or the replacement manifests into the context,
// is a warning that leaves the scenario valid.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { removeTempDirs } from '../../support/temp-dir.ts';
import { baseScenario, check, editText, errors, shown, warnings } from './broken-folder.ts';

test.after(removeTempDirs);

test('no .dockerignore: a warning naming it, the scenario still valid', () => {
  const { dir } = baseScenario();
  rmSync(join(dir, '.dockerignore'));
  const r = check(dir);
  assert.ok(r.valid, shown(r));
  assert.is(errors(r).length, 0, shown(r));
  assert.is(warnings(r).length, 1, shown(r));
  assert.is(warnings(r)[0].file, join(dir, '.dockerignore'));
  assert.match(warnings(r)[0].message, /missing/);
});

test('a .dockerignore that lets node_modules and bench-changes in: one warning for each', () => {
  const { dir } = baseScenario();
  editText(dir, '.dockerignore', (t) => t.replace(/^node_modules$/m, '').replace(/^bench-changes$/m, ''));
  const r = check(dir);
  assert.ok(r.valid, shown(r));
  assert.equal(warnings(r).map((p) => p.message.replace(/ out of the build context.*/, '')), [
    'does not keep node_modules',
    'does not keep bench-changes/package.json',
    'does not keep bench-changes/package-lock.json',
  ]);
});

test.run();
