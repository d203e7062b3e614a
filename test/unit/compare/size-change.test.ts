// Size on a pull request: compare's table and markdown (the action's job summary) show each variant's size before
// and after, uncompressed and compressed, and, when the size moved and both runs have composition.csv, the
// waterfall of the change (which category grew, by how much); an unmoved variant has no waterfall.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sizeChangeMarkdown, sizeChanges } from '../../../src/compare/size-change.ts';
import { csvDocument } from '../../../src/results/csv.ts';
import { COMPOSITION_CATEGORIES, COMPOSITION_COLUMNS, type CompositionRow } from '../../../src/types.ts';
import { cli } from './cli.ts';
import { sampleRow, tempDir, writeRunFolder } from './fixtures.ts';

const MB = 1_000_000;

function composition(variant: string, bytes: number[]): CompositionRow[] {
  return COMPOSITION_CATEGORIES.map((category, i) => ({ scenario: 'express-api', variant, category, bytes: bytes[i] }));
}
// runtime, production dependencies, devDependencies, toolchain, caches, app, wasted
const BEFORE = [...composition('multi', [70 * MB, 60 * MB, 0, 0, 7 * MB, 5 * MB, 0]), ...composition('distroless', [50 * MB, 60 * MB, 0, 0, 0, 5 * MB, 0])];
// multi now ships a devDependency (12 MB) and 3 MB more of npm cache; distroless is unchanged.
const AFTER = [...composition('multi', [70 * MB, 60 * MB, 12 * MB, 0, 10 * MB, 5 * MB, 0]), ...composition('distroless', [50 * MB, 60 * MB, 0, 0, 0, 5 * MB, 0])];

const samples = (multiBytes: number, multiCompressed: number, runId: string) => [
  sampleRow({ run_id: runId, variant: 'multi', phase: 'push-cold', image_bytes: multiBytes, compressed_bytes: multiCompressed }),
  sampleRow({ run_id: runId, variant: 'distroless', phase: 'push-cold', image_bytes: 115 * MB, compressed_bytes: 40 * MB, image: 'stagebench/express-api:distroless' }),
];

test('per variant: both sizes before and after; the waterfall of a moved size names the categories that grew', () => {
  const list = sizeChanges({ samples: samples(142 * MB, 50 * MB, 'a'), composition: BEFORE }, { samples: samples(157 * MB, 55 * MB, 'b'), composition: AFTER });
  assert.equal(list.map((r) => [r.variant, r.moved]), [['multi', true], ['distroless', false]]);
  const multi = list[0];
  assert.equal(multi.uncompressed, { baseline: 142 * MB, current: 157 * MB });
  assert.equal(multi.compressed, { baseline: 50 * MB, current: 55 * MB });
  assert.equal(multi.waterfall!.parts.filter((p) => p.bytes !== 0).map((p) => [p.part, p.bytes]), [['devDependencies', 12 * MB], ['caches', 3 * MB]]);
  assert.is(multi.waterfall!.parts.reduce((n, p) => n + p.bytes, 0), multi.waterfall!.difference);
  assert.is(list[1].waterfall, undefined);
  const md = sizeChangeMarkdown(list);
  assert.match(md, '| express-api | multi | 142.0 MB | 157.0 MB | +15.0 MB (+10.6%) | 50.0 MB | 55.0 MB | +5.0 MB (+10.0%) |');
  assert.match(md, '| express-api | distroless | 115.0 MB | 115.0 MB | same | 40.0 MB | 40.0 MB | same |');
  assert.match(md, "Where express-api multi's size change comes from");
  assert.match(md, '| devDependencies added | +12.0 MB | 80.0% |');
});

test('a moved size without composition.csv on both sides: the table, and a line saying why there is no waterfall', () => {
  const list = sizeChanges({ samples: samples(142 * MB, 50 * MB, 'a') }, { samples: samples(157 * MB, 55 * MB, 'b'), composition: AFTER });
  assert.is(list[0].waterfall, undefined);
  assert.match(sizeChangeMarkdown(list), 'No waterfall for express-api multi: both runs need composition.csv');
});

test('compare --format md (the action\'s job summary) carries the section; csv and json stay the contract\'s rows', () => {
  const root = tempDir();
  const a = writeRunFolder(join(root, 'a'), samples(142 * MB, 50 * MB, 'run-a'));
  const b = writeRunFolder(join(root, 'b'), samples(157 * MB, 55 * MB, 'run-b'));
  writeFileSync(join(a, 'composition.csv'), csvDocument(COMPOSITION_COLUMNS, BEFORE));
  writeFileSync(join(b, 'composition.csv'), csvDocument(COMPOSITION_COLUMNS, AFTER));
  const md = cli(['compare', a, b, '--format', 'md']);
  assert.match(md.stdout, '**Image size per variant**');
  assert.match(md.stdout, '| devDependencies added | +12.0 MB |');
  const table = cli(['compare', a, b]);
  assert.match(table.stdout, 'Image size per variant:');
  assert.match(table.stdout, /devDependencies +\+12\.0 MB +80\.0%/);
  assert.not.match(cli(['compare', a, b, '--format', 'csv']).stdout, 'Image size per variant');
});

test.run();
