// The live line's position and time left: what the plan still expects, priced by the run's own samples.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PACE_PRIOR_MS, RunPosition } from '../../../src/run/position.ts';
import { costKey, SHARED_FIRST_BUILD } from '../../../src/run/plan.ts';

const cell = (scenario: string, variant: string, phase: 'build-cold' | 'build-warm-src' | 'scan', expected: number) => ({ scenario, variant, phase, expected });

test('before any sample: the measured costs; the count is what the plan expects', () => {
  let t = 0;
  const p = new RunPosition([cell('a', 'single', 'build-cold', 1), cell('a', 'single', 'build-warm-src', 4)], [], () => t, { 'build-cold': 20_000, 'build-warm-src': 3_000 });
  assert.is(p.samplesLeft(), 5);
  assert.is(p.leftMs(), 32_000);
  t = 5_000;
  assert.is(p.label(), 'sample 1 of 5 · 5.00 s elapsed · about 32.0 s left');
});

test('the run\'s own samples price what is left: per scenario and phase first, then per phase, then the costs at the run\'s pace', () => {
  let t = 0;
  const p = new RunPosition(
    [cell('a', 'single', 'build-cold', 1), cell('a', 'multi', 'build-cold', 1), cell('b', 'single', 'build-cold', 1), cell('b', 'single', 'build-warm-src', 4)],
    [], () => t, { 'build-cold': 20_000, 'build-warm-src': 3_000 }, 0,
  );
  t = 40_000;
  p.sampleDone({ scenario: 'a', variant: 'single', phase: 'build-cold' });
  // a's cold builds take 40 s here: a multi 40 s; b's has no sample of its own yet, so the phase's mean (40 s);
  // build-warm-src has none at all: 3 s at this run's pace (40 s for a 20 s cost: x2), 4 of them.
  assert.is(p.leftMs(), 40_000 + 40_000 + 4 * 6_000);
  t = 50_000;
  p.sampleDone({ scenario: 'a', variant: 'multi', phase: 'build-cold' });
  assert.is(p.leftMs(), 25_000 + 4 * 3_000 * (50_000 / 40_000));
});

test('adaptive samples beyond the minimum do not run the count or the time left below zero', () => {
  let t = 0;
  const p = new RunPosition([cell('a', 'single', 'build-warm-src', 4)], [], () => t, { 'build-warm-src': 3_000 });
  for (let i = 0; i < 7; i++) {
    t += 3_000;
    p.sampleDone({ scenario: 'a', variant: 'single', phase: 'build-warm-src' });
  }
  assert.is(p.samplesLeft(), 0);
  assert.is(p.leftMs(), 0);
  assert.match(p.label(), /^sample 8 of 8 · /, 'the sample in flight is one more than the plan expected');
});

test('a resumed run counts the samples it kept as done', () => {
  const p = new RunPosition([cell('a', 'single', 'build-warm-src', 4)], [{ scenario: 'a', variant: 'single', phase: 'build-warm-src' }], () => 0, { 'build-warm-src': 1_000 });
  assert.is(p.samplesLeft(), 3);
  assert.match(p.label(), /^sample 2 of 4 · /);
});

test('a variant without a cold build in its plan builds its image first, untimed: that build is priced, and kept out of its phase\'s price', () => {
  let t = 0;
  const costs = { 'build-cold': 50_000, scan: 5_000 };
  const p = new RunPosition([cell('a', 'single', 'build-cold', 1), cell('a', 'single', 'scan', 1), cell('b', 'single', 'scan', 1), cell('b', 'multi', 'scan', 1)], [], () => t, costs);
  // a/single builds cold (a sample); b/single builds untimed from nothing before its scan (a cold build's cost),
  // b/multi after it, sharing its cached steps (SHARED_FIRST_BUILD of one).
  assert.is(p.leftMs(), 50_000 + 5_000 + (50_000 + 5_000) + (SHARED_FIRST_BUILD * 50_000 + 5_000));
  t = 50_000;
  p.sampleDone({ scenario: 'a', variant: 'single', phase: 'build-cold' });
  t = 55_000;
  p.sampleDone({ scenario: 'a', variant: 'single', phase: 'scan' });
  // b/single's first build and scan took 95 s: the first build's price, not the scan's (a's 5 s still prices it);
  // b/multi's shares it: a share of those 95 s.
  t = 150_000;
  p.sampleDone({ scenario: 'b', variant: 'single', phase: 'scan' });
  assert.is(p.leftMs(), SHARED_FIRST_BUILD * 95_000 + 5_000);
  assert.is(p.samplesLeft(), 1, 'first builds are not samples');
});

test('shared first builds, once seen, are priced by their own mean', () => {
  let t = 0;
  const p = new RunPosition(['single', 'multi', 'distroless'].map((v) => cell('b', v, 'scan', 1)), [], () => t, { 'build-cold': 60_000, scan: 1_000 }, 0);
  assert.is(p.leftMs(), 61_000 + 2 * (SHARED_FIRST_BUILD * 60_000 + 1_000));
  t = 61_000;
  p.sampleDone({ scenario: 'b', variant: 'single', phase: 'scan' });
  t = 61_000 + 11_000;
  p.sampleDone({ scenario: 'b', variant: 'multi', phase: 'scan' });
  // multi's first build and scan took 11 s: distroless's is priced at that, not at a share of single's 61 s; its
  // scan at the run's pace (72 s for costs of 60 s and a share of 60 s).
  assert.is(p.leftMs(), 11_000 + 1_000 * (72_000 / (60_000 + SHARED_FIRST_BUILD * 60_000)));
});

test('a scenario with its own measured costs is priced by them at the run\'s pace, not by another scenario\'s samples', () => {
  let t = 0;
  // The default run's case: express-api's cheap builds first, then native-sqlite's, five times dearer.
  const costs = { 'build-cold': 50_000, [costKey('cheap', 'build-cold')]: 20_000, [costKey('dear', 'build-cold')]: 100_000 };
  const p = new RunPosition([cell('cheap', 'single', 'build-cold', 1), cell('dear', 'single', 'build-cold', 1), cell('dear', 'multi', 'build-cold', 1), cell('other', 'single', 'build-cold', 1)], [], () => t, costs, 0);
  assert.is(p.leftMs(), 20_000 + 2 * 100_000 + 50_000);
  t = 30_000;
  p.sampleDone({ scenario: 'cheap', variant: 'single', phase: 'build-cold' });
  // Pace x1.5 (30 s for a 20 s cost): dear's two at 150 s, not at cheap's 30 s; other (no cost of its own) at the
  // phase's mean in this run.
  assert.is(p.leftMs(), 2 * 150_000 + 30_000);
  t = 30_000 + 120_000;
  p.sampleDone({ scenario: 'dear', variant: 'single', phase: 'build-cold' });
  assert.is(p.leftMs(), 120_000 + 75_000);
});

test('the measured costs weigh in the pace as PACE_PRIOR_MS of samples: one slow first sample does not double the rest', () => {
  let t = 0;
  const costs = { 'build-cold': 20_000, scan: 10_000, run: 1_000 };
  const cells = [cell('a', 'single', 'build-cold', 1), cell('a', 'single', 'scan', 10), { ...cell('a', 'single', 'scan', 1), phase: 'run' as const }];
  const damped = new RunPosition(cells, [], () => t, costs);
  const raw = new RunPosition(cells, [], () => t, costs, 0);
  t = 40_000;
  for (const p of [damped, raw]) p.sampleDone({ scenario: 'a', variant: 'single', phase: 'build-cold' });
  assert.is(raw.leftMs(), 10 * 20_000 + 2_000, 'without the prior: x2');
  const first = (40_000 + PACE_PRIOR_MS) / (20_000 + PACE_PRIOR_MS);
  assert.is(damped.leftMs(), 10 * 10_000 * first + 1_000 * first);
  assert.ok(first < 1.5, `pace ${first}`);
  // As the run's own samples add up, its pace takes over: run is priced at it.
  for (let i = 0; i < 9; i++) {
    t += 20_000;
    damped.sampleDone({ scenario: 'a', variant: 'single', phase: 'scan' });
  }
  const later = (40_000 + 9 * 20_000 + PACE_PRIOR_MS) / (20_000 + 9 * 10_000 + PACE_PRIOR_MS);
  assert.is(damped.leftMs(), 20_000 + 1_000 * later);
  assert.ok(later > 1.6, `pace ${later}`);
});

test.run();
