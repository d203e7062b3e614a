// why on the real engine, file mutations: content, mode only, touch only, a .dockerignore line removed, and a
// rebuilt stage whose output is the same (the runner's COPY --from stays cached).
import { chmodSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { removeTempDirs } from '../../support/temp-dir.ts';
import { causeText } from '../../../src/why/format.ts';
import { copyApp, step, why, writeApp } from '../../support/why-app.ts';

test.after(() => removeTempDirs());

test('a source file changed: COPY src names it, the build step cascades, the runner copies the changed bundle', async () => {
  const before = writeApp('src-before');
  const after = copyApp(before, 'src-after');
  writeFileSync(join(after, 'src/index.js'), "console.log('changed');\n");
  const r = await why(before, after);
  const copy = step(r, 'COPY src ./src');
  assert.is(copy.cause?.kind, 'files');
  assert.match(causeText(copy.cause!), /src\/index\.js \(content\)/);
  assert.equal(step(r, 'RUN cat src/*.js > bundle.js').cause, { kind: 'cascade', after: copy.label, origin: copy.label });
  assert.is(step(r, 'COPY --from=build /app/bundle.js ./').cause?.kind, 'stage');
  assert.ok(step(r, 'COPY package.json package-lock.json ./').cached);
  assert.is(r.firstCauses.length, 1);
});

test('file mode alone changed (umask 0002 against 0022): said as metadata only', async () => {
  const before = writeApp('mode-before');
  const after = copyApp(before, 'mode-after');
  for (const f of ['package.json', 'package-lock.json', ...readdirSync(join(after, 'src')).map((f) => `src/${f}`)]) chmodSync(join(after, f), 0o664);
  const r = await why(before, after);
  const first = step(r, 'COPY package.json package-lock.json ./');
  assert.is(first.cached, false);
  assert.is(first.cause?.kind, 'files');
  assert.ok(first.cause?.kind === 'files' && first.cause.metadataOnly);
  assert.match(causeText(first.cause!), /metadata only.*package(-lock)?\.json \(mode 0644 -> 0664\)/);
});

test('touch only: nothing rebuilt, nothing reported', async () => {
  const before = writeApp('touch-before');
  const after = copyApp(before, 'touch-after');
  const later = new Date(Date.now() + 3600_000);
  for (const f of ['package.json', 'package-lock.json', 'src/index.js', 'src/util.js']) utimesSync(join(after, f), later, later);
  const r = await why(before, after);
  assert.ok(r.steps.length > 0);
  assert.ok(r.steps.every((s) => s.cached && s.cause === null), JSON.stringify(r.steps));
  assert.is(r.firstCauses.length, 0);
});

test('a .dockerignore line removed lets a changing file into the context: entered the context', async () => {
  const before = writeApp('ignore-before');
  const after = copyApp(before, 'ignore-after');
  writeFileSync(join(after, '.dockerignore'), 'node_modules\n');
  writeFileSync(join(after, 'src/generated.js'), `// generated again ${Date.now()}\n`);
  const r = await why(before, after);
  const copy = step(r, 'COPY src ./src');
  assert.ok(copy.cause?.kind === 'files' && copy.cause.files.some((f) => f.path === 'src/generated.js' && f.change === 'entered-context'), JSON.stringify(copy.cause));
  assert.match(causeText(copy.cause!), /because \.dockerignore changed/);
});

test('a stage rebuilt with the same output: the runner COPY --from stays cached, no cause for it', async () => {
  const before = writeApp('stage-before');
  const after = copyApp(before, 'stage-after');
  writeFileSync(join(after, 'src/NOTES.md'), 'other notes\n');
  const r = await why(before, after);
  assert.match(causeText(step(r, 'COPY src ./src').cause!), /src\/NOTES\.md \(content\)/);
  assert.is(step(r, 'RUN cat src/*.js > bundle.js').cached, false);
  const runner = step(r, 'COPY --from=build /app/bundle.js ./');
  assert.ok(runner.cached);
  assert.is(runner.cause, null);
  assert.is(r.firstCauses.length, 1);
});

test.run();
