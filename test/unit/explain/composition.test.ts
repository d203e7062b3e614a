// The categories of composition.csv: which category a path falls in when several rules could claim it, and that an
// image's rows cover every byte of its layers once (every final file in one category, every buried file wasted).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { categorise } from '../../../src/explain/categories.ts';
import { explainImage } from '../../../src/explain/explain.ts';
import { compositionRows } from '../../../src/explain/format.ts';
import type { LayerEntry, LayerIndex } from '../../../src/scan/builtin/layer-index.ts';
import type { SavedImage } from '../../../src/scan/builtin/saved-image.ts';
import { COMPOSITION_CATEGORIES } from '../../../src/types.ts';

const entry = (path: string, size: number, type: LayerEntry['type'] = 'file', linkname = ''): LayerEntry => ({ path, type, size, mode: 0o644, linkname });
const layer = (entries: LayerEntry[], whiteouts: string[] = [], opaqueDirs: string[] = []): LayerIndex => ({ entries, whiteouts, opaqueDirs });
const everyDev = { appDir: 'app', isDev: () => true };
const noDev = { appDir: 'app', isDev: () => false };

test('a cache wins over the package or app folder it sits in', () => {
  assert.is(categorise('app/node_modules/mocha/test/a.js', everyDev), 'caches');
  assert.is(categorise('app/node_modules/express/lib/router.js.map', noDev), 'caches');
  assert.is(categorise('app/.git/objects/pack/p.pack', noDev), 'caches');
  assert.is(categorise('root/.cache/node-gyp/20.20.2/include/node/v8.h', noDev), 'caches');
  assert.is(categorise('usr/local/share/.cache/yarn/v6/npm-x/index.js', noDev), 'caches');
  assert.is(categorise('app/node_modules/.pnpm-store/v3/files/00/ab', noDev), 'caches');
});

test('the toolchain wins over dependencies: node-gyp in an app and python beside it are toolchain, dev or not', () => {
  assert.is(categorise('app/node_modules/node-gyp/lib/build.js', noDev), 'toolchain');
  assert.is(categorise('usr/lib/python3.11/os.py', noDev), 'toolchain');
  assert.is(categorise('usr/bin/g++-12', noDev), 'toolchain');
  assert.is(categorise('usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0', noDev), 'toolchain');
  // The C++ runtime a native addon loads is not the toolchain.
  assert.is(categorise('usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30', noDev), 'runtime');
});

test('node_modules: the app\'s are dependencies (inside WORKDIR too), Node\'s own npm and corepack are runtime', () => {
  assert.is(categorise('app/node_modules/express/index.js', noDev), 'production dependencies');
  assert.is(categorise('app/node_modules/@types/node/index.d.ts', everyDev), 'devDependencies');
  assert.is(categorise('app/node_modules/.pnpm/ms@2.1.3/node_modules/ms/index.js', everyDev), 'devDependencies');
  assert.is(categorise('usr/local/lib/node_modules/npm/lib/npm.js', everyDev), 'runtime');
  assert.is(categorise('usr/lib/node_modules/corepack/dist/corepack.js', everyDev), 'runtime');
  assert.is(categorise('opt/yarn-v1.22.22/node_modules/x/index.js', everyDev), 'runtime');
  // npm's own record in node_modules ships with the production ones.
  assert.is(categorise('app/node_modules/.package-lock.json', noDev), 'production dependencies');
});

test('app is WORKDIR\'s content; with no WORKDIR nothing is app', () => {
  assert.is(categorise('app/dist/server.js', noDev), 'app');
  assert.is(categorise('application/x.js', noDev), 'runtime');
  assert.is(categorise('app/dist/server.js', { appDir: '', isDev: () => false }), 'runtime');
  assert.is(categorise('nodejs/bin/node', noDev), 'runtime');
});

function image(layers: LayerIndex[]): SavedImage {
  return { config: { user: '', env: [], entrypoint: [], cmd: [], workingDir: '/app' }, layers, history: [] };
}

test('the rows hold every category in order; the six of the final files add up to them, wasted to what was buried', () => {
  const e = explainImage('t', image([
    layer([
      entry('usr/local/bin/node', 1000),
      entry('usr/bin/make', 70),
      entry('var/cache/apt/archives/x.deb', 30),
      entry('usr/bin/nodejs', 0, 'symlink', 'node'),
      entry('tmp/build.log', 40),
    ]),
    layer([
      entry('app/dist/server.js', 25),
      entry('app/dist/copy.js', 0, 'hardlink', 'app/dist/server.js'),
      entry('app/node_modules/express/index.js', 300),
      entry('usr/local/bin/node', 1001),
    ], ['tmp/build.log']),
  ]));
  const rows = compositionRows(e, 'demo', 'single');
  assert.equal(rows.map((r) => r.category), [...COMPOSITION_CATEGORIES]);
  assert.ok(rows.every((r) => r.scenario === 'demo' && r.variant === 'single'));
  const bytes = Object.fromEntries(rows.map((r) => [r.category, r.bytes]));
  assert.equal(bytes, {
    runtime: 1001, 'production dependencies': 300, devDependencies: 0, toolchain: 70, caches: 30, app: 25,
    // The first node (overwritten) and the deleted log.
    wasted: 1000 + 40,
  });
  assert.is(rows.filter((r) => r.category !== 'wasted').reduce((s, r) => s + r.bytes, 0), e.totalBytes);
  // A hard link's bytes are there once; a symlink has none: all rows together are every layer's file bytes.
  assert.is(rows.reduce((s, r) => s + r.bytes, 0), e.layerBytes);
  // What the engine counts beside them: the symlink's target text ('node').
  assert.is(e.symlinkBytes, 4);
});

test.run();
