// The sampling plan: what the default run measures, when adaptive sampling stops, and the estimate of its length.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_ADAPTIVE, MIN_FOR_SIGNIFICANCE, cellPhases, costKey, defaultPlan, describePlan, estimateMs, fixedPlan, planCells, selectPlan, SIZE_CONTROL_VARIANT, stopReason, stopText } from '../../../src/run/plan.ts';

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
  assert.equal(low.policy, { kind: 'adaptive', min: 2, max: 2, targetRmePct: 5, budgetMs: 20_000 });
});

const three = ['single', 'multi', 'distroless'];
const scenarios = [
  { name: 'alpha', variants: three, chosen: three },
  { name: 'beta', variants: [...three, 'single-bad-order'], chosen: three },
  { name: 'gamma', variants: [...three, 'single-bad-order'], chosen: three },
];
const phasesOf = (cells: ReturnType<typeof planCells>) =>
  Object.fromEntries(cells.flatMap((s) => s.cells.map((c) => [`${s.scenario}/${c.variant}`, cellPhases(c.entries).join(',')])));

test('the default plan of 9 variants, with its two pairs and the three size controls, is estimated under 15 minutes from the measured costs', () => {
  // The shipped scenarios, priced by their own measured costs (preparation included).
  const shipped = [
    { name: 'express-api', variants: [...three, 'single-bad-order', SIZE_CONTROL_VARIANT], chosen: three },
    { name: 'native-sqlite', variants: [...three, SIZE_CONTROL_VARIANT], chosen: three },
    { name: 'next-app', variants: [...three, SIZE_CONTROL_VARIANT], chosen: three },
  ];
  const cells = planCells(defaultPlan(), shipped, []).flatMap((s) => s.cells.map((c) => ({ scenario: s.scenario, entries: c.entries })));
  assert.is(cells.length, 13, 'nine variants, single-bad-order once and a control per scenario');
  const ms = estimateMs(cells);
  assert.ok(ms < 15 * 60_000, `${ms}`);
  assert.ok(estimateMs(Array.from({ length: 10 }, () => ({ scenario: 'alpha', entries: fixedPlan(['build-cold', 'build-warm-deps'], 5) }))) > 30 * 60_000);
});

test('the estimate prices a scenario by its own costs where the table has them, else by the phase\'s', () => {
  const entries = fixedPlan(['build-cold'], 2);
  const costs = { 'build-cold': 10_000, [costKey('slow', 'build-cold')]: 90_000 };
  assert.is(estimateMs([{ scenario: 'slow', entries }], costs), 180_000);
  assert.is(estimateMs([{ scenario: 'other', entries }], costs), 20_000);
  // The shipped scenarios' own measured costs: native-sqlite's cold build costs more than express-api's.
  assert.ok(estimateMs([{ scenario: 'native-sqlite', entries }]) > 3 * estimateMs([{ scenario: 'express-api', entries }]));
});

test('costly timings on the first scenario, sizes, scans and start-up everywhere, the others\' first image a cold build, the layer-order pair once', () => {
  const got = phasesOf(planCells(defaultPlan(), scenarios, []));
  const first = 'build-cold,build-warm,build-warm-src,push-cold,pull-cold,scan,run';
  const rest = 'build-warm,scan,run';
  assert.equal(got, {
    'alpha/single': first,
    'alpha/multi': first,
    'alpha/distroless': first,
    'beta/single': `build-cold,${rest}`,
    'beta/multi': rest,
    'beta/distroless': rest,
    // Added for its one entry, after the scenario's other variants as scenario.json orders them.
    'beta/single-bad-order': 'build-warm-src',
    'gamma/single': `build-cold,${rest}`,
    'gamma/multi': rest,
    'gamma/distroless': rest,
  });
});

test('the size control is scanned, and only scanned, in every scenario that has it; --variant can leave it out', () => {
  const withControl = scenarios.map((s) => ({ ...s, variants: s.name === 'alpha' ? s.variants : [...s.variants, SIZE_CONTROL_VARIANT] }));
  const got = phasesOf(planCells(defaultPlan(), withControl, []));
  assert.is(got[`alpha/${SIZE_CONTROL_VARIANT}`], undefined);
  assert.is(got[`beta/${SIZE_CONTROL_VARIANT}`], 'scan');
  assert.is(got[`gamma/${SIZE_CONTROL_VARIANT}`], 'scan');
  assert.is(phasesOf(planCells(defaultPlan(), withControl, ['multi']))[`beta/${SIZE_CONTROL_VARIANT}`], undefined);
  assert.match(describePlan(defaultPlan()).join('\n'), `scan                   1 sample [${SIZE_CONTROL_VARIANT}, every scenario that has it]`);
});

test('a firstVariant entry goes to each scenario\'s first chosen variant, in plan order, unless it measures the phase already', () => {
  const plan = defaultPlan();
  const multiFirst = planCells(plan, scenarios.map((s) => ({ ...s, chosen: ['multi', 'distroless'] })), ['multi', 'distroless']);
  assert.equal(phasesOf(multiFirst)['beta/multi'], 'build-cold,build-warm,scan,run');
  assert.equal(phasesOf(multiFirst)['beta/distroless'], 'build-warm,scan,run');
  const alphaSingle = multiFirst[0].cells[0].entries.filter((e) => e.phase === 'build-cold');
  assert.equal(alphaSingle.map((e) => (e.once ? 'once' : 'first')), ['once'], 'the first scenario\'s own cold build, not a second entry');
  assert.equal(phasesOf(planCells(plan.filter((e) => e.phase === 'scan' || e.firstVariant), scenarios, []))['gamma/single'], 'build-cold,scan');
});

test('a pair entry for a variant no scenario has goes nowhere; one that --variant leaves out neither', () => {
  const pair = [{ phase: 'build-context-ignored', only: 'single', policy: { kind: 'fixed', n: 4 }, why: '' }] as const;
  assert.equal(phasesOf(planCells([...pair], scenarios.map((s) => ({ ...s, chosen: ['multi'] })), ['multi'])), {});
  assert.equal(phasesOf(planCells([...pair], scenarios.map((s) => ({ ...s, chosen: ['single'] })), ['single'])), { 'alpha/single': 'build-context-ignored' });
  assert.equal(phasesOf(planCells([{ ...pair[0], only: 'chiselled' }], scenarios, [])), {});
});

test('--variant: `once` goes to the first scenario with a chosen variant; a named pair variant measures every phase asked', () => {
  const src = selectPlan(defaultPlan(), ['build-warm-src']);
  assert.equal(phasesOf(planCells(src, scenarios.map((s) => ({ ...s, chosen: ['multi'] })), ['multi'])), { 'alpha/multi': 'build-warm-src' });
  const bad = planCells(src, scenarios.map((s) => ({ ...s, chosen: s.variants.includes('single-bad-order') ? ['single-bad-order'] : [] })), ['single-bad-order']);
  assert.equal(phasesOf(bad), { 'beta/single-bad-order': 'build-warm-src' });
  assert.equal(bad[1].cells[0].entries.map((e) => e.only ?? 'every'), ['every'], 'the general entry, not the pair entry too');
});

test('--phase narrows the default plan, in the order asked, each phase once', () => {
  assert.equal(selectPlan(defaultPlan(), ['run', 'build-cold', 'push-warm']).map((p) => `${p.phase}${p.once ? ' once' : p.firstVariant ? ' first' : ''}`), ['run', 'build-cold once', 'build-cold first']);
  assert.equal(selectPlan(defaultPlan(), ['build-warm-src', 'build-warm-src']).map((p) => p.only ?? 'every'), ['every', 'single-bad-order']);
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

test('the screen says why an adaptive phase stopped, after how many samples, at what margin of error', () => {
  const p = { kind: 'adaptive', min: 4, max: 10, targetRmePct: 5, budgetMs: 60_000 } as const;
  assert.is(stopText('target', p, 4, [100, 101, 100, 99]), 'stopped after 4 samples: margin of error 1.3%, under the target of 5%');
  assert.match(stopText('max', p, 10, [100, 120, 90, 110, 100, 95, 105, 115, 85, 100]), /^stopped at the maximum of 10 samples: margin of error \d+\.\d% \(target 5%\)$/);
  assert.match(stopText('budget', p, 5, [100, 200, 50, 300, 10]), /^stopped by the 60 s budget after 5 samples: margin of error \d+\.\d% \(target 5%\)$/);
  assert.is(stopText('build failed', p, 1, []), 'stopped after 1 sample: the build failed');
  assert.is(stopText('budget', p, 1, [100]), 'stopped by the 60 s budget after 1 sample: no margin of error (fewer than 2 samples ok) (target 5%)');
});

test.run();
