// Where credentials and plain HTTP may go (issue 13): loopback decided on addresses after resolution, a credential
// helper's odd output never shown, and user and password stripped from engine URLs wherever recorded or printed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerCredentials, hostOf, isLoopback, isLoopbackAddress, type Resolver } from '../../../src/registry/external.ts';
import { redactArgs, redactUrl } from '../../../src/net/redact-url.ts';
import { parseRunOptions } from '../../../src/run/options.ts';

const names: Record<string, string[]> = {
  localhost: ['127.0.0.1', '::1'],
  '127.evil.example.com': ['203.0.113.7'],
  '127.0.0.1.nip.io': ['127.0.0.1'],
  'rebind.example.com': ['127.0.0.1', '203.0.113.7'],
};
const resolver: Resolver = async (n) => {
  if (names[n]) return names[n];
  throw new Error('ENOTFOUND');
};

const LOOPBACK: Array<[string, boolean]> = [
  ['127.0.0.1:5000', true],
  ['127.1.2.3', true],
  ['[::1]:5000', true],
  ['::ffff:127.0.0.1', true],
  ['localhost:5000', true],
  ['127.evil.example.com', false],
  ['127.evil.example.com:5000', false],
  ['rebind.example.com', false],
  ['no-such-name.invalid', false],
  ['128.0.0.1', false],
  ['[::2]:5000', false],
];
for (const [host, want] of LOOPBACK) {
  test(`isLoopback(${host}) is ${want}`, async () => {
    assert.is(await isLoopback(host, resolver), want);
  });
}

test('a name that resolves only to loopback is loopback (decided on its addresses, not its spelling)', async () => {
  assert.ok(await isLoopback('127.0.0.1.nip.io', resolver));
});

test('hostOf and isLoopbackAddress', () => {
  assert.is(hostOf('[::1]:5000'), '::1');
  assert.is(hostOf('reg.example.com:443'), 'reg.example.com');
  assert.not.ok(isLoopbackAddress('localhost'), 'a name is not an address');
});

test('userinfo is stripped from URLs and command lines; other text is kept', () => {
  assert.is(redactUrl('tcp://admin:pw@host:2375'), 'tcp://host:2375');
  assert.is(redactUrl('ssh://deploy@host'), 'ssh://host');
  assert.is(redactUrl('unix:///run/docker.sock'), 'unix:///run/docker.sock');
  assert.is(redactUrl('embedded'), 'embedded');
  assert.equal(redactArgs(['run', '--pull-target', 'tcp://a:b@h:2375', '--pull-target=tcp://a:b@h:2375', '--phase', 'pull']), ['run', '--pull-target', 'tcp://h:2375', '--pull-target=tcp://h:2375', '--phase', 'pull']);
});

test('an engine reached at a URL with user and password is shown and recorded without them', async () => {
  const { engineAt } = await import('../../../src/engine/connect.ts');
  const { measuringHost } = await import('../../../src/run/runner.ts');
  const engine = engineAt('tcp://admin:hunter2@127.0.0.1:2375');
  assert.is(engine.address, 'tcp://127.0.0.1:2375');
  assert.is(measuringHost(engine.address), '127.0.0.1:2375');
});

test('a bad --pull-target is refused without echoing its password', () => {
  assert.throws(() => parseRunOptions(['--pull-target', 'ftp://admin:hunter2@h']), (e: Error) => !e.message.includes('hunter2') && /ftp:\/\/h/.test(e.message));
});

test("a credential helper that prints non-JSON: a usage error that names the helper and host, never its output", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stagebench-test-credhelper-'));
  try {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'docker-credential-leaky'), '#!/bin/sh\necho "hunter2-very-secret-token"\n');
    chmodSync(join(bin, 'docker-credential-leaky'), 0o755);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ credHelpers: { 'reg.example.com': 'leaky' } }));
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      await dockerCredentials('reg.example.com', dir);
      assert.unreachable('accepted');
    } catch (err) {
      const msg = (err as Error).message;
      assert.not.match(msg, /hunter2/);
      assert.not.match(String((err as Error).cause ?? ''), /hunter2/);
      assert.match(msg, /docker-credential-leaky/);
      assert.match(msg, /reg\.example\.com/);
    } finally {
      process.env.PATH = path;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
