// stagebench scenarios end to end, in a child process as a user runs it: exit codes, and output that names the file.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnCaptured, type CommandResult } from '../../support/spawn.ts';
import { cliCommand, hasStackTrace } from '../../support/cli.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';
import { baseScenario, editText, ROOT, SHIPPED } from './broken-folder.ts';

test.after(removeTempDirs);

function stagebench(...args: string[]): Promise<CommandResult> {
  return spawnCaptured(...cliCommand(args), { cwd: ROOT });
}

test('check on the shipped scenarios: exit 0 and a passing verdict', async () => {
  const r = await stagebench('scenarios', 'check', '--scenarios', SHIPPED);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^check passed: \d+ scenarios valid/m);
  assert.match(r.stdout, /^express-api \(.*\): ok/m);
});

test('check on a broken folder: exit 2, the Dockerfile and line named, and a failing verdict last', async () => {
  const { root, dir } = baseScenario();
  editText(dir, 'Dockerfile.single', (t) => t.replace('FROM ${NODE_IMAGE}', 'FROM node:20'));
  const r = await stagebench('scenarios', 'check', '--scenarios', root);
  assert.is(r.code, 2, r.stdout + r.stderr);
  assert.ok(r.stdout.includes(`error   ${join(dir, 'Dockerfile.single')}:4: FROM node:20 hard-codes`), r.stdout);
  assert.match(r.stdout.trimEnd().split('\n').at(-1)!, /^check failed: 1 error in 1 of 1 scenario/);
  assert.not.ok(hasStackTrace(r.stdout + r.stderr));
});

test('check --format json: every scenario with its problems, severity, file and line', async () => {
  const { root, dir } = baseScenario();
  editText(dir, 'Dockerfile.multi', (t) => t.replace('ARG NODE_ALPINE_IMAGE=node:20-alpine', 'ARG NODE_ALPINE_IMAGE=node:18-alpine'));
  editText(dir, 'package.json', (t) => t.replace('"express": "^5.3.0"', '"express": "^5.3.0",\n    "ms": "^2.1.3"'));
  const r = await stagebench('scenarios', 'check', '--scenarios', root, '--format', 'json');
  assert.is(r.code, 2, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.is(out.scenarios.length, 1);
  const s = out.scenarios[0];
  assert.is(s.name, 'express-api');
  assert.is(s.dir, dir);
  assert.is(s.valid, false);
  assert.equal(s.variants, ['single', 'multi', 'distroless', 'single-bad-order', 'multi-same-base']);
  assert.equal(s.problems.map((p: { severity: string; file: string; line?: number }) => [p.severity, p.file, p.line ?? null]), [
    ['warning', join(dir, 'Dockerfile.multi'), 2],
    ['error', join(dir, 'package-lock.json'), null],
  ]);
});

test('warnings only: exit 0', async () => {
  const { root, dir } = baseScenario();
  editText(dir, 'Dockerfile.multi', (t) => t.replace('ARG NODE_ALPINE_IMAGE=node:20-alpine', 'ARG NODE_ALPINE_IMAGE=node:18-alpine'));
  const r = await stagebench('scenarios', 'check', '--scenarios', root);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /check passed: 1 scenario valid, 1 warning/);
});

test('list: a valid folder with its variants and description, an invalid one with its first problem; exit 0', async () => {
  const { root } = baseScenario();
  mkdirSync(join(root, 'broken'));
  writeFileSync(join(root, 'broken', 'scenario.json'), '{ "name": ');
  const r = await stagebench('scenarios', 'list', '--scenarios', root);
  assert.is(r.code, 0, r.stdout + r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.is(lines.length, 2, r.stdout);
  assert.match(lines[0], /^broken\s+INVALID\s+.*broken\/scenario\.json: not valid JSON/);
  assert.match(lines[1], /^express-api\s+single, multi, distroless, single-bad-order, multi-same-base\s+TypeScript Express API/);
  const bare = await stagebench('scenarios', '--scenarios', root);
  assert.is(bare.stdout, r.stdout, 'list is the default action');
});

test('bad usage: an unknown action, a folder with no scenarios to check; exit 2 without a stack trace', async () => {
  const unknown = await stagebench('scenarios', 'verify');
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, /unknown action 'verify'/);
  const empty = await stagebench('scenarios', 'check', '--scenarios', tempDir('scenarios-empty'));
  assert.is(empty.code, 2);
  assert.match(empty.stderr, /no scenario folders/);
  assert.not.ok(hasStackTrace(unknown.stderr + empty.stderr));
});

test.run();
