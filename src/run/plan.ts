// The sampling plan: which phases each variant measures and how many samples each takes (fixed, or adaptive until
// the numbers are stable), the estimate of how long that takes, and why a phase's sampling stopped. Pure.
import { minSamplesPerSide } from '../stats/mann-whitney.ts';
import { summarize } from '../stats/summary.ts';
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
}

export type StopReason = 'fixed' | 'target' | 'max' | 'budget';

/** The variants the default run measures: the three the article compares. */
export const DEFAULT_VARIANTS = ['single', 'multi', 'distroless'] as const;

/** Fewest samples per side for Mann-Whitney to be able to say "slower" at alpha 0.05 (2/C(8,4) = 0.029 at 4). */
export const MIN_FOR_SIGNIFICANCE = minSamplesPerSide(0.05) ?? 4;

/**
 * Seconds per sample measured on a 2-core machine (offline profile, `run --quick`, 10 variants): the estimate before a
 * run has its own samples. build-cold 241 s, build-warm-deps 240 s, push-cold 103 s, pull-cold 58 s, scan 43 s,
 * build-warm-src 39 s over 10 samples; the rest under 10 s.
 */
export const MEASURED_COST_MS: Readonly<Record<string, number>> = {
  'build-cold': 24_100, 'build-warm': 1_000, 'build-warm-src': 3_900, 'build-warm-deps': 24_000,
  'push-cold': 10_300, 'push-warm': 1_000, 'pull-cold': 5_800, 'pull-warm': 1_000, scan: 4_300, run: 1_000,
  'build-context-ignored': 1_000, 'build-context-full': 1_000,
};

/** Adaptive policy of the default run; the options --target-rme, --max-samples and --phase-budget change it. */
export interface AdaptiveSettings {
  targetRmePct: number;
  maxSamples: number;
  budgetMs: number;
}
export const DEFAULT_ADAPTIVE: AdaptiveSettings = { targetRmePct: 5, maxSamples: 10, budgetMs: 60_000 };

/**
 * The default run: every claim of the article answered once, samples spent where the noise is. Expensive phases whose
 * figure is a size, a count or a one-off time (cold build, cold push and pull, scan) take one sample; the cheap
 * phases whose difference between variants is the claim (warm rebuilds, start-up) sample adaptively from the
 * minimum the significance test needs. build-warm-deps (24 s a sample, same claim as build-warm-src), push-warm,
 * pull-warm and the context pair stay in --full; so do the phases other issues add (build-ci, build-ci-src, explain)
 * until their costs are measured.
 */
export function defaultPlan(a: AdaptiveSettings = DEFAULT_ADAPTIVE): PhasePlan[] {
  const adaptive = (maxCap: number): SamplePolicy => ({
    kind: 'adaptive', min: Math.min(MIN_FOR_SIGNIFICANCE, a.maxSamples), max: Math.max(Math.min(a.maxSamples, maxCap), Math.min(MIN_FOR_SIGNIFICANCE, a.maxSamples)),
    targetRmePct: a.targetRmePct, budgetMs: a.budgetMs,
  });
  return [
    { phase: 'build-cold', policy: { kind: 'fixed', n: 1 }, why: 'image size, layers and the cold build time (about 24 s a sample)' },
    { phase: 'build-warm', policy: adaptive(a.maxSamples), why: 'nothing changed: the cache at work' },
    { phase: 'build-warm-src', policy: adaptive(a.maxSamples), why: 'the warm rebuild after a source change, compared across variants' },
    { phase: 'push-cold', policy: { kind: 'fixed', n: 1 }, why: 'bytes and time to push the image once' },
    { phase: 'pull-cold', policy: { kind: 'fixed', n: 1 }, why: 'bytes and time to pull it on an empty engine' },
    { phase: 'scan', policy: { kind: 'fixed', n: 1 }, why: 'vulnerability and package counts (the same every sample)' },
    { phase: 'run', policy: adaptive(a.maxSamples), why: 'start-up time to the first answer' },
  ];
}

/** --full or --iterations N: every phase asked, exactly n samples each. */
export function fixedPlan(phases: readonly PhaseName[], n: number): PhasePlan[] {
  return phases.map((phase) => ({ phase, policy: { kind: 'fixed', n }, why: `${n} sample(s), as asked` }));
}

/** The default plan limited to the phases asked (--phase), in the order asked. */
export function selectPlan(plan: readonly PhasePlan[], phases: readonly PhaseName[]): PhasePlan[] {
  return phases.flatMap((p) => plan.filter((x) => x.phase === p));
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
  const rme = okDurations.length >= 2 ? summarize(okDurations)?.rme : undefined;
  if (okDurations.length >= p.min && rme !== undefined && rme <= p.targetRmePct) return 'target';
  if (taken >= p.max) return 'max';
  if (elapsedMs >= p.budgetMs) return 'budget';
  return null;
}

/** Samples a policy is expected to take: the minimum for adaptive (most stop there on a quiet machine). */
export function expectedSamples(p: SamplePolicy): number {
  return sampleRange(p)[0];
}

/** Estimated ms of the whole plan for `variants` variants, from the per-sample costs given (default: measured ones). */
export function estimateMs(plan: readonly PhasePlan[], variants: number, costMs: Readonly<Record<string, number>> = MEASURED_COST_MS): number {
  return variants * plan.reduce((sum, p) => sum + expectedSamples(p.policy) * (costMs[p.phase] ?? 1000), 0);
}

/** One line per phase: what it samples and why. */
export function describePlan(plan: readonly PhasePlan[]): string[] {
  return plan.map(({ phase, policy, why }) => {
    const how = policy.kind === 'fixed'
      ? `${policy.n} sample${policy.n === 1 ? '' : 's'}`
      : `${policy.min}-${policy.max} samples until the margin of error is under ${policy.targetRmePct}% (budget ${Math.round(policy.budgetMs / 1000)} s)`;
    return `  ${phase.padEnd(22)} ${how}: ${why}`;
  });
}
