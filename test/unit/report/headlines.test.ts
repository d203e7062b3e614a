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

test('a full run says how much smaller and faster each variant is than single-stage, with the figures', () => {
  const lines = headlinesOf(fullRun('express-api'));
  assert.equal(lines.map((h) => h.variant), ['multi', 'distroless']);
  const multi = only(lines, 'multi');
  assert.ok(multi.text.startsWith('express-api, multi-stage: 5.3x smaller than single-stage (142.0 MB vs 751.0 MB)'), multi.text);
  assert.ok(multi.claims.includes('cold build 1.4x faster (14.7 s vs 21.0 s)'), multi.claims.join(' / '));
  assert.ok(multi.claims.includes('starts in 310 ms vs 420 ms'));
  assert.ok(multi.claims.includes('212 fewer npm packages (176 vs 388)'));
  assert.ok(multi.claims.some((c) => /^pushes 7\.6x faster \(2\.5 s vs 18\.8 s; 54\.0 MB vs 285\.4 MB sent\)$/.test(c)), multi.claims.join(' / '));
  assert.ok(multi.claims.includes('2 fewer hygiene findings (1 vs 3)'));
});

test('a variant that is slower or larger is said to be slower or larger', () => {
  const lines = headlinesOf(makeRun([
    m('single', 'build-cold', [10_000, 10_200, 9_900], { image_bytes: 100e6 }),
    m('multi', 'build-cold', [15_000, 15_500, 14_800], { image_bytes: 130e6 }),
  ]));
  const multi = only(lines, 'multi');
  assert.ok(multi.claims.includes('1.3x larger than single-stage (130.0 MB vs 100.0 MB)'), multi.claims.join(' / '));
  assert.ok(multi.claims.includes('cold build 1.5x slower (15.0 s vs 10.0 s)'), multi.claims.join(' / '));
  assert.not.match(multi.text, /faster|smaller/);
});

test('times within a few percent are "about the same", never a speed-up', () => {
  const lines = headlinesOf(makeRun([
    m('single', 'build-cold', [10_000, 10_000, 10_000]),
    m('multi', 'build-cold', [9_800, 9_800, 9_800]),
  ]));
  assert.equal(only(lines, 'multi').claims, ['cold build about the same (9.8 s vs 10.0 s)']);
});

test('a phase missing on either side makes no claim', () => {
  const lines = headlinesOf(makeRun([
    m('single', 'build-cold', [10_000]),
    m('single', 'push-cold', [8_000], { transfer_bytes: 300e6 }),
    m('multi', 'build-cold', [5_000]),
    m('multi', 'run', [300]),
  ]));
  const claims = only(lines, 'multi').claims;
  assert.equal(claims, ['cold build 2.0x faster (5.0 s vs 10.0 s)']);
});

test('a phase whose samples all failed on one side makes no claim; partly failed phases use their ok samples', () => {
  const lines = headlinesOf(makeRun([
    m('single', 'build-cold', [10_000, 'build-cold had 2 cached steps']),
    m('single', 'run', ['smoke request timed out', 'smoke request timed out']),
    m('multi', 'build-cold', [4_000, 4_000]),
    m('multi', 'run', [200, 210]),
  ]));
  const claims = only(lines, 'multi').claims;
  assert.equal(claims, ['cold build 2.5x faster (4.0 s vs 10.0 s)']);
});

test('without a single-stage variant there is nothing to compare with', () => {
  const lines = headlinesOf(makeRun([m('multi', 'build-cold', [4_000]), m('distroless', 'build-cold', [5_000])]));
  assert.equal(lines, []);
});

test('ratios of 1.1 and more read as "N.Nx", smaller changes as percent', () => {
  assert.is(ratioPhrase(100, 530, 'smaller', 'larger'), '5.3x smaller');
  assert.is(ratioPhrase(530, 100, 'smaller', 'larger'), '5.3x larger');
  assert.is(ratioPhrase(95, 100, 'smaller', 'larger'), '5% smaller');
  assert.is(ratioPhrase(99.6, 100, 'smaller', 'larger'), '0.4% smaller');
  assert.is(ratioPhrase(100, 100, 'smaller', 'larger'), undefined);
});

test.after(() => rmSync(work, { recursive: true, force: true }));

test.run();
