// scenarios check reports every problem, not the first: two in one folder, and a schema error beside a Dockerfile's.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { removeTempDirs } from '../../support/temp-dir.ts';
import { baseScenario, check, editJson, editText, errors, shown } from './broken-folder.ts';

test.after(removeTempDirs);

test('a Dockerfile without FROM and a lockfile out of sync: both reported, each with its file', () => {
  const { dir } = baseScenario();
  editText(dir, 'Dockerfile.distroless', (t) => t.replace(/^FROM .*$/gm, ''));
  editJson(dir, 'package.json', (j) => { j.dependencies.ms = '^2.1.3'; });
  const r = check(dir);
  assert.not.ok(r.valid);
  assert.equal(errors(r).map((p) => p.file), [join(dir, 'Dockerfile.distroless'), join(dir, 'package-lock.json')], shown(r));
  assert.match(errors(r)[0].message, /no FROM/);
  assert.match(errors(r)[1].message, /ms@\^2\.1\.3/);
});

test("an unknown key in scenario.json does not hide a Dockerfile's hard-coded image", () => {
  const { dir } = baseScenario();
  editJson(dir, 'scenario.json', (j) => { j.variants.single.platform = 'linux/amd64'; });
  editText(dir, 'Dockerfile.single', (t) => t.replace('FROM ${NODE_IMAGE}', 'FROM node:20'));
  const r = check(dir);
  const files = errors(r).map((p) => p.file);
  assert.ok(files.includes(join(dir, 'scenario.json')), shown(r));
  assert.ok(files.includes(join(dir, 'Dockerfile.single')), shown(r));
  assert.match(errors(r).find((p) => p.file === join(dir, 'scenario.json'))!.message, /'platform'/);
});

test('one Dockerfile with two problems: both, at their own lines', () => {
  const { dir } = baseScenario();
  editText(dir, 'Dockerfile.multi', (t) => t.replace('FROM ${NODE_ALPINE_IMAGE} AS builder', 'FROM node:20-alpine AS builder').replace('FROM ${NODE_ALPINE_IMAGE} AS runner', 'FROM ${MY_IMAGE} AS runner'));
  const r = check(dir);
  assert.equal(errors(r).map((p) => [p.file, p.line]), [[join(dir, 'Dockerfile.multi'), 5], [join(dir, 'Dockerfile.multi'), 14]], shown(r));
});

test.run();
