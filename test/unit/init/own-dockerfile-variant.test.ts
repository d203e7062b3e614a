// The app's own Dockerfile becomes variant `own` only when it checks clean: one on a base image no profile can set
// (chainguard/node@sha256:..., as a public app's was) is written for the user to fix, said once per problem, and
// left out of the variants, so the scenario init writes checks clean and runs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeApp } from '../../../src/init/analyze-app.ts';
import { writeDockerFiles } from '../../../src/init/create-scenario.ts';
import { loadProfile } from '../../../src/profile/profile.ts';
import { PROFILE_NAMES } from '../../../src/types.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

test.after(removeTempDirs);

const profiles = PROFILE_NAMES.map((n) => loadProfile(n));
const IMAGE = 'chainguard/node@sha256:f2a8ed64ec02cef2e53c76d1255d0917e749570af251e32e99f54cda1076cc8d';

function appWith(dockerfile: string): { app: string; out: string } {
  const app = tempDir('own-app');
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'a', scripts: { start: 'node index.js' } }));
  writeFileSync(join(app, 'index.js'), 'require("http").createServer().listen(process.env.PORT || 3000)\n');
  writeFileSync(join(app, 'Dockerfile'), dockerfile);
  const out = join(tempDir('own-out'), 'a');
  mkdirSync(out, { recursive: true });
  return { app, out };
}

test('a base image no profile sets: Dockerfile.own written, not a variant, the problem said once with both lines', () => {
  const { app, out } = appWith(`FROM ${IMAGE} as build\nRUN npm ci\nFROM ${IMAGE} as release\nCOPY --from=build /app .\n`);
  const w = writeDockerFiles(analyzeApp(app), out, undefined, profiles);
  assert.ok(existsSync(join(out, 'Dockerfile.own')));
  assert.equal(Object.keys(w.variants), ['single', 'multi', 'distroless', 'multi-same-base']);
  assert.match(w.ownLeftOut ?? '', new RegExp(`^lines 1, 3: FROM ${IMAGE.replace(/[.@]/g, '\\$&')} hard-codes its base image`));
  assert.is((w.ownLeftOut ?? '').split('hard-codes').length, 2, w.ownLeftOut);
});

test('an official node image: its FROM becomes the profile ARG and own is a variant', () => {
  const { app, out } = appWith('FROM node:20-slim\nWORKDIR /app\nCOPY . .\nCMD ["node","index.js"]\n');
  const w = writeDockerFiles(analyzeApp(app), out, undefined, profiles);
  assert.is(w.ownLeftOut, undefined);
  assert.equal(Object.keys(w.variants), ['own', 'single', 'multi', 'distroless', 'multi-same-base']);
});

test.run();
