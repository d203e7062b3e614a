// The npm proxy warm-up runs npm ci on the host, in a default run once the proxy is installed: it must see the
// scenario's package.json and lockfile only (an .npmrc with git=SCRIPT names a program npm would run), with npm's user
// config replaced by a file of ours and git fixed to the real one. A stand-in npm on PATH records what it was given.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { warmProxy } from '../../../src/npm-proxy/npm-route.ts';
import type { LocalNpmProxy } from '../../../src/npm-proxy/verdaccio.ts';
import { loadScenario } from '../../../src/scenario/load.ts';
import { makeScenario } from '../../support/scenario-folder.ts';
import { cleanupAfter } from '../../support/setup.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

cleanupAfter(test, removeTempDirs);

test("the warm-up's npm ci sees no .npmrc of the scenario and runs git from PATH", async () => {
  const root = tempDir('warm-hostile');
  const bin = join(root, 'bin');
  mkdirSync(bin);
  const log = join(root, 'npm.log');
  writeFileSync(join(bin, 'npm'), `#!/bin/sh\n{ echo "args: $*"; echo "files: $(ls -A | tr '\\n' ' ')"; } >> ${log}\n`);
  chmodSync(join(bin, 'npm'), 0o755);
  const dir = makeScenario(root, 'demo', { files: { 'package-lock.json': '{"lockfileVersion":3,"packages":{}}\n', '.npmrc': `git=${join(root, 'evil.sh')}\n` } });
  const proxyDir = join(root, 'proxy');
  mkdirSync(proxyDir);
  const proxy: LocalNpmProxy = {
    url: 'http://127.0.0.1:9/', address: '127.0.0.1:9', dir: proxyDir, logFile: join(proxyDir, 'log'), version: 'test',
    mark: () => 0, requestsSince: async () => 0, stop: async () => undefined,
  };
  const path = process.env.PATH;
  process.env.PATH = `${bin}${delimiter}${path}`;
  try {
    await warmProxy(proxy, [loadScenario(dir)], new AbortController().signal, () => undefined);
  } finally {
    process.env.PATH = path;
  }
  const seen = readFileSync(log, 'utf8').trim().split('\n');
  assert.is(seen.length, 4, 'the lockfile and the dependency change');
  for (const line of seen.filter((l) => l.startsWith('files:'))) assert.not.match(line, /\.npmrc/);
  for (const line of seen.filter((l) => l.startsWith('args:'))) {
    assert.match(line, /--userconfig=\S+/);
    assert.match(line, /--git=git/);
    assert.match(line, /--ignore-scripts/);
  }
});

test.run();
