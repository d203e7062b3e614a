// scenarios check on the variants' Dockerfiles: what the builder would reject and base images a profile cannot set,
// each reported with the Dockerfile and its line.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { removeTempDirs } from '../../support/temp-dir.ts';
import { baseScenario, check, editJson, editText, errors, shown, warnings } from './broken-folder.ts';

test.after(removeTempDirs);

function brokenMulti(change: (text: string) => string) {
  const { dir } = baseScenario();
  editText(dir, 'Dockerfile.multi', change);
  const r = check(dir);
  return { dir, r, file: join(dir, 'Dockerfile.multi') };
}

test('an empty Dockerfile is an error naming it', () => {
  const { r, file } = brokenMulti(() => '# nothing here yet\n');
  assert.not.ok(r.valid);
  assert.equal(errors(r).map((p) => p.file), [file], shown(r));
  assert.match(errors(r)[0].message, /empty/);
});

test('a Dockerfile without FROM is an error naming it', () => {
  const { r, file } = brokenMulti(() => 'ARG NODE_IMAGE=node:20\nWORKDIR /app\nCOPY . .\n');
  assert.not.ok(r.valid);
  assert.is(errors(r).length, 1, shown(r));
  assert.is(errors(r)[0].file, file);
  assert.match(errors(r)[0].message, /no FROM instruction/);
});

test('an instruction other than ARG before the first FROM is an error at its line', () => {
  const { r, file } = brokenMulti((t) => t.replace('ARG NODE_ALPINE_IMAGE=node:20-alpine', 'ARG NODE_ALPINE_IMAGE=node:20-alpine\nWORKDIR /app'));
  assert.is(errors(r).length, 1, shown(r));
  assert.is(errors(r)[0].file, file);
  assert.is(errors(r)[0].line, 3);
  assert.match(errors(r)[0].message, /WORKDIR before the first FROM/);
});

test('a hard-coded FROM image is an error at its line: the offline profile cannot substitute it', () => {
  const { r, file } = brokenMulti((t) => t.replace('FROM ${NODE_ALPINE_IMAGE} AS runner', 'FROM node:20-alpine AS runner'));
  assert.not.ok(r.valid);
  assert.is(errors(r).length, 1, shown(r));
  assert.is(errors(r)[0].file, file);
  assert.is(errors(r)[0].line, 14);
  assert.match(errors(r)[0].message, /FROM node:20-alpine hard-codes.*offline profile cannot substitute/);
});

test('FROM an earlier stage name is no hard-coded image', () => {
  const { r } = brokenMulti((t) => t.replace('FROM ${NODE_ALPINE_IMAGE} AS runner', 'FROM builder AS runner'));
  assert.is(errors(r).length, 0, shown(r));
});

test('an ARG that no profile defines, used in FROM, is an error naming the profile names', () => {
  const { r, file } = brokenMulti((t) => t.replaceAll('NODE_ALPINE_IMAGE', 'BASE_IMAGE'));
  assert.not.ok(r.valid);
  const found = errors(r).filter((p) => p.file === file && /ARG BASE_IMAGE is not a base image the online and offline profiles define/.test(p.message));
  assert.equal(found.map((p) => p.line), [5, 14], shown(r));
  assert.match(found[0].message, /NODE_IMAGE/);
});

test('a profile ARG used in FROM but not declared before it is an error', () => {
  const { r, file } = brokenMulti((t) => t.replace('ARG NODE_ALPINE_IMAGE=node:20-alpine', ''));
  assert.ok(errors(r).some((p) => p.file === file && /no ARG before the first FROM declares/.test(p.message)), shown(r));
});

test('a target stage that does not exist is an error naming the stages there are', () => {
  const { dir } = baseScenario();
  editJson(dir, 'scenario.json', (j) => { j.variants.multi.target = 'production'; });
  const r = check(dir);
  assert.not.ok(r.valid);
  assert.is(errors(r).length, 1, shown(r));
  assert.is(errors(r)[0].file, join(dir, 'Dockerfile.multi'));
  assert.match(errors(r)[0].message, /target 'production'.*stages named: builder, runner/);
});

test('an ARG default other than the online image is a warning only', () => {
  const { r, file } = brokenMulti((t) => t.replace('ARG NODE_ALPINE_IMAGE=node:20-alpine', 'ARG NODE_ALPINE_IMAGE=node:18-alpine'));
  assert.ok(r.valid, shown(r));
  assert.is(warnings(r).length, 1, shown(r));
  assert.is(warnings(r)[0].file, file);
  assert.is(warnings(r)[0].line, 2);
  assert.match(warnings(r)[0].message, /node:18-alpine, not the online profile's node:20-alpine/);
});

test('an unknown instruction and COPY --from an image are errors at their lines', () => {
  const { r, file } = brokenMulti((t) => t.replace('WORKDIR /app\nENV', 'WORKDIR /app\nCOPPY x y\nCOPY --from=node:20 /usr/local/bin/node /x\nENV'));
  assert.is(errors(r).length, 2, shown(r));
  assert.ok(errors(r).every((p) => p.file === file), shown(r));
  assert.is(errors(r)[0].line, 16);
  assert.match(errors(r)[0].message, /unknown instruction 'COPPY'/);
  assert.is(errors(r)[1].line, 17);
  assert.match(errors(r)[1].message, /COPY --from=node:20 names no stage.*offline profile cannot substitute/);
});

test('a # syntax= line is a warning on its line: offline machines cannot pull the frontend image', () => {
  const { r, file } = brokenMulti((t) => `# syntax=docker/dockerfile:1\n${t}`);
  assert.ok(r.valid, shown(r));
  const w = warnings(r).find((p) => p.file === file && p.line === 1);
  assert.ok(w, shown(r));
  assert.match(w!.message, /# syntax=docker\/dockerfile:1 makes BuildKit pull the frontend image/);
});

test.run();
