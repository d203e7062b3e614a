// explain on real images built by the engine: a crafted image (a 50 MB file added in one layer and deleted in the
// next, a devDependency of known size, an npm cache left behind) checked byte for byte against what the test put in,
// and every base stand-in read without failing. The images are read through the engine's export only, never run.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connectEngine } from '../../../src/engine/connect.ts';
import type { DockerEngine } from '../../../src/engine/docker-engine.ts';
import { COMPOSITION_CATEGORIES } from '../../../src/types.ts';
import { explainFromEngine } from '../../../src/explain/read-image.ts';

const SLIM = 'stagebench-offline/node:20-slim';
const BASES = [SLIM, 'stagebench-offline/node:20', 'stagebench-offline/distroless-nodejs20-debian12:standin', 'stagebench-offline/debian-minbase:bookworm'];
const TAG = 'stagebench-dev-explain-crafted:test';
const LABELS = { 'org.stagebench.test': 'explain' };
const BIG = 50_000_000;
const DEV_DATA = 1_234_567;
const CACHE = 777_777;

const work = mkdtempSync(join(tmpdir(), 'stagebench-explain-it-'));
let engine: DockerEngine;
const put = (rel: string, body: string | Buffer) => {
  mkdirSync(dirname(join(work, rel)), { recursive: true });
  writeFileSync(join(work, rel), body);
  return Buffer.byteLength(body);
};

let devBytes = 0;
let prodBytes = 0;
let setupDone: Promise<void> | undefined;
async function buildCrafted(): Promise<void> {
  engine = await connectEngine();
  for (const base of BASES) if (!(await engine.inspectImage(base))) throw new Error(`${base} is missing: run 'npm run setup' to build the offline base images`);
  put('app/package.json', JSON.stringify({ name: 'crafted', version: '1.0.0', dependencies: { prodpkg: '1.0.0' }, devDependencies: { devpkg: '1.0.0' } }));
  put('app/package-lock.json', JSON.stringify({ name: 'crafted', lockfileVersion: 3, packages: { '': {}, 'node_modules/prodpkg': { version: '1.0.0' }, 'node_modules/devpkg': { version: '1.0.0', dev: true } } }));
  devBytes = put('app/node_modules/devpkg/package.json', '{"name":"devpkg","version":"1.0.0"}') + put('app/node_modules/devpkg/data.bin', Buffer.alloc(DEV_DATA, 1));
  prodBytes = put('app/node_modules/prodpkg/package.json', '{"name":"prodpkg","version":"1.0.0"}') + put('app/node_modules/prodpkg/index.js', 'module.exports = 1;\n');
  put('cache.bin', Buffer.alloc(CACHE, 2));
  put('Dockerfile', [
    `FROM ${SLIM}`,
    `RUN head -c ${BIG} /dev/zero > /big.bin`,
    'RUN rm /big.bin',
    'COPY cache.bin /root/.npm/_cacache/content-v2/sha512/left-behind',
    'WORKDIR /app',
    'COPY app/ /app/',
    '',
  ].join('\n'));
  await engine.removeImage(TAG);
  const out = await engine.build({ contextDir: work, dockerfile: 'Dockerfile', tag: TAG, buildArgs: {}, builder: 'buildkit', labels: LABELS });
  if (!out.ok && !(await engine.inspectImage(TAG))) throw new Error(`building ${TAG} failed: ${out.error}\n${out.log.join('\n')}`);
}
const setup = () => (setupDone ??= buildCrafted());

test('crafted image: the deleted 50 MB file is the waste, the devDependency and the cache are counted to the byte', async () => {
  await setup();
  const e = await explainFromEngine(engine, TAG);
  console.log(`  verdict: ${e.verdict.map((c) => c.what).join('; ')}`);
  const big = e.wastedFiles.find((w) => w.path === '/big.bin');
  assert.ok(big, `wasted files: ${JSON.stringify(e.wastedFiles.slice(0, 3))}`);
  assert.is(big!.bytes, BIG);
  assert.ok(e.wastedBytes >= BIG && e.wastedBytes < BIG + 1_000_000, `wasted ${e.wastedBytes}`);
  assert.is(e.devSource, 'lockfile in the image');
  assert.is(e.categories.devDependencies, devBytes);
  assert.is(e.categories['production dependencies'], prodBytes);
  assert.equal(e.caches.find((c) => c.kind === 'npm cache'), { kind: 'npm cache', bytes: CACHE });
  // The slim base has no npm cache of its own: the cache category is what the test left behind (plus any apt leftovers).
  assert.ok(e.categories.caches >= CACHE);
  assert.ok(e.efficiency < 1 - BIG / (e.layerBytes * 2), `efficiency ${e.efficiency}`);
  const waste = e.verdict.find((c) => c.bytes === e.wastedBytes);
  assert.ok(waste, JSON.stringify(e.verdict));
  assert.match(waste!.fix, 'same RUN');
  assert.ok(e.verdict.some((c) => c.fix.includes('npm ci --omit=dev')));
  const layer = e.layers.find((l) => l.instruction.includes('head -c'));
  assert.ok(layer, e.layers.map((l) => l.instruction).join(' | '));
  assert.ok(layer!.bytes >= BIG);
  const sum = COMPOSITION_CATEGORIES.filter((c) => c !== 'wasted').reduce((s, c) => s + e.categories[c], 0);
  assert.is(sum, e.totalBytes);
});

for (const base of BASES) {
  test(`${base}: explained; categories add up; layers carry instructions`, async () => {
    await setup();
    const e = await explainFromEngine(engine, base);
    assert.ok(e.totalBytes > 1_000_000);
    const sum = COMPOSITION_CATEGORIES.filter((c) => c !== 'wasted').reduce((s, c) => s + e.categories[c], 0);
    assert.is(sum, e.totalBytes);
    assert.ok(e.efficiency > 0 && e.efficiency <= 1);
    assert.ok(e.layers.length > 0 && e.layers.every((l) => l.instruction !== ''));
    if (base.includes('distroless')) assert.ok(e.osPackages.length > 0, 'status.d packages read');
  });
}

test.after(async () => {
  await engine?.removeImage(TAG);
  rmSync(work, { recursive: true, force: true });
});

test.run();
