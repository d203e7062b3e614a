// The waterfall from one composition to another: its parts add up exactly to the difference in file bytes for any
// pair, every category lands in one part, and a crafted pair of images (the same base, one with devDependencies and
// an npm cache added) gives exactly those two parts, each naming the layer that added it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explainImage } from '../../../src/explain/explain.ts';
import { PART_CATEGORIES, sideOfExplanation, WATERFALL_PARTS, waterfallOf, type CompositionSide } from '../../../src/explain/waterfall.ts';
import { waterfallCsv, waterfallMarkdown, waterfallText } from '../../../src/explain/waterfall-format.ts';
import type { LayerEntry, LayerIndex } from '../../../src/scan/builtin/layer-index.ts';
import type { HistoryStep, SavedImage } from '../../../src/scan/builtin/saved-image.ts';
import { COMPOSITION_CATEGORIES, type CompositionCategory } from '../../../src/types.ts';

const entry = (path: string, size: number): LayerEntry => ({ path, type: 'file', size, mode: 0o644, linkname: '' });
const layer = (entries: LayerEntry[], whiteouts: string[] = []): LayerIndex => ({ entries, whiteouts, opaqueDirs: [] });
const step = (createdBy: string): HistoryStep => ({ createdBy, emptyLayer: false });

// A small pseudo-random generator, seeded, so a failure is repeatable.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomSide(next: () => number, label: string): CompositionSide {
  const categories = Object.fromEntries(COMPOSITION_CATEGORIES.map((c) => [c, next() < 0.2 ? 0 : Math.floor(next() * 2e9)])) as Record<CompositionCategory, number>;
  return { label, categories };
}

test('every category is in exactly one part', () => {
  const all = WATERFALL_PARTS.flatMap((p) => PART_CATEGORIES[p]);
  assert.equal([...all].sort(), [...COMPOSITION_CATEGORIES].sort());
});

test('for any pair, the parts add up exactly to the difference, and the shares to 1', () => {
  const next = rng(30);
  for (let i = 0; i < 500; i++) {
    const a = randomSide(next, 'a');
    const b = randomSide(next, 'b');
    const w = waterfallOf(a, b);
    const total = (s: CompositionSide) => COMPOSITION_CATEGORIES.reduce((n, c) => n + s.categories[c], 0);
    assert.is(w.difference, total(b) - total(a));
    assert.is(w.parts.reduce((n, p) => n + p.bytes, 0), w.difference, `pair ${i}`);
    if (w.difference !== 0) assert.ok(Math.abs(w.parts.reduce((n, p) => n + (p.share ?? 0), 0) - 1) < 1e-9, `pair ${i} shares`);
    // Reversed, every part changes sign.
    assert.equal(waterfallOf(b, a).parts.map((p) => p.bytes), w.parts.map((p) => -p.bytes || 0));
  }
});

test('the same composition twice: every part 0 and no share', () => {
  const next = rng(7);
  const a = randomSide(next, 'a');
  const w = waterfallOf(a, { ...a, label: 'b' });
  assert.is(w.difference, 0);
  assert.ok(w.parts.every((p) => p.bytes === 0 && p.share === null && p.lines.length === 0));
});

const LOCK = JSON.stringify({
  lockfileVersion: 3,
  packages: { '': {}, 'node_modules/express': {}, 'node_modules/typescript': { dev: true } },
});

function image(layers: LayerIndex[], history: string[]): SavedImage {
  return { config: { user: '', env: [], entrypoint: [], cmd: [], workingDir: '/app' }, layers, history: history.map(step) };
}

const BASE = [
  layer([entry('usr/local/bin/node', 90_000), entry('etc/passwd', 100), entry('usr/bin/gcc-12', 5_000)]),
  layer([entry('app/package.json', 300), entry('app/node_modules/express/index.js', 4_000)]),
  layer([entry('app/dist/server.js', 700)]),
];
const BASE_HISTORY = ['ADD file:rootfs in /', 'RUN /bin/sh -c npm ci --omit=dev # buildkit', 'COPY dist ./dist # buildkit'];

test('a crafted pair: the same base, one with devDependencies and an npm cache added, gives exactly those two parts', () => {
  const lean = explainImage('lean', image(BASE, BASE_HISTORY), { lockfile: LOCK });
  const fat = explainImage('fat', image([
    ...BASE,
    layer([entry('app/node_modules/typescript/lib/tsc.js', 23_000), entry('root/.npm/_cacache/content-v2/sha512/ab/cd', 11_000)]),
  ], [...BASE_HISTORY, 'RUN /bin/sh -c npm install # buildkit']), { lockfile: LOCK });
  const w = waterfallOf(sideOfExplanation('lean', lean), sideOfExplanation('fat', fat));
  assert.is(w.difference, 34_000);
  const changed = w.parts.filter((p) => p.bytes !== 0);
  assert.equal(changed.map((p) => [p.part, p.bytes]), [['devDependencies', 23_000], ['caches', 11_000]]);
  for (const p of changed) assert.equal(p.lines, [{ side: 'to', instruction: 'RUN npm install', bytes: p.bytes }]);
  assert.equal(changed.map((p) => p.share), [23 / 34, 11 / 34]);

  // And back: the same two parts, removed, on the side that held them.
  const back = waterfallOf(sideOfExplanation('fat', fat), sideOfExplanation('lean', lean));
  assert.equal(back.parts.filter((p) => p.bytes !== 0).map((p) => [p.part, p.bytes, p.lines[0].side]), [['devDependencies', -23_000, 'from'], ['caches', -11_000, 'from']]);
});

test('a line both images share cancels out: only the lines whose bytes changed are named, either way', () => {
  const apt = layer([entry('var/lib/apt/lists/mirror_dists_bookworm_InRelease', 9_000)]);
  const a = explainImage('a', image([...BASE, apt, layer([entry('root/.npm/_cacache/index-v5/aa', 4_000)])], [...BASE_HISTORY, 'RUN apt-get update', 'RUN /bin/sh -c npm install # buildkit']), { lockfile: LOCK });
  const b = explainImage('b', image([...BASE, apt, layer([entry('root/.npm/_cacache/index-v5/aa', 1_000)])], [...BASE_HISTORY, 'RUN apt-get update', 'RUN /bin/sh -c npm ci --omit=dev # buildkit']), { lockfile: LOCK });
  const caches = waterfallOf(sideOfExplanation('a', a), sideOfExplanation('b', b)).parts.find((p) => p.part === 'caches')!;
  assert.is(caches.bytes, -3_000);
  assert.equal(caches.lines, [
    { side: 'from', instruction: 'RUN npm install', bytes: 4_000 },
    { side: 'to', instruction: 'RUN npm ci --omit=dev', bytes: 1_000 },
  ]);
});

test('explain\'s per-layer categories add up to its categories, wasted bytes at the layer that wrote them', () => {
  const e = explainImage('t', image([
    ...BASE,
    layer([entry('usr/local/bin/node', 91_000)], ['etc/passwd']),
  ], [...BASE_HISTORY, 'RUN /bin/sh -c upgrade # buildkit']), { lockfile: LOCK });
  for (const c of COMPOSITION_CATEGORIES) assert.is(e.layerCategories.reduce((n, l) => n + l[c], 0), e.categories[c], c);
  assert.is(e.layerCategories[0].wasted, 90_100);
  assert.is(e.layerCategories[3].runtime, 91_000);
  assert.is(e.layerCategories[0].toolchain, 5_000);
});

test('the base swap names the base layers of both sides; outputs carry both sizes, labelled, and every part', () => {
  const full = explainImage('full', image(BASE, BASE_HISTORY), { lockfile: LOCK });
  const slim = explainImage('slim', image([layer([entry('usr/local/bin/node', 90_000), entry('etc/passwd', 100)]), ...BASE.slice(1)], BASE_HISTORY), { lockfile: LOCK });
  const w = waterfallOf(sideOfExplanation('full', full, { imageBytes: 100_500, compressedBytes: 40_000 }), sideOfExplanation('slim', slim, { imageBytes: 95_500, compressedBytes: 38_000 }));
  assert.equal(w.parts.filter((p) => p.bytes !== 0).map((p) => [p.part, p.bytes]), [['toolchain', -5_000]]);
  const text = waterfallText(w);
  assert.match(text, 'uncompressed (docker images)');
  assert.match(text, 'compressed (as pushed)');
  assert.match(text, /toolchain removed +-5\.0 kB +100\.0%/);
  assert.match(text, /− full: ADD file:rootfs in \/ \(5\.0 kB\)/);
  const md = waterfallMarkdown(w);
  for (const p of WATERFALL_PARTS) assert.match(md, `| ${p}`);
  assert.match(md, '| change | -5.0 kB (1.1x smaller) | -2.0 kB (1.1x smaller) |');
  const csv = waterfallCsv([w]).trim().split('\n');
  assert.is(csv[0], 'from,to,part,bytes,share');
  assert.is(csv.length, 1 + WATERFALL_PARTS.length + 1);
  assert.is(csv.at(-1), 'full,slim,total,-5000,1');
});

test.run();
