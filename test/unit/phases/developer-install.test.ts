// The .dockerignore phases' developer folder is populated with the app's own package manager (issue 16): npm ci for
// npm, yarn and pnpm's frozen installs through corepack, never running install scripts; no lockfile is a clear refusal.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { developerInstall } from '../../../src/phases/context.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

test.after(removeTempDirs);

function folder(files: Record<string, string>): string {
  const dir = tempDir('developer-install');
  mkdirSync(dir, { recursive: true });
  for (const [rel, text] of Object.entries(files)) writeFileSync(join(dir, rel), text);
  return dir;
}

const pkg = (extra: Record<string, unknown> = {}) => JSON.stringify({ name: 'app', version: '1.0.0', ...extra });

test('npm: npm ci without scripts', () => {
  const i = developerInstall(folder({ 'package.json': pkg(), 'package-lock.json': '{}' }));
  assert.equal([i.manager, ...i.args], ['npm', 'ci', '--ignore-scripts', '--no-audit', '--no-fund']);
});

test('yarn classic, yarn berry and pnpm: their frozen installs, without build scripts', () => {
  const classic = developerInstall(folder({ 'package.json': pkg(), 'yarn.lock': '# yarn lockfile v1\n' }));
  assert.equal([classic.manager, ...classic.args], ['yarn-classic', 'install', '--frozen-lockfile', '--ignore-scripts', '--ignore-engines', '--non-interactive']);
  const berry = developerInstall(folder({ 'package.json': pkg(), 'yarn.lock': '__metadata:\n  version: 8\n' }));
  assert.equal([berry.manager, ...berry.args], ['yarn-berry', 'install', '--immutable', '--mode=skip-build']);
  const pnpm = developerInstall(folder({ 'package.json': pkg(), 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n" }));
  assert.equal([pnpm.manager, ...pnpm.args], ['pnpm', 'install', '--frozen-lockfile', '--ignore-scripts']);
});

test('several lockfiles: the one the Dockerfile installs with', () => {
  const i = developerInstall(folder({ 'package.json': pkg(), 'package-lock.json': '{}', 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n" }), 'RUN corepack enable && pnpm install --frozen-lockfile\n');
  assert.is(i.manager, 'pnpm');
});

test('no lockfile: a refusal that names the folder and the install it needs', () => {
  const dir = folder({ 'package.json': pkg() });
  assert.throws(() => developerInstall(dir), (e: unknown) => e instanceof Error && e.message.startsWith(`${dir} has no lockfile`) && /npm ci/.test(e.message));
});

test.run();
