// Host-side installs: the private copy holds the manifest and lockfile only, refuses links and special files there,
// refuses a packageManager that is no released version, and each manager's project config is neutralised from the
// command line and the environment.
import { execFileSync } from 'node:child_process';
import { readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError } from '../../../src/errors.ts';
import { hostCommand, privateCopy } from '../../../src/scenario/host-install.ts';
import { packageManager } from '../../../src/scenario/package-manager.ts';
import { cleanupAfter } from '../../support/setup.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

cleanupAfter(test, removeTempDirs);

function app(files: Record<string, string>): string {
  const dir = tempDir('host-install');
  for (const [rel, text] of Object.entries(files)) writeFileSync(join(dir, rel), text);
  return dir;
}

test('the copy holds package.json and the lockfile, not .npmrc, .yarnrc.yml or .pnpmfile.cjs', () => {
  const dir = app({ 'package.json': '{"name":"a"}', 'package-lock.json': '{}', '.npmrc': 'git=/tmp/x\n', '.yarnrc.yml': 'yarnPath: x.cjs\n', '.pnpmfile.cjs': '' });
  const copy = privateCopy(dir, ['package.json', 'package-lock.json', 'yarn.lock'], tempDir('host-install-parent'));
  try {
    assert.equal(readdirSync(copy.dir).sort(), ['package-lock.json', 'package.json']);
  } finally {
    copy.remove();
  }
});

test('a link or a FIFO at package.json or the lockfile is refused, not followed or waited on', () => {
  const outside = app({ 'secret.txt': 'host file' });
  const linked = app({ 'package-lock.json': '{}' });
  symlinkSync(join(outside, 'secret.txt'), join(linked, 'package.json'));
  assert.throws(() => privateCopy(linked, ['package.json']), (e: unknown) => e instanceof UsageError && /package\.json.*symbolic link/.test(e.message));
  const fifo = app({ 'package.json': '{"name":"a"}' });
  execFileSync('mkfifo', [join(fifo, 'package-lock.json')]);
  assert.throws(() => privateCopy(fifo, ['package.json', 'package-lock.json']), (e: unknown) => e instanceof UsageError && /not a regular file/.test(e.message));
});

test('a packageManager that is a URL is refused: corepack would download and run it', () => {
  const dir = app({ 'package.json': '{"name":"a","packageManager":"yarn@https://example.invalid/yarn.tgz"}' });
  assert.throws(() => privateCopy(dir, ['package.json']), (e: unknown) => e instanceof UsageError && /packageManager.*not a released version/.test(e.message));
});

test('npm: our user config, git from PATH, no scripts, from the command line', () => {
  const c = hostCommand(packageManager('npm'), ['ci'], '/p/rc', '.y.yml');
  assert.equal([c.file, ...c.args], ['npm', 'ci', '--userconfig=/p/rc', '--git=git', '--ignore-scripts']);
  assert.is(c.env.npm_config_git, 'git');
  assert.is(c.env.GIT_ALLOW_PROTOCOL, 'https:http:ssh:git');
});

test('yarn: yarnPath, plugins and scripts off, a fixed rc; pnpm: no .pnpmfile.cjs, no workspace file', () => {
  const classic = hostCommand(packageManager('yarn-classic'), ['add', 'ms'], '/p/rc', '.y.yml');
  assert.equal(classic.args, ['yarn', 'add', 'ms', '--no-default-rc', '--use-yarnrc', '/p/rc']);
  const berry = hostCommand(packageManager('yarn-berry'), ['install'], '/p/rc', '.y.yml', '4.5.0');
  assert.equal(berry.args, ['yarn@4.5.0', 'install']);
  assert.is(berry.env.YARN_IGNORE_PATH, '1');
  assert.is(berry.env.YARN_ENABLE_SCRIPTS, '0');
  assert.is(berry.env.YARN_RC_FILENAME, '.y.yml');
  const pnpm = hostCommand(packageManager('pnpm'), ['install'], '/p/rc', '.y.yml');
  assert.equal(pnpm.args, ['pnpm', 'install', '--ignore-pnpmfile', '--ignore-workspace', '--ignore-scripts']);
  assert.is(pnpm.env.npm_config_userconfig, '/p/rc');
});

test.run();
