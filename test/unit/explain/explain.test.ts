// explain's pure parts: categories, dive's efficiency and the wasted bytes, devDependencies, the verdict.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cacheKind, categorise, isToolchainPackage } from '../../../src/explain/categories.ts';
import { explainImage, layerInstructions, tidyInstruction, wastedAndEfficiency } from '../../../src/explain/explain.ts';
import { explainCsv } from '../../../src/explain/format.ts';
import { lockDevFlags } from '../../../src/explain/dev-dependencies.ts';
import type { LayerEntry, LayerIndex } from '../../../src/scan/builtin/layer-index.ts';
import type { SavedImage } from '../../../src/scan/builtin/saved-image.ts';

const file = (path: string, size: number, content?: string): LayerEntry => ({ path, type: 'file', size, mode: 0o644, linkname: '', ...(content !== undefined ? { content: Buffer.from(content) } : {}) });
const layer = (entries: LayerEntry[], whiteouts: string[] = [], opaqueDirs: string[] = []): LayerIndex => ({ entries, whiteouts, opaqueDirs });
const facts = { appDir: 'app', isDev: (d: string) => d.endsWith('/mocha') };

test('categorise: caches first, then toolchain, dependencies by the dev rule, the app folder, the rest runtime', () => {
  assert.is(categorise('root/.npm/_cacache/content-v2/x', facts), 'caches');
  assert.is(categorise('var/lib/apt/lists/deb_Packages', facts), 'caches');
  assert.is(categorise('app/.git/objects/ab', facts), 'caches');
  assert.is(categorise('app/dist/main.js.map', facts), 'caches');
  assert.is(categorise('usr/lib/gcc/x86_64-linux-gnu/12/cc1', facts), 'toolchain');
  assert.is(categorise('usr/bin/make', facts), 'toolchain');
  assert.is(categorise('usr/bin/x86_64-linux-gnu-gcc-12', facts), 'toolchain');
  assert.is(categorise('usr/include/stdio.h', facts), 'toolchain');
  assert.is(categorise('app/node_modules/mocha/lib/x.js', facts), 'devDependencies');
  assert.is(categorise('app/node_modules/express/index.js', facts), 'production dependencies');
  assert.is(categorise('usr/local/lib/node_modules/npm/index.js', facts), 'runtime');
  assert.is(categorise('app/server.js', facts), 'app');
  assert.is(categorise('usr/local/bin/node', facts), 'runtime');
  assert.is(cacheKind('usr/local/share/.cache/yarn/v6/x'), 'yarn cache');
  assert.is(cacheKind('app/node_modules/x/test/a.js'), 'test folders');
  assert.is(cacheKind('app/src/test/a.js'), undefined);
});

test('toolchain packages by name: compilers, make, python, headers; not the C library itself', () => {
  for (const n of ['gcc-12', 'g++', 'make', 'python3.11', 'libc6-dev', 'build-base', 'linux-headers', 'binutils-x86-64-linux-gnu', 'zlib1g-dev']) assert.ok(isToolchainPackage(n), n);
  for (const n of ['libc6', 'coreutils', 'bash', 'libstdc++6', 'nodejs']) assert.not.ok(isToolchainPackage(n), n);
});

test('wasted: a file added in one layer and deleted in the next is wasted whole; dive scores it 0 of its size', () => {
  const r = wastedAndEfficiency([layer([file('keep', 100)]), layer([file('big', 900)]), layer([], ['big'])]);
  assert.equal(r.wasted, [{ path: '/big', bytes: 900, layer: 1 }]);
  // dive: keep 100/100, big min 0 (the whiteout) over 900 + 0 => 100 / 1000.
  assert.is(r.efficiency, 0.1);
});

test('wasted: an overwrite wastes the older copy; a deleted folder wastes what it held; opaque folders too', () => {
  const r = wastedAndEfficiency([
    layer([file('a', 10), file('d/x', 20), file('d/y', 30), file('o/z', 40)]),
    layer([file('a', 5)], ['d'], ['o']),
  ]);
  assert.is(r.wasted.reduce((s, w) => s + w.bytes, 0), 10 + 20 + 30 + 40);
  // dive: a 5/15; d/x 20/20; d/y 30/30; o/z 40/40; d (whiteout of a folder) 50/50 => 145 / 155.
  assert.is(r.efficiency, 145 / 155);
});

test('wasted: nothing deleted or overwritten scores 1', () => {
  const r = wastedAndEfficiency([layer([file('a', 1)]), layer([file('b', 2)])]);
  assert.equal(r.wasted, []);
  assert.is(r.efficiency, 1);
});

test('layer instructions: empty_layer steps skipped; classic and BuildKit forms read as the Dockerfile line', () => {
  const h = [
    { createdBy: '/bin/sh -c #(nop) ADD file:abc in / ', emptyLayer: false },
    { createdBy: '/bin/sh -c #(nop)  CMD ["bash"]', emptyLayer: true },
    { createdBy: 'RUN /bin/sh -c npm ci # buildkit', emptyLayer: false },
  ];
  assert.equal(layerInstructions(h, 3), ['ADD file:abc in /', 'RUN npm ci', '(no history)']);
  assert.is(tidyInstruction('RUN |2 A=1 B=2 /bin/sh -c make # buildkit'), 'RUN make');
});

test('lockfile dev flags by key; not a lockfile gives undefined', () => {
  const flags = lockDevFlags(JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'node_modules/a': {}, 'node_modules/b': { dev: true } } }));
  assert.equal([...flags!], [['node_modules/a', false], ['node_modules/b', true]]);
  assert.is(lockDevFlags('nope'), undefined);
});

function image(layers: LayerIndex[]): SavedImage {
  return { config: { user: '', env: [], entrypoint: [], cmd: [], workingDir: '/app' }, layers, history: layers.map((_, i) => ({ createdBy: `RUN step${i}`, emptyLayer: false })) };
}

const lock = JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'node_modules/express': {}, 'node_modules/mocha': { dev: true } } });

test('explainImage: categories add up to the files; dev from the lockfile in the image, or --lockfile, or package.json', () => {
  const base = layer([file('usr/local/bin/node', 1000), file('usr/bin/gcc-12', 300), file('var/lib/apt/lists/x', 50)]);
  const app = layer([
    file('app/package.json', 40, JSON.stringify({ dependencies: { express: '1' }, devDependencies: { mocha: '1' } })),
    file('app/package-lock.json', 60, lock),
    file('app/node_modules/express/package.json', 30, '{"name":"express","version":"4.0.0"}'),
    file('app/node_modules/express/index.js', 70),
    file('app/node_modules/mocha/package.json', 30, '{"name":"mocha","version":"10.0.0"}'),
    file('app/node_modules/mocha/lib.js', 170),
    file('app/node_modules/x/node_modules/express/package.json', 10, '{"name":"express","version":"3.0.0"}'),
    file('tmp/big', 500),
  ]);
  const e = explainImage('t', image([base, app, layer([], ['tmp/big'])]));
  assert.is(e.devSource, 'lockfile in the image');
  assert.is(e.categories.devDependencies, 200);
  assert.is(e.categories['production dependencies'], 110);
  assert.is(e.categories.toolchain, 300);
  assert.is(e.categories.caches, 50);
  assert.is(e.categories.app, 100);
  assert.is(e.categories.runtime, 1000);
  assert.is(e.categories.wasted, 500);
  assert.is(e.totalBytes, 1760);
  assert.is(e.layerBytes, 2260);
  assert.equal(e.duplicates, [{ name: 'express', versions: ['3.0.0', '4.0.0'] }]);
  assert.equal(e.verdict.map((c) => c.bytes), [500, 300, 200]);
  assert.match(e.verdict[2].fix, 'npm ci --omit=dev');
  assert.is(e.layers[1].instruction, 'RUN step1');

  const other = JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/express': { dev: true }, 'node_modules/mocha': {} } });
  const given = explainImage('t', image([base, app]), { lockfile: other });
  assert.is(given.devSource, 'lockfile (--lockfile)');
  assert.is(given.categories.devDependencies, 110); // the nested express too: only ever dev in that lockfile

  const noLock = layer(app.entries.filter((en) => !en.path.endsWith('package-lock.json')));
  const byManifest = explainImage('t', image([base, noLock]));
  assert.is(byManifest.devSource, 'package.json devDependencies');
  assert.is(byManifest.categories.devDependencies, 200);

  const csv = explainCsv([{ e, scenario: 's', variant: 'v' }]);
  assert.match(csv, /^scenario,variant,category,bytes\n/);
  assert.match(csv, '\ns,v,wasted,500\n');
});

test.run();
