// explain on the shipped scenarios' images, built by the real engine: one `stagebench run --phase scan` over the
// scenarios' single, multi and distroless variants writes composition.csv, whose rows must add up to each image's
// bytes as the engine counts them (less the symlinks' target text, which the engine counts and no category holds);
// then `stagebench explain SCENARIO/VARIANT --format json` on every image must agree with those rows and say what
// the article says of each variant (devDependencies and the toolchain ship in single only).
// By default express-api's three images only: all nine (SCENARIO_IMAGES_ALL=1) took 861 s of a CI run, most of it
// building native-sqlite's and next-app's images again after an earlier test's cold build pruned the cache.
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connectEngine } from '../../../src/engine/connect.ts';
import { readImage } from '../../../src/explain/read-image.ts';
import { readComposition, readSamples } from '../../../src/results/read.ts';
import { COMPOSITION_CATEGORIES, type CompositionCategory, type CompositionRow, type SampleRow } from '../../../src/types.ts';
import { runCli } from '../../support/cli.ts';
import { removeLabelledImages } from '../../support/docker.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

const SCENARIOS = process.env.SCENARIO_IMAGES_ALL ? ['express-api', 'native-sqlite', 'next-app'] : ['express-api'];
const VARIANTS = ['single', 'multi', 'distroless'];
const IMAGES = SCENARIOS.flatMap((s) => VARIANTS.map((v) => `${s}/${v}`));

let samples: SampleRow[] = [];
let composition: CompositionRow[] = [];
let runId = '';

const bytesOf = (image: string): Record<CompositionCategory, number> => {
  const [scenario, variant] = image.split('/');
  const rows = composition.filter((r) => r.scenario === scenario && r.variant === variant);
  return Object.fromEntries(rows.map((r) => [r.category, r.bytes])) as Record<CompositionCategory, number>;
};
const sum = (b: Record<CompositionCategory, number>, categories: readonly CompositionCategory[] = COMPOSITION_CATEGORIES) => categories.reduce((s, c) => s + b[c], 0);

test('a run with the scan phase writes composition.csv: seven rows per image, beside its sample', async () => {
  const out = join(tempDir('explain-scenarios'), 'run');
  const r = await runCli(['run', '--scenario', SCENARIOS.join(','), '--variant', VARIANTS.join(','), '--phase', 'scan', '--iterations', '1', '--warmup', '0', '--keep-images', '--out', out]);
  samples = readSamples(out);
  runId = samples[0]?.run_id ?? '';
  assert.is(r.code, 0, r.stderr.slice(-3000));
  composition = readComposition(out) ?? [];
  for (const image of IMAGES) {
    const [scenario, variant] = image.split('/');
    const row = samples.find((s) => s.scenario === scenario && s.variant === variant);
    assert.ok(row?.ok, `${image}: ${row?.error ?? 'no scan sample'}`);
    const rows = composition.filter((c) => c.scenario === scenario && c.variant === variant);
    assert.equal(rows.map((c) => c.category), [...COMPOSITION_CATEGORIES], image);
  }
  assert.is(composition.length, IMAGES.length * COMPOSITION_CATEGORIES.length);
});

test('each image\'s rows add up to its bytes as the engine counts them, less at most the text of its symlinks', async () => {
  const engine = await connectEngine();
  for (const image of IMAGES) {
    const [scenario, variant] = image.split('/');
    const engineBytes = samples.find((s) => s.scenario === scenario && s.variant === variant)!.image_bytes!;
    // The engine (overlay2) sizes a layer it unpacked itself as the bytes of its regular files (a hard-linked file
    // once) plus each symlink's target text, a layer BuildKit made without the symlinks (seen: express-api single's
    // npm install layer); composition has every file byte of every layer, wasted ones included, and no symlinks.
    const saved = await readImage(engine, `stagebench/${scenario}:${variant}`);
    const symlinkText = saved.layers.reduce((s, l) => s + l.entries.filter((e) => e.type === 'symlink').reduce((t, e) => t + Buffer.byteLength(e.linkname), 0), 0);
    const b = bytesOf(image);
    assert.ok(engineBytes >= sum(b) && engineBytes <= sum(b) + symlinkText, `${image}: ${sum(b)} in composition.csv (+ up to ${symlinkText} of symlinks) vs ${engineBytes} from the engine`);
    console.log(`  ${image}: ${engineBytes} bytes = ${sum(b)} in the seven categories + ${symlinkText} of symlink targets`);
  }
});

test('explain SCENARIO/VARIANT agrees with composition.csv for every image', async () => {
  const r = await runCli(['explain', ...IMAGES, '--format', 'json']);
  assert.is(r.code, 0, r.stderr.slice(-3000));
  const list = JSON.parse(r.stdout) as Array<{ image: string; categories: Record<CompositionCategory, number>; totalBytes: number; layerBytes: number; verdict: unknown[] }>;
  assert.equal(list.map((e) => e.image), IMAGES.map((i) => `stagebench/${i.replace('/', ':')}`));
  list.forEach((e, i) => {
    assert.equal(e.categories, bytesOf(IMAGES[i]), IMAGES[i]);
    assert.is(sum(e.categories, COMPOSITION_CATEGORIES.filter((c) => c !== 'wasted')), e.totalBytes, IMAGES[i]);
    assert.is(sum(e.categories), e.layerBytes, IMAGES[i]);
  });
});

test('what the article says: devDependencies and the toolchain ship in single-stage images only', () => {
  for (const scenario of SCENARIOS) {
    const single = bytesOf(`${scenario}/single`);
    assert.ok(single.devDependencies > 1_000_000, `${scenario}/single devDependencies ${single.devDependencies}`);
    for (const variant of ['multi', 'distroless']) {
      const b = bytesOf(`${scenario}/${variant}`);
      assert.is(b.devDependencies, 0, `${scenario}/${variant} devDependencies`);
      assert.ok(b['production dependencies'] > 0, `${scenario}/${variant} production dependencies`);
      assert.ok(b.app > 0, `${scenario}/${variant} app`);
      assert.ok(sum(b) < sum(single), `${scenario}/${variant} (${sum(b)}) vs single (${sum(single)})`);
    }
    assert.ok(bytesOf(`${scenario}/distroless`).runtime < bytesOf(`${scenario}/single`).runtime, `${scenario}: distroless runtime`);
  }
  // The toolchain: a compiler and its friends in every single-stage image (the full node image), next to none in
  // the runners. The slim runner keeps what its base ships: Node's headers (/usr/local/include/node, 49 MB), npm's
  // node-gyp and perl-base (about 54.6 MB on the offline node:20-slim stand-in), but no compiler.
  for (const scenario of SCENARIOS) {
    const single = bytesOf(`${scenario}/single`).toolchain;
    assert.ok(single > 200_000_000, `${scenario}/single toolchain ${single}`);
    assert.ok(bytesOf(`${scenario}/multi`).toolchain < single / 4, `${scenario}/multi toolchain ${bytesOf(`${scenario}/multi`).toolchain}`);
    assert.is(bytesOf(`${scenario}/distroless`).toolchain, 0, `${scenario}/distroless toolchain`);
  }
});

test('explain A B: the waterfall from single to multi, parts adding up to the change in composition.csv, both sizes', async () => {
  const [a, b] = [`${SCENARIOS[0]}/single`, `${SCENARIOS[0]}/multi`];
  const r = await runCli(['explain', a, b, '--format', 'json']);
  assert.is(r.code, 0, r.stderr.slice(-3000));
  const { waterfall: w } = JSON.parse(r.stdout) as { waterfall: { difference: number; parts: Array<{ part: string; bytes: number }>; uncompressed: { from: number; to: number }; compressed: { from: number; to: number } } };
  assert.is(w.difference, sum(bytesOf(b)) - sum(bytesOf(a)));
  assert.is(w.parts.reduce((n, p) => n + p.bytes, 0), w.difference);
  assert.is(w.parts.find((p) => p.part === 'devDependencies')!.bytes, -bytesOf(a).devDependencies);
  const size = (image: string) => samples.find((s) => `${s.scenario}/${s.variant}` === image)!.image_bytes;
  assert.equal([w.uncompressed.from, w.uncompressed.to], [size(a), size(b)]);
  // gzip of each layer: well under the uncompressed size, and smaller for the smaller image.
  assert.ok(w.compressed.from < w.uncompressed.from * 0.8 && w.compressed.to < w.compressed.from, JSON.stringify(w.compressed));
});

test('text output names the layers, the categories and a verdict', async () => {
  const r = await runCli(['explain', 'express-api/single']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^stagebench\/express-api:single: .* of files, .* in \d+ layers; efficiency \d+\.\d% \(dive's score\)/);
  for (const heading of ['By category:', 'By layer:', 'By top-level folder:', 'Largest files:', 'node_modules:', 'OS packages:', 'Verdict:']) assert.match(r.stdout, heading);
  // The verdict names the three biggest avoidable costs; in express-api single they are the toolchain, the apt lists
  // and the npm cache, ahead of its 65 MB of devDependencies, which the category table shows.
  assert.match(r.stdout, /\n {2}1\. build toolchain [\d.]+ [kMG]B: compile in a builder stage/);
  assert.match(r.stdout, /devDependencies +[\d.]+ [kMG]B +[\d.]+%/);
});

test('cleanup', async () => {
  if (runId) await removeLabelledImages('org.stagebench.run', runId);
  removeTempDirs();
});

test.run();
