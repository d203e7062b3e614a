// init offers the size control for a user's app: Dockerfile.multi-same-base is multi's builder/runner split with
// both stages on single's base (the full node image), every other line as multi's, so single -> it is the stages
// alone and it -> multi the base swap alone. It is written and listed as a variant.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeApp } from '../../../src/init/analyze-app.ts';
import { writeDockerFiles } from '../../../src/init/create-scenario.ts';
import { multiDockerfile } from '../../../src/init/templates.ts';
import { loadProfile } from '../../../src/profile/profile.ts';
import { PROFILE_NAMES } from '../../../src/types.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

test.after(removeTempDirs);

test('multi on single\'s base: only the full node image, otherwise multi\'s lines; a variant with target runner', () => {
  const app = tempDir('control-app');
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'a', scripts: { start: 'node index.js', build: 'tsc' }, devDependencies: { typescript: '5.6.3' } }));
  writeFileSync(join(app, 'index.js'), 'require("http").createServer().listen(process.env.PORT || 3000)\n');
  const facts = analyzeApp(app);
  const control = multiDockerfile(facts, undefined, true);
  const from = control.split('\n').filter((l) => l.startsWith('FROM '));
  assert.equal(from, ['FROM ${NODE_IMAGE} AS builder', 'FROM ${NODE_IMAGE} AS runner']);
  assert.equal(control.split('\n').filter((l) => l.startsWith('ARG NODE')), ['ARG NODE_IMAGE=node:20']);
  const steps = (text: string) => text.split('\n').filter((l) => /^[A-Z]/.test(l) && !/^(?:FROM|ARG NODE)/.test(l));
  assert.equal(steps(control), steps(multiDockerfile(facts)));

  const out = tempDir('control-out');
  const w = writeDockerFiles(facts, out, undefined, PROFILE_NAMES.map((n) => loadProfile(n)));
  assert.equal(w.variants['multi-same-base'].dockerfile, 'Dockerfile.multi-same-base');
  assert.is(w.variants['multi-same-base'].target, 'runner');
  const written = readFileSync(join(out, 'Dockerfile.multi-same-base'), 'utf8');
  assert.is(written, control);
});

test.run();
