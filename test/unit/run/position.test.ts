// The live line's position and time left: what the plan still expects, priced by the run's own samples.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RunPosition } from '../../../src/run/position.ts';

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
    [], () => t, { 'build-cold': 20_000, 'build-warm-src': 3_000 },
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
  // a/single builds cold (a sample); b/single and b/multi each build untimed before their scan: two cold builds' cost.
  assert.is(p.leftMs(), 50_000 + 5_000 + 2 * (50_000 + 5_000));
  t = 50_000;
  p.sampleDone({ scenario: 'a', variant: 'single', phase: 'build-cold' });
  t = 55_000;
  p.sampleDone({ scenario: 'a', variant: 'single', phase: 'scan' });
  // b/single's first build and scan took 95 s: the first build's price, not the scan's (a's 5 s still prices it).
  t = 150_000;
  p.sampleDone({ scenario: 'b', variant: 'single', phase: 'scan' });
  assert.is(p.leftMs(), 95_000 + 5_000);
  assert.is(p.samplesLeft(), 1, 'first builds are not samples');
});

test.run();
