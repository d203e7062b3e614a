// scenarios check on the manifests: package-lock.json must be what npm ci accepts for package.json, and so must the
// pair the dependency change swaps in. Download addresses in a lock are only a warning.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { removeTempDirs } from '../../support/temp-dir.ts';
import { baseScenario, check, editJson, errors, shown, warnings } from './broken-folder.ts';

test.after(removeTempDirs);

test('a dependency added to package.json only: an error on package-lock.json naming the dependency', () => {
  const { dir } = baseScenario();
  editJson(dir, 'package.json', (j) => { j.dependencies.ms = '^2.1.3'; });
  const r = check(dir);
  assert.not.ok(r.valid);
  const e = errors(r).find((p) => p.file === join(dir, 'package-lock.json') && /dependencies ms@\^2\.1\.3, the lockfile does not/.test(p.message));
  assert.ok(e, shown(r));
  assert.match(e!.message, /npm install --package-lock-only/);
});

test('a changed spec in package.json: an error quoting both specs', () => {
  const { dir } = baseScenario();
  editJson(dir, 'package.json', (j) => { j.dependencies.express = '^4.21.0'; });
  const r = check(dir);
  assert.is(errors(r).length, 1, shown(r));
  assert.match(errors(r)[0].message, /express@\^4\.21\.0, the lockfile express@\^5\.3\.0/);
});

test('a root entry edited to match but the locked version outside the range: an error naming both', () => {
  const { dir } = baseScenario();
  editJson(dir, 'package.json', (j) => { j.dependencies.express = '^4.21.0'; });
  editJson(dir, 'package-lock.json', (j) => { j.packages[''].dependencies.express = '^4.21.0'; });
  const r = check(dir);
  assert.is(errors(r).length, 1, shown(r));
  assert.match(errors(r)[0].message, /locks express at 5\.3\.0, outside the range \^4\.21\.0/);
});

test('a dependency removed from package.json but still in the lock is out of sync too', () => {
  const { dir } = baseScenario();
  editJson(dir, 'package.json', (j) => { delete j.devDependencies.vitest; });
  const r = check(dir);
  assert.ok(errors(r).some((p) => /lockfile has devDependencies vitest@\^3\.2\.7, .*package\.json does not/.test(p.message)), shown(r));
});

test('lockfileVersion 1 is an error', () => {
  const { dir } = baseScenario();
  editJson(dir, 'package-lock.json', (j) => { j.lockfileVersion = 1; });
  const r = check(dir);
  assert.ok(errors(r).some((p) => p.file === join(dir, 'package-lock.json') && /lockfileVersion 1/.test(p.message)), shown(r));
});

test("the dependency change's replacement manifests out of sync: an error on the replacement lockfile", () => {
  const { dir } = baseScenario();
  editJson(dir, 'bench-changes/package.json', (j) => { j.dependencies.clsx = '^2.1.1'; });
  const r = check(dir);
  assert.not.ok(r.valid);
  assert.is(errors(r).length, 1, shown(r));
  assert.is(errors(r)[0].file, join(dir, 'bench-changes/package-lock.json'));
  assert.match(errors(r)[0].message, /bench-changes\/package\.json has dependencies clsx@\^2\.1\.1/);
});

test('a replacement package.json that adds nothing is a warning', () => {
  const { dir } = baseScenario();
  editJson(dir, 'scenario.json', (j) => { j.changes.dependency.replace = { 'package.json': 'package.json' }; });
  const r = check(dir);
  assert.ok(r.valid, shown(r));
  assert.ok(warnings(r).some((p) => p.file === join(dir, 'scenario.json') && /adds none/.test(p.message)), shown(r));
});

test('"resolved" download addresses in the lock are a warning, not an error', () => {
  const { dir } = baseScenario();
  editJson(dir, 'package-lock.json', (j) => {
    j.packages['node_modules/express'].resolved = 'https://packages.example.invalid/express/-/express-5.3.0.tgz';
  });
  const r = check(dir);
  assert.ok(r.valid, shown(r));
  assert.is(warnings(r).length, 1, shown(r));
  assert.is(warnings(r)[0].file, join(dir, 'package-lock.json'));
  assert.match(warnings(r)[0].message, /1 package entry carries a "resolved" download address/);
});

test.run();
