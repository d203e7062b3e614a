import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { collectFacts } from '../../../src/report/facts.ts';
import { headlines, ratioPhrase, type Headline } from '../../../src/report/headlines.ts';
import { loadRunData } from '../../../src/report/run-data.ts';
import { fullRun, makeRun, writeRunFolder, type Measure, type RunFiles } from './run-folder.ts';

const work = mkdtempSync(join(tmpdir(), 'stagebench-headlines-'));
let runs = 0;

function headlinesOf(run: RunFiles): Headline[] {
  const dir = writeRunFolder(join(work, `run-${runs++}`), run);
  return headlines(collectFacts(loadRunData(dir)));
}

function only(lines: Headline[], variant: string): Headline {
  const found = lines.filter((h) => h.variant === variant);
  assert.is(found.length, 1, `one headline for ${variant}: ${JSON.stringify(lines)}`);
  return found[0];
}

const m = (variant: string, phase: Measure['phase'], samples: Measure['samples'], extra: Partial<Measure> = {}): Measure =>
  ({ scenario: 'app', variant, phase, samples, ...extra });

test('one sentence per variant: the size, then at most two timings that are significant, with their p-value', () => {
  const lines = headlinesOf(fullRun('express-api'));
  assert.equal(lines.map((h) => h.variant), ['multi', 'distroless']);
  const multi = only(lines, 'multi');
  // Three samples a side cannot reach p < 0.05: no timing is claimed, however large the difference looks.
  assert.is(multi.text, 'express-api, multi-stage: 5.3x smaller (142.0 MB vs 751.0 MB).');
});

test('significant timings are named with their p-value; the sentence stays one sentence', () => {
  const five = (ms: number) => [ms, ms * 1.01, ms * 1.02, ms * 0.99, ms * 0.98];
  const lines = headlinesOf(makeRun([
    m('single', 'build-cold', five(10_000), { image_bytes: 1e9 }),
    m('single', 'push-cold', five(30_000)),
    m('single', 'pull-cold', five(12_000)),
    m('single', 'run', five(300)),
    m('multi', 'build-cold', five(15_000), { image_bytes: 300e6 }),
    m('multi', 'push-cold', five(7_000)),
    m('multi', 'pull-cold', five(4_000)),
    m('multi', 'run', five(300)),
  ]));
  const multi = only(lines, 'multi');
  assert.equal(multi.claims, ['3.3x smaller (300.0 MB vs 1.00 GB)', 'pushes 4.3x faster (p = 0.008)', 'pulls 3.0x faster (p = 0.008)']);
  assert.is(multi.text.split('. ').length, 1);
  assert.ok(multi.text.endsWith('.'));
});

test('a larger variant is said to be larger, and a significantly slower one slower', () => {
  const five = (ms: number) => [ms, ms * 1.01, ms * 1.02, ms * 0.99, ms * 0.98];
  const lines = headlinesOf(makeRun([
    m('single', 'build-cold', five(10_000), { image_bytes: 100e6 }),
    m('multi', 'build-cold', five(15_000), { image_bytes: 130e6 }),
  ]));
  assert.equal(only(lines, 'multi').claims, ['1.3x larger (130.0 MB vs 100.0 MB)', 'cold build 1.5x slower (p = 0.008)']);
});

test('a phase missing or failed on either side makes no claim', () => {
  const lines = headlinesOf(makeRun([
    m('single', 'build-cold', [10_000, 'build-cold had 2 cached steps'], { image_bytes: 100e6 }),
    m('single', 'run', ['smoke request timed out']),
    m('multi', 'build-cold', [4_000, 4_000], { image_bytes: 50e6 }),
    m('multi', 'run', [200, 210]),
  ]));
  assert.equal(only(lines, 'multi').claims, ['2.0x smaller (50.0 MB vs 100.0 MB)']);
});

test('without a single-stage variant there is nothing to compare with', () => {
  const lines = headlinesOf(makeRun([m('multi', 'build-cold', [4_000]), m('distroless', 'build-cold', [5_000])]));
  assert.equal(lines, []);
});

test('ratios of 1.1 and more read as "N.Nx", smaller changes as percent', () => {
  assert.is(ratioPhrase(100, 530, 'smaller', 'larger'), '5.3x smaller');
  assert.is(ratioPhrase(530, 100, 'smaller', 'larger'), '5.3x larger');
  assert.is(ratioPhrase(95, 100, 'smaller', 'larger'), '5.0% smaller');
  assert.is(ratioPhrase(99.6, 100, 'smaller', 'larger'), '0.4% smaller');
  assert.is(ratioPhrase(100, 100, 'smaller', 'larger'), undefined);
});

test('a scenario whose scenario.json names another reference is compared with it (run.json records it)', () => {
  const run = makeRun([
    m('single', 'build-cold', [10_000], { image_bytes: 400e6 }),
    m('multi', 'build-cold', [4_000], { image_bytes: 100e6 }),
    m('distroless', 'build-cold', [5_000], { image_bytes: 50e6 }),
  ]);
  run.info = { ...run.info!, references: { app: 'multi' } };
  const lines = headlinesOf(run);
  assert.equal(lines.map((h) => h.variant), ['single', 'distroless']);
  assert.equal(only(lines, 'distroless').claims, ['2.0x smaller (50.0 MB vs 100.0 MB)']);
  assert.equal(only(lines, 'single').claims, ['4.0x larger (400.0 MB vs 100.0 MB)']);
});

test.after(() => rmSync(work, { recursive: true, force: true }));

test.run();
