// How a Dockerfile takes the run's npm registry: ARG NPM_CONFIG_REGISTRY in each stage that installs packages, or
// the npmrc secret on those RUN steps; otherwise it stays direct and the stages missing it are named.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fetchedPackages, isNpmInstall, npmOptIn } from '../../../src/npm-proxy/route.ts';
import { ROOT } from '../../../src/version.ts';

test("every shipped scenario's Dockerfile takes the registry as a build arg in each stage that installs", () => {
  const dir = join(ROOT, 'scenarios');
  const files = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(dir, d.name)).filter((f) => f.startsWith('Dockerfile.')).map((f) => join(dir, d.name, f)));
  assert.ok(files.length >= 10, files.join('\n'));
  for (const f of files) {
    const o = npmOptIn(readFileSync(f, 'utf8'));
    assert.ok(o.ok, `${f}: missing in ${o.missing.join(', ')}`);
    assert.is(o.arg, 'NPM_CONFIG_REGISTRY', f);
  }
});

test('a stage that installs without the ARG is named, and the Dockerfile stays direct', () => {
  const o = npmOptIn(['FROM a AS builder', 'ARG NPM_CONFIG_REGISTRY', 'RUN npm ci', 'FROM b AS runner', 'RUN npm ci --omit=dev', ''].join('\n'));
  assert.is(o.ok, false);
  assert.equal(o.missing, ['runner']);
  assert.is(o.installs, true);
});

test('an ARG declared only before the first FROM does not reach RUN steps: not routed', () => {
  const o = npmOptIn(['ARG NPM_CONFIG_REGISTRY', 'FROM a', 'RUN npm install', ''].join('\n'));
  assert.is(o.ok, false);
  assert.equal(o.missing, ['1']);
});

test('the ARG in lower case (npm reads npm_config_* in either case) is kept as written', () => {
  const o = npmOptIn(['FROM a', 'ARG npm_config_registry', 'RUN npm ci', ''].join('\n'));
  assert.is(o.ok, true);
  assert.is(o.arg, 'npm_config_registry');
});

test('the npmrc secret mounted on the install step routes it, in any flag order', () => {
  const o = npmOptIn(['FROM a', 'RUN --mount=type=secret,target=/root/.npmrc,id=npmrc npm ci', ''].join('\n'));
  assert.equal({ ok: o.ok, secret: o.secret, arg: o.arg }, { ok: true, secret: true, arg: undefined });
  assert.is(npmOptIn(['FROM a', 'RUN --mount=type=secret,id=other,target=/root/.npmrc npm ci', ''].join('\n')).ok, false);
});

test('a Dockerfile that never installs with npm is not routed and says so (installs false)', () => {
  const o = npmOptIn(['FROM a', 'ARG NPM_CONFIG_REGISTRY', 'RUN npm run build && npm prune --omit=dev', ''].join('\n'));
  assert.equal({ ok: o.ok, installs: o.installs }, { ok: false, installs: false });
});

test('install commands are told from other npm commands', () => {
  for (const c of ['npm ci', 'npm ci --omit=dev', 'npm install', 'npm i express', 'npm --no-audit install', 'cd app && npm ci && npm run build']) assert.ok(isNpmInstall(c), c);
  for (const c of ['npm run build', 'npm prune --omit=dev', 'npm test', 'echo npm', 'npm run install-deps']) assert.not.ok(isNpmInstall(c), c);
});

test('a build fetched packages when an install step ran, not when it came from the cache', () => {
  const step = (instruction: string, cached: boolean) => ({ label: '[1/3]', instruction, cached, durationMs: 1 });
  assert.is(fetchedPackages([step('RUN npm ci', false)]), true);
  assert.is(fetchedPackages([step('RUN npm ci', true), step('RUN npm run build', false)]), false);
});

test.run();
