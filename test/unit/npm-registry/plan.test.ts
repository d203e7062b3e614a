// --npm-registry parsing, the npm settings a build gets, lockfile host detection and Verdaccio's config.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError } from '../../../src/errors.ts';
import {
  lockfilePackages,
  lockfileRegistryHosts,
  npmRegistrySettings,
  npmrcText,
  parseNpmRegistry,
  verdaccioConfig,
} from '../../../src/npm-registry/plan.ts';

test('absent means auto; direct and local are kinds; a URL gets a trailing slash', () => {
  assert.equal(parseNpmRegistry(undefined), { kind: 'auto' });
  assert.equal(parseNpmRegistry('direct'), { kind: 'direct' });
  assert.equal(parseNpmRegistry('local'), { kind: 'local' });
  assert.equal(parseNpmRegistry('http://127.0.0.1:4873'), { kind: 'url', url: 'http://127.0.0.1:4873/' });
  assert.equal(parseNpmRegistry('https://npm.example.test/r/'), { kind: 'url', url: 'https://npm.example.test/r/' });
});

test('a bad value is a usage error that names the flag and never shows credentials', () => {
  assert.throws(() => parseNpmRegistry('nearby'), (e: unknown) => e instanceof UsageError && /--npm-registry/.test(e.message));
  assert.throws(
    () => parseNpmRegistry('ftp://user:secret@npm.example.test/'),
    (e: unknown) => e instanceof UsageError && !e.message.includes('secret') && /http/.test(e.message),
  );
});

test('a build is pointed at the registry, and lockfile resolved hosts are replaced', () => {
  assert.equal(npmRegistrySettings('http://127.0.0.1:5000/'), {
    NPM_CONFIG_REGISTRY: 'http://127.0.0.1:5000/',
    NPM_CONFIG_REPLACE_REGISTRY_HOST: 'always',
  });
  assert.is(npmrcText('http://127.0.0.1:5000/'), 'registry=http://127.0.0.1:5000/\nreplace-registry-host=always\n');
});

test('lockfile hosts: every resolved URL host once, sorted; file: and git references ignored', () => {
  const lock = JSON.stringify({
    lockfileVersion: 3,
    packages: {
      '': { name: 'app' },
      'node_modules/a': { version: '1.0.0', resolved: 'https://npm.example.test/a/-/a-1.0.0.tgz' },
      'node_modules/b': { version: '2.0.0', resolved: 'http://other.example.test:8080/b/-/b-2.0.0.tgz' },
      'node_modules/c': { version: '1.0.0', resolved: 'https://npm.example.test/c/-/c-1.0.0.tgz' },
      'node_modules/d': { version: '1.0.0', resolved: 'file:../d' },
    },
  });
  assert.equal(lockfileRegistryHosts(lock), ['npm.example.test', 'other.example.test:8080']);
  assert.equal(lockfileRegistryHosts('{"lockfileVersion":3,"packages":{}}'), []);
});

test('lockfile packages: nested and scoped entries, aliases by their real name, links skipped', () => {
  const lock = {
    packages: {
      '': { name: 'app', version: '1.0.0' },
      'node_modules/@s/x': { version: '1.2.3' },
      'node_modules/a/node_modules/b': { version: '0.1.0' },
      'node_modules/alias': { name: 'real', version: '3.0.0' },
      'node_modules/ws-pkg': { link: true, resolved: 'packages/ws-pkg' },
      'node_modules/b': { version: '0.1.0' },
    },
  };
  assert.equal(lockfilePackages(lock), ['@s/x@1.2.3', 'b@0.1.0', 'real@3.0.0']);
  assert.equal(lockfilePackages(null), []);
});

test('verdaccio config proxies every package to the one uplink and keeps storage where it is told', () => {
  const text = verdaccioConfig({ storageDir: '/tmp/x y/storage', uplinkUrl: 'https://npm.example.test/' });
  assert.match(text, /storage: "\/tmp\/x y\/storage"/);
  assert.match(text, /url: "https:\/\/npm.example.test\/"/);
  assert.match(text, /proxy: up/);
  assert.match(text, /format: json/);
});

test.run();
