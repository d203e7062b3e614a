// The waterfalls of the shipped scenarios' images as measured (docs/savings.md): composition.csv and the engine's
// image sizes of the nine shipped images and the three controls (multi-same-base), from a `stagebench run --phase
// scan` on the offline profile, kept as fixtures. For every pair the report and docs show, the parts add up exactly
// to the change in file bytes, that change is the engine's within the symlinks' text, and the size split multiplies.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { waterfallOf, type CompositionSide } from '../../../src/explain/waterfall.ts';
import { parseCsv } from '../../../src/results/csv.ts';
import { SIZE_CONTROL_VARIANT, sizeSplit } from '../../../src/stats/size-split.ts';
import { COMPOSITION_CATEGORIES, type CompositionCategory } from '../../../src/types.ts';

const fixture = (name: string) => parseCsv(readFileSync(fileURLToPath(new URL(`../../fixtures/explain/${name}`, import.meta.url)), 'utf8')).records;
const composition = fixture('shipped-composition.csv');
const sizes = fixture('shipped-sizes.csv');

const SCENARIOS = ['express-api', 'native-sqlite', 'next-app'];
const VARIANTS = ['single', 'multi', 'distroless', SIZE_CONTROL_VARIANT];
const PAIRS: Array<[string, string]> = [
  ['single', 'multi'], ['single', 'distroless'], ['single', SIZE_CONTROL_VARIANT], [SIZE_CONTROL_VARIANT, 'multi'], [SIZE_CONTROL_VARIANT, 'distroless'],
];

function side(scenario: string, variant: string): CompositionSide {
  const rows = composition.filter((r) => r.scenario === scenario && r.variant === variant);
  assert.equal(rows.map((r) => r.category), [...COMPOSITION_CATEGORIES], `${scenario}/${variant} rows`);
  const size = sizes.find((r) => r.scenario === scenario && r.variant === variant);
  assert.ok(size, `${scenario}/${variant} size`);
  return {
    label: variant,
    categories: Object.fromEntries(rows.map((r) => [r.category, Number(r.bytes)])) as Record<CompositionCategory, number>,
    imageBytes: Number(size!.image_bytes),
  };
}

test('the fixtures hold the twelve images: nine shipped and three controls', () => {
  for (const s of SCENARIOS) for (const v of VARIANTS) side(s, v);
  assert.is(composition.length, SCENARIOS.length * VARIANTS.length * COMPOSITION_CATEGORIES.length);
});

test('for each pair, the parts add up exactly to the change in file bytes, within 100 kB of the engine\'s', () => {
  for (const s of SCENARIOS) {
    for (const [a, b] of PAIRS) {
      const w = waterfallOf(side(s, a), side(s, b));
      assert.is(w.parts.reduce((n, p) => n + p.bytes, 0), w.difference, `${s} ${a} -> ${b}`);
      const engine = w.uncompressed.to! - w.uncompressed.from!;
      assert.ok(Math.abs(engine - w.difference) < 100_000, `${s} ${a} -> ${b}: engine ${engine}, file bytes ${w.difference}`);
    }
  }
});

test('the control isolates the stages: same base, so no runtime change and the base\'s toolchain kept; the factors multiply', () => {
  for (const s of SCENARIOS) {
    const stages = waterfallOf(side(s, 'single'), side(s, SIZE_CONTROL_VARIANT));
    assert.is(stages.parts.find((p) => p.part === 'base image')!.bytes, 0, `${s} runtime`);
    // The base's toolchain stays; only a node-gyp the app installed itself goes with the pruned node_modules
    // (native-sqlite: 394,744 bytes).
    const toolchain = stages.parts.find((p) => p.part === 'toolchain')!.bytes;
    assert.ok(toolchain <= 0 && toolchain > -1_000_000, `${s} toolchain ${toolchain}`);
    assert.is(stages.parts.find((p) => p.part === 'devDependencies')!.bytes, -side(s, 'single').categories.devDependencies, `${s} devDependencies`);
    for (const t of ['multi', 'distroless']) {
      const split = sizeSplit(side(s, 'single').imageBytes, side(s, SIZE_CONTROL_VARIANT).imageBytes, side(s, t).imageBytes)!;
      assert.ok(Math.abs(split.total - split.stages * split.base) < 1e-9, `${s} ${t}`);
    }
  }
});

test.run();
