// The sampling plan: which phases each variant measures and how many samples each takes (fixed, or adaptive until
// the numbers are stable), the estimate of how long that takes, and why a phase's sampling stopped. Pure.
import { minSamplesPerSide } from '../stats/mann-whitney.ts';
import { medianInterval } from '../stats/median-interval.ts';
import { median } from '../stats/quantile.ts';
import { SIZE_CONTROL_VARIANT } from '../stats/size-split.ts';
import type { PhaseName } from '../types.ts';

/** Exactly n samples, or: at least min, then more until the margin of error is under target, or max, or the budget. */
export type SamplePolicy =
  | { kind: 'fixed'; n: number }
  | { kind: 'adaptive'; min: number; max: number; targetRmePct: number; budgetMs: number };

export interface PhasePlan {
  phase: PhaseName;
  policy: SamplePolicy;
  /** Why this phase is in the plan and sampled this way: printed with the plan. */
  why: string;
  /**
   * Only for this variant, and only in the first scenario (in run order) that has it: a pair the default run measures
   * once to answer one claim (layer order, .dockerignore), where every scenario would add minutes and no answer.
   */
  only?: string;
  /** With `only`: in every scenario that has the variant, not the first one only (a figure that differs by app). */
  everyScenario?: boolean;
  /** Only in the first scenario (in run order): a figure one scenario answers, too costly to repeat for every one. */
  once?: boolean;
  /**
   * Only for each scenario's first variant (in run order), where that variant does not measure the phase already: a
   * build every scenario makes anyway, timed.
   */
  firstVariant?: boolean;
}

export type StopReason = 'fixed' | 'target' | 'max' | 'budget';

/** The variants the default run measures: the three the article compares. */
export const DEFAULT_VARIANTS = ['single', 'multi', 'distroless'] as const;

/** The default run scans the size control in every scenario that has it (image size and composition), nothing else. */
export { SIZE_CONTROL_VARIANT };

/** Fewest samples per side for Mann-Whitney to be able to say "slower" at alpha 0.05 (2/C(8,4) = 0.029 at 4). */
export const MIN_FOR_SIGNIFICANCE = minSamplesPerSide(0.05) ?? 4;

/**
 * Wall-clock milliseconds per sample, its preparation included: per phase, and per phase of each shipped scenario
 * (key `scenario\u0000phase`), measured on this machine (docs/measurements.md, "Costs behind the estimate", says
 * which run and how). The estimate before a run has samples of its own, and the live line's price for what it has
 * not seen yet, where earlier runs in results/ measured nothing (their figures replace these).
 */
const PHASE_COST_MS: Readonly<Record<string, number>> = {
  'build-cold': 55_100, 'build-warm': 450, 'build-warm-src': 9_000, 'build-warm-deps': 49_200, 'push-cold': 16_300,
  'push-warm': 10_600, 'pull-cold': 16_300, 'pull-warm': 13_100, scan: 8_300, run: 1_000, 'build-context-ignored': 13_800,
  'build-context-full': 36_300, 'build-ci': 20_100, 'build-ci-src': 43_000,
};
const SCENARIO_COST_MS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  'express-api': {
    'build-cold': 25_400, 'build-warm-deps': 19_800, 'build-warm-src': 6_400, 'build-ci': 19_300, 'build-ci-src': 20_900,
    'build-context-ignored': 10_800, 'build-context-full': 28_700, 'push-cold': 16_500, 'pull-cold': 18_100, scan: 9_700,
  },
  'native-sqlite': {
    'build-cold': 93_600, 'build-warm-deps': 85_200, 'build-warm-src': 4_100, 'build-ci': 19_000, 'build-ci-src': 67_900,
    'build-context-ignored': 8_500, 'build-context-full': 23_000, 'push-cold': 15_500, 'pull-cold': 13_500, scan: 6_500,
  },
  'next-app': {
    'build-cold': 46_400, 'build-warm-deps': 42_600, 'build-warm-src': 16_600, 'build-ci': 22_000, 'build-ci-src': 40_200,
    'build-context-ignored': 22_300, 'build-context-full': 57_300, 'push-cold': 16_900, 'pull-cold': 17_200, scan: 8_700,
  },
};

/** The key of a scenario's own cost of a phase in a cost table (beside the phase's own key, for any scenario). */
export function costKey(scenario: string, phase: string): string {
  return `${scenario}\u0000${phase}`;
}

export const MEASURED_COST_MS: Readonly<Record<string, number>> = {
  ...PHASE_COST_MS,
  ...Object.fromEntries(Object.entries(SCENARIO_COST_MS).flatMap(([s, costs]) => Object.entries(costs).map(([p, ms]) => [costKey(s, p), ms]))),
};

/**
 * What an untimed first build costs, as a share of a cold build, when the scenario's images were already built once
 * in the run: the variants share the base image and their identical first steps (the install steps of the same
 * lockfile), served from the build cache. The mean of two default runs (docs/measurements.md, "Costs behind the
 * estimate").
 */
export const SHARED_FIRST_BUILD = 0.45;

/** A sample's cost: the scenario's own figure, else the phase's, else a second. */
export function costOf(costs: Readonly<Record<string, number>>, scenario: string, phase: string): number {
  return costs[costKey(scenario, phase)] ?? costs[phase] ?? 1000;
}

/** Adaptive policy of the default run; the options --target-rme, --max-samples and --phase-budget change it. */
export interface AdaptiveSettings {
  targetRmePct: number;
  maxSamples: number;
  budgetMs: number;
}
export const DEFAULT_ADAPTIVE: AdaptiveSettings = { targetRmePct: 5, maxSamples: 10, budgetMs: 20_000 };

/**
 * The default run: every claim of the article answered once, within 15 minutes on 2 cores. Measuring every phase
 * below for all nine variants took far longer, native-sqlite's cold builds and next-app's source rebuilds most of it
 * (docs/measurements.md, "The default run"). So: sizes, scans and start-up for every variant (the figures that
 * differ by scenario); the costly timings (cold build, source rebuild, push, pull) on the first scenario only
 * (`once`): the other scenarios' images are built sharing the build cache, untimed but for each one's first variant,
 * whose build from nothing is taken as a cold build (`firstVariant`: it happens anyway, and untimed it showed
 * nothing for its minutes). Two claims need a pair of builds: layer order
 * (single-bad-order's source rebuild against single's) on the first scenario that has that variant. The .dockerignore
 * pair, build-warm-deps, push-warm, pull-warm, build-ci and build-ci-src stay in --full and --phase.
 */
export function defaultPlan(a: AdaptiveSettings = DEFAULT_ADAPTIVE): PhasePlan[] {
  const adaptive = (maxCap: number): SamplePolicy => ({
    kind: 'adaptive', min: Math.min(MIN_FOR_SIGNIFICANCE, a.maxSamples), max: Math.max(Math.min(a.maxSamples, maxCap), Math.min(MIN_FOR_SIGNIFICANCE, a.maxSamples)),
    targetRmePct: a.targetRmePct, budgetMs: a.budgetMs,
  });
  return [
    { phase: 'build-cold', once: true, policy: { kind: 'fixed', n: 1 }, why: 'the cold build time (15-20 s a sample for express-api, 40-100 s for the others)' },
    {
      phase: 'build-cold', firstVariant: true, policy: { kind: 'fixed', n: 1 },
      why: "the other scenarios' first image, built from nothing anyway: their cold build time",
    },
    { phase: 'build-warm', policy: adaptive(a.maxSamples), why: 'image size and layers; nothing changed: the cache at work' },
    { phase: 'build-warm-src', once: true, policy: adaptive(a.maxSamples), why: 'the warm rebuild after a source change, compared across variants' },
    { phase: 'push-cold', once: true, policy: { kind: 'fixed', n: 1 }, why: 'bytes and time to push the image once' },
    { phase: 'pull-cold', once: true, policy: { kind: 'fixed', n: 1 }, why: 'bytes and time to pull it on an empty engine' },
    { phase: 'scan', policy: { kind: 'fixed', n: 1 }, why: 'vulnerability and package counts (the same every sample)' },
    { phase: 'run', policy: adaptive(a.maxSamples), why: 'start-up time to the first answer' },
    {
      phase: 'build-warm-src', only: 'single-bad-order', policy: adaptive(a.maxSamples),
      why: "layer order: the source change rebuilt with the sources copied before the install, against single's",
    },
    {
      phase: 'scan', only: SIZE_CONTROL_VARIANT, everyScenario: true, policy: { kind: 'fixed', n: 1 },
      why: 'the size split: image size and composition of multi-stage on single\'s base (stages alone against base swap)',
    },
  ];
}

/** Per scenario: the variants it measures and the plan entries of each, in the plan's order. */
export interface ScenarioCells {
  scenario: string;
  cells: { variant: string; entries: PhasePlan[] }[];
}

/**
 * Which variant of which scenario measures which plan entries. Every chosen variant takes the entries for every
 * variant (those marked `once` in the first scenario only); a `firstVariant` entry goes to each scenario's first
 * chosen variant that has no entry of its phase yet; an entry for one variant (`only`) goes to the first
 * scenario that has that variant, when --variant did not
 * leave it out (`named`: the variants --variant named, empty when none), adding the variant with that entry alone
 * if it was not chosen. A variant left with no entry is dropped. Pure.
 */
export function planCells(
  plan: readonly PhasePlan[],
  scenarios: readonly { name: string; variants: readonly string[]; chosen: readonly string[] }[],
  named: readonly string[],
): ScenarioCells[] {
  const general = plan.filter((e) => e.only === undefined && !e.firstVariant);
  const first = scenarios.find((s) => s.chosen.length > 0)?.name;
  const claimed = new Set<PhasePlan>();
  return scenarios.map(({ name, variants, chosen }) => {
    const mine = general.filter((e) => !e.once || name === first);
    const cells = chosen.map((variant) => ({ variant, entries: [...mine] }));
    const lead = cells[0];
    for (const e of plan) {
      if (!e.firstVariant || !lead || lead.entries.some((x) => x.phase === e.phase)) continue;
      lead.entries = withEntry(plan, lead.entries, e);
    }
    for (const e of plan) {
      if (e.only === undefined || claimed.has(e) || !variants.includes(e.only)) continue;
      if (named.length > 0 && !named.includes(e.only)) continue;
      if (!e.everyScenario) claimed.add(e);
      let cell = cells.find((c) => c.variant === e.only);
      if (!cell) {
        cell = { variant: e.only, entries: [] };
        // In the scenario's own variant order.
        const at = variants.indexOf(e.only);
        const before = cells.findIndex((c) => variants.indexOf(c.variant) > at);
        cells.splice(before === -1 ? cells.length : before, 0, cell);
      }
      // A variant chosen in its own right already measures the phase, with the general entry.
      if (cell.entries.some((x) => x.phase === e.phase)) continue;
      cell.entries = withEntry(plan, cell.entries, e);
    }
    return { scenario: name, cells: cells.filter((c) => c.entries.length > 0) };
  });
}

/** A cell's entries with `e` added, in plan order. */
function withEntry(plan: readonly PhasePlan[], entries: readonly PhasePlan[], e: PhasePlan): PhasePlan[] {
  return plan.filter((x) => x === e || entries.includes(x));
}

/** The phases a cell measures, in plan order, each once. */
export function cellPhases(entries: readonly PhasePlan[]): PhaseName[] {
  return [...new Set(entries.map((e) => e.phase))];
}

/** --full or --iterations N: every phase asked, exactly n samples each. */
export function fixedPlan(phases: readonly PhaseName[], n: number): PhasePlan[] {
  return phases.map((phase) => ({ phase, policy: { kind: 'fixed', n }, why: `${n} sample(s), as asked` }));
}

/** The default plan limited to the phases asked (--phase), in the order asked. */
export function selectPlan(plan: readonly PhasePlan[], phases: readonly PhaseName[]): PhasePlan[] {
  return [...new Set(phases)].flatMap((p) => plan.filter((x) => x.phase === p));
}

/** Samples a policy takes at least and at most. */
export function sampleRange(p: SamplePolicy): [number, number] {
  return p.kind === 'fixed' ? [p.n, p.n] : [p.min, p.max];
}

/**
 * Whether a phase's sampling stops after the durations so far (ok samples' ms; failed ones count as taken), and
 * why: null means take another sample.
 */
export function stopReason(p: SamplePolicy, taken: number, okDurations: readonly number[], elapsedMs: number): StopReason | null {
  if (p.kind === 'fixed') return taken >= p.n ? 'fixed' : null;
  if (taken < p.min) return null;
  // The median's distribution-free 95% interval (it exists from 6 ok samples) within +-target% of the median: the
  // median is what compare and the gate read, and an outlier moves the mean's margin, not the median's.
  if (okDurations.length >= p.min && medianWithin(okDurations, p.targetRmePct)) return 'target';
  if (taken >= p.max) return 'max';
  if (elapsedMs >= p.budgetMs) return 'budget';
  return null;
}

/** "median's 95% interval -3.1%/+4.0%", or why there is none. */
function intervalText(durations: readonly number[]): string {
  const interval = medianInterval(durations);
  const mid = median(durations);
  if (interval === null || mid === null || mid <= 0) return `no 95% interval of the median yet (${durations.length} ok; it takes 6)`;
  const pct = (x: number) => `${x >= mid ? '+' : '-'}${(Math.abs(x - mid) / mid * 100).toFixed(1)}%`;
  return `median's 95% interval ${pct(interval.low)}/${pct(interval.high)}`;
}

/** Whether the median's 95% interval lies within +-pct% of the median. Pure. */
export function medianWithin(durations: readonly number[], pct: number): boolean {
  const interval = medianInterval(durations);
  const mid = median(durations);
  if (interval === null || mid === null || mid <= 0) return false;
  return Math.max(mid - interval.low, interval.high - mid) / mid <= pct / 100;
}

/** Samples a policy is expected to take: the minimum for adaptive (most stop there on a quiet machine). */
export function expectedSamples(p: SamplePolicy): number {
  return sampleRange(p)[0];
}

/**
 * Estimated wall-clock ms of the plan entries of every cell (one per variant measured, with its scenario), from the
 * per-sample costs given (preparation included), the scenario's own where the table has them. A variant whose plan
 * has no cold build still builds its image once, untimed, before its first phase: a cold build's cost when it is
 * the scenario's first build, else `sharedFirstBuild` of one (the cache serves the steps the variants share).
 */
export function estimateMs(
  cells: readonly { scenario: string; entries: readonly PhasePlan[] }[],
  costMs: Readonly<Record<string, number>> = MEASURED_COST_MS,
  sharedFirstBuild = SHARED_FIRST_BUILD,
): number {
  const built = new Set(cells.filter((c) => c.entries.some((p) => p.phase === 'build-cold')).map((c) => c.scenario));
  return cells.reduce((all, { scenario, entries }) => {
    const cost = (phase: string) => costOf(costMs, scenario, phase);
    let first = 0;
    if (!entries.some((p) => p.phase === 'build-cold')) {
      first = built.has(scenario) ? sharedFirstBuild * cost('build-cold') : cost('build-cold');
      built.add(scenario);
    }
    return all + first + entries.reduce((sum, p) => sum + expectedSamples(p.policy) * cost(p.phase), 0);
  }, 0);
}

/** One line per phase: what it samples and why. */
export function describePlan(plan: readonly PhasePlan[]): string[] {
  return plan.map(({ phase, policy, why, only, once, firstVariant, everyScenario }) => {
    const how = policy.kind === 'fixed'
      ? `${policy.n} sample${policy.n === 1 ? '' : 's'}`
      : `${policy.min}-${policy.max} samples until the median's 95% interval is within +-${policy.targetRmePct}% (budget ${Math.round(policy.budgetMs / 1000)} s)`;
    const where = only ? ` [${only}, ${everyScenario ? 'every' : 'first'} scenario that has it]` : once ? ' [first scenario]' : firstVariant ? ' [first variant of the others]' : '';
    return `  ${phase.padEnd(22)} ${how}${where}: ${why}`;
  });
}

/** What the screen says when an adaptive phase stops sampling: why, after how many samples, at what margin of error. */
export function stopText(reason: StopReason | 'build failed', p: SamplePolicy, taken: number, okDurations: readonly number[]): string {
  const n = `${taken} sample${taken === 1 ? '' : 's'}`;
  const margin = intervalText(okDurations);
  const target = p.kind === 'adaptive' ? ` (target ${p.targetRmePct}%)` : '';
  switch (reason) {
    case 'target':
      return `stopped after ${n}: ${margin}, under the target of ${p.kind === 'adaptive' ? p.targetRmePct : '?'}%`;
    case 'max':
      return `stopped at the maximum of ${n}: ${margin}${target}`;
    case 'budget':
      return `stopped by the ${p.kind === 'adaptive' ? Math.round(p.budgetMs / 1000) : '?'} s budget after ${n}: ${margin}${target}`;
    case 'build failed':
      return `stopped after ${n}: the build failed`;
    default:
      return `${n}, as planned`;
  }
}
