// Where the proxy is installed: $STAGEBENCH_CACHE, else $XDG_CACHE_HOME/stagebench, else ~/.cache/stagebench; a
// folder without a whole install of the pinned version is "not installed" (auto then builds directly).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheHome, installedProxy, proxyInstallDir, VERDACCIO_VERSION } from '../../../src/npm-proxy/verdaccio.ts';

test('the cache folder follows STAGEBENCH_CACHE, then XDG_CACHE_HOME, then the home folder', () => {
  assert.is(cacheHome({ STAGEBENCH_CACHE: '/srv/sb', XDG_CACHE_HOME: '/x' }), '/srv/sb');
  assert.is(cacheHome({ XDG_CACHE_HOME: '/x' }), '/x/stagebench');
  assert.is(cacheHome({}), join(homedir(), '.cache', 'stagebench'));
  assert.is(proxyInstallDir({ STAGEBENCH_CACHE: '/srv/sb' }), `/srv/sb/verdaccio-${VERDACCIO_VERSION}`);
});

test('installed only when the pinned version and its entry script are there', () => {
  const home = mkdtempSync(join(tmpdir(), 'sb-cache-'));
  try {
    const env = { STAGEBENCH_CACHE: home };
    assert.is(installedProxy(env), undefined);
    const pkg = join(proxyInstallDir(env), 'node_modules', 'verdaccio');
    mkdirSync(join(pkg, 'bin'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ version: '6.9.0' }));
    writeFileSync(join(pkg, 'bin', 'verdaccio'), '');
    assert.is(installedProxy(env), undefined, 'another version is not the pinned one');
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ version: VERDACCIO_VERSION }));
    assert.is(installedProxy(env), join(pkg, 'bin', 'verdaccio'));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test.run();
