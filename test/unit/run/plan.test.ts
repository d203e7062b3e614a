// The sampling plan: what the default run measures, when adaptive sampling stops, and the estimate of its length.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_ADAPTIVE, MIN_FOR_SIGNIFICANCE, defaultPlan, estimateMs, fixedPlan, selectPlan, stopReason } from '../../../src/run/plan.ts';

test('the significance minimum is the exact Mann-Whitney one: 4 per side at alpha 0.05', () => {
  assert.is(MIN_FOR_SIGNIFICANCE, 4);
});

test('the default plan answers each claim: size and cold build, warm build, push, pull, scan, start-up', () => {
  const phases = defaultPlan().map((p) => p.phase);
  for (const p of ['build-cold', 'build-warm-src', 'push-cold', 'pull-cold', 'scan', 'run'] as const) assert.ok(phases.includes(p), p);
  assert.not.ok(phases.includes('build-warm-deps'));
});

test('adaptive phases never start below the significance minimum, even when --max-samples is lower', () => {
  for (const p of defaultPlan()) if (p.policy.kind === 'adaptive') assert.ok(p.policy.min >= MIN_FOR_SIGNIFICANCE);
  const low = defaultPlan({ ...DEFAULT_ADAPTIVE, maxSamples: 2 }).find((p) => p.phase === 'run')!;
  assert.equal(low.policy, { kind: 'adaptive', min: 2, max: 2, targetRmePct: 5, budgetMs: 60_000 });
});

test('the default plan of 9 variants is estimated under 15 minutes from the measured costs', () => {
  const ms = estimateMs(defaultPlan(), 9);
  assert.ok(ms < 15 * 60_000, `${ms}`);
  assert.ok(estimateMs(fixedPlan(['build-cold', 'build-warm-deps'], 5), 10) > 30 * 60_000);
});

test('--phase narrows the default plan, in the order asked', () => {
  assert.equal(selectPlan(defaultPlan(), ['run', 'build-cold', 'push-warm']).map((p) => p.phase), ['run', 'build-cold']);
});

test('a fixed policy stops at exactly n', () => {
  assert.is(stopReason({ kind: 'fixed', n: 3 }, 2, [1, 1], 0), null);
  assert.is(stopReason({ kind: 'fixed', n: 3 }, 3, [1, 1, 1], 0), 'fixed');
});

test('adaptive: at least min, then target, max or budget, in that order of precedence', () => {
  const p = { kind: 'adaptive', min: 4, max: 6, targetRmePct: 5, budgetMs: 10_000 } as const;
  assert.is(stopReason(p, 3, [100, 100, 100], 99_999), null);
  assert.is(stopReason(p, 4, [100, 101, 100, 99], 0), 'target');
  assert.is(stopReason(p, 4, [100, 200, 50, 300], 0), null);
  assert.is(stopReason(p, 5, [100, 200, 50, 300, 10], 10_000), 'budget');
  assert.is(stopReason(p, 6, [100, 200, 50, 300, 10, 400], 0), 'max');
  // Failed samples count as taken but give no duration: no target from them.
  assert.is(stopReason(p, 4, [100], 0), null);
});

test.run();
