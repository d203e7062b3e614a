// why on the real engine, input mutations besides source files: the manifest's version, a lockfile rewritten with
// the same dependencies, an ARG default, a build arg given on the command line, a base image re-tagged.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';
import { causeText } from '../../../src/why/format.ts';
import { BASE, LOCK, NONCE, PACKAGE, copyApp, step, testEngine, why, writeApp } from '../../support/why-app.ts';

const INSTALL = "RUN node -e \"console.log(require('./package-lock.json').packages[''].dependencies)\" > deps.txt";
const RETAG = 'stagebench-why-test-base:current';

test.after(async () => {
  const engine = await testEngine();
  await engine.removeImage(RETAG).catch(() => undefined);
  await engine.removeImagesWithLabels({ 'org.stagebench.why-test': 'derived' }).catch(() => 0);
  removeTempDirs();
});

test('package.json version bump: the manifest COPY names package.json, the install cascades', async () => {
  const before = writeApp('bump-before');
  const after = copyApp(before, 'bump-after');
  writeFileSync(join(after, 'package.json'), `${JSON.stringify({ ...PACKAGE, version: '1.0.1' }, null, 2)}\n`);
  const r = await why(before, after);
  const copy = step(r, 'COPY package.json package-lock.json ./');
  assert.ok(copy.cause?.kind === 'files' && copy.cause.files.length === 1 && copy.cause.files[0].path === 'package.json' && copy.cause.files[0].change === 'content');
  assert.is(step(r, INSTALL).cause?.kind, 'cascade');
});

test('lockfile rewritten with the same dependencies (other indentation): package-lock.json content', async () => {
  const before = writeApp('lock-before');
  const after = copyApp(before, 'lock-after');
  writeFileSync(join(after, 'package-lock.json'), `${JSON.stringify(LOCK, null, 4)}\n`);
  const r = await why(before, after);
  assert.match(causeText(step(r, 'COPY package.json package-lock.json ./').cause!), /1 file it copies changed: package-lock\.json \(content\)/);
});

test('ARG default changed in the Dockerfile: the first RUN after it names the build arg, before and after', async () => {
  const before = writeApp('arg-before');
  const after = copyApp(before, 'arg-after');
  const df = readFileSync(join(after, 'Dockerfile'), 'utf8');
  writeFileSync(join(after, 'Dockerfile'), df.replace('ARG GREETING=hello', 'ARG GREETING=bonjour'));
  const r = await why(before, after);
  assert.equal(step(r, INSTALL).cause, { kind: 'variable', name: 'GREETING', declaredBy: 'ARG', before: 'hello', after: 'bonjour', others: 0 });
  assert.ok(step(r, 'COPY package.json package-lock.json ./').cached);
});

test('a build arg given on the command line changed: named with both values', async () => {
  const app = writeApp('cli-arg');
  const r = await why(app, app, { buildArgs: { GREETING: 'one' }, afterBuildArgs: { GREETING: 'two' } });
  assert.match(causeText(step(r, INSTALL).cause!), /build arg GREETING changed: 'one' -> 'two'/);
});

test('base image re-tagged to another digest: the first step of each stage names the base and both ids', async () => {
  const engine = await testEngine();
  const derivedDir = tempDir('why-derived');
  writeFileSync(join(derivedDir, 'Dockerfile'), `FROM ${BASE}\nLABEL org.stagebench.why-test=derived\nRUN echo ${NONCE} > /derived.txt\n`);
  const derived = await engine.build({ contextDir: derivedDir, dockerfile: 'Dockerfile', tag: 'stagebench-why-test-base:derived', buildArgs: {}, builder: 'buildkit', labels: { 'org.stagebench.why-test': 'derived' } });
  assert.ok(derived.ok, derived.ok ? '' : derived.error);
  const [repo, tag] = RETAG.split(':');
  await engine.tagImage(BASE, repo, tag);
  const app = writeApp('retag');
  const r = await why(app, app, { buildArgs: { BASE: RETAG }, between: () => engine.tagImage('stagebench-why-test-base:derived', repo, tag) });
  // Both stages start FROM the base with WORKDIR /app: BuildKit runs (and reports) that step once.
  const firsts = r.firstCauses.map((f) => f.step);
  assert.equal(firsts.map((s) => s.instruction), ['WORKDIR /app', 'COPY --from=build /app/bundle.js ./']);
  for (const f of firsts) {
    assert.is(f.cause?.kind, 'base');
    assert.match(causeText(f.cause!), new RegExp(`base image ${RETAG} changed digest: \\w{12} -> \\w{12}`));
  }
  assert.ok(r.steps.every((s) => !s.cached));
});

test.run();
