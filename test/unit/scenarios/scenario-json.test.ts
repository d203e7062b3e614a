// scenarios check on scenario.json itself: each broken field reported with the file, and the unbroken copy clean.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { removeTempDirs } from '../../support/temp-dir.ts';
import { baseScenario, check, editJson, editText, errors, shown } from './broken-folder.ts';

test.after(removeTempDirs);

test('the unbroken copy of express-api has no problem at all', () => {
  const { dir } = baseScenario();
  const r = check(dir);
  assert.is(r.problems.length, 0, shown(r));
  assert.ok(r.valid);
  assert.equal(r.variants, ['single', 'multi', 'distroless', 'single-bad-order', 'multi-same-base']);
  assert.is(r.name, 'express-api');
});

test('invalid JSON: an error on scenario.json saying so', () => {
  const { dir } = baseScenario();
  editText(dir, 'scenario.json', (t) => t.slice(0, t.length / 2));
  const r = check(dir);
  assert.not.ok(r.valid);
  const e = errors(r).find((p) => p.file === join(dir, 'scenario.json'));
  assert.ok(e, shown(r));
  assert.match(e!.message, /not valid JSON/);
});

test('an unknown key: the error names the key', () => {
  const { dir } = baseScenario();
  editJson(dir, 'scenario.json', (j) => { j.smoke.expect = 200; });
  const r = check(dir);
  assert.not.ok(r.valid);
  const e = errors(r).find((p) => p.file === join(dir, 'scenario.json'));
  assert.ok(e, shown(r));
  assert.match(e!.message, /smoke.*unknown key.*'expect'/);
});

test('a wrong type: the error names the field', () => {
  const { dir } = baseScenario();
  editJson(dir, 'scenario.json', (j) => { j.smoke.status = '200'; });
  const r = check(dir);
  assert.not.ok(r.valid);
  const e = errors(r).find((p) => p.file === join(dir, 'scenario.json'));
  assert.ok(e, shown(r));
  assert.match(e!.message, /smoke\.status/);
});

test('a missing Dockerfile: the error names the variant and the file', () => {
  const { dir } = baseScenario();
  rmSync(join(dir, 'Dockerfile.multi'));
  const r = check(dir);
  assert.not.ok(r.valid);
  assert.is(errors(r).length, 1, shown(r));
  assert.is(errors(r)[0].file, join(dir, 'scenario.json'));
  assert.match(errors(r)[0].message, /variants\.multi\.dockerfile 'Dockerfile\.multi' does not exist/);
});

test('a missing Dockerfile is still reported when another field breaks the schema', () => {
  const { dir } = baseScenario();
  rmSync(join(dir, 'Dockerfile.distroless'));
  editJson(dir, 'scenario.json', (j) => { j.smoke.status = 'ok'; });
  const r = check(dir);
  const messages = errors(r).map((p) => p.message).join('\n');
  assert.match(messages, /smoke\.status/);
  assert.match(messages, /variants\.distroless\.dockerfile 'Dockerfile\.distroless' does not exist/);
});

test.run();
