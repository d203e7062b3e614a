// What the measured differences are worth to a team in a month: CI minutes for builds and pushes, time deploy
// nodes spend pulling, registry egress, per variant and as a saving against the reference variant. Every figure is
// a product of a measured median and an assumption the user can change; the assumptions travel with the figures.
import { median } from '../stats/quantile.ts';
import type { PhaseName, SampleRow } from '../types.ts';
import type { RunFacts } from './facts.ts';

export interface WorthAssumptions {
  /** Deploys a day: each pulls the image onto a deploy node (the article's figure: 50). */
  deploysPerDay: number;
  /** Pipeline runs a day that build and push the image; defaults to one per deploy. */
  pipelineBuildsPerDay: number;
  /** What a CI runner minute costs, in the user's currency. */
  runnerCostPerMinute: number;
  /** What a GB of registry egress costs. */
  egressCostPerGb: number;
  /** Days in the month the figures are for. */
  daysPerMonth: number;
  /** A replay's real mean build per commit, per scenario and variant: used for the build in place of a phase. */
  replay?: Array<{ scenario: string; variant: string; perCommitMs: number; commits: number }>;
}

// A 2-core hosted Linux runner is billed around 0.008 a minute, and cloud egress around 0.09 a GB: the order of
// magnitude a team sees on its bill. Both are assumptions, printed beside every figure they make.
export const DEFAULT_WORTH: WorthAssumptions = {
  deploysPerDay: 50,
  pipelineBuildsPerDay: 50,
  runnerCostPerMinute: 0.008,
  egressCostPerGb: 0.09,
  daysPerMonth: 30,
};

/** Which measured phase stands for a pipeline's build, push and a deploy's pull, in order of preference. */
export const BUILD_SOURCES: readonly PhaseName[] = ['build-ci-src' as PhaseName, 'build-warm-src', 'build-cold'];
export const PUSH_SOURCES: readonly PhaseName[] = ['push-warm', 'push-cold'];
export const PULL_SOURCES: readonly PhaseName[] = ['pull-cold', 'pull-warm'];

export interface Measure {
  /** The phase the median is of, or `replay`: the mean build per commit of a replayed history. */
  phase: PhaseName | 'replay';
  medianMs: number;
  /** Median bytes moved (pushes and pulls), when recorded. */
  bytes: number | null;
}

export interface VariantWorth {
  scenario: string;
  variant: string;
  build?: Measure;
  push?: Measure;
  pull?: Measure;
  /** CI minutes a month for builds and pushes. */
  ciMinutes: number | null;
  ciCost: number | null;
  /** Minutes a month deploy nodes spend pulling. */
  pullMinutes: number | null;
  /** GB a month leaving the registry for deploys. */
  egressGb: number | null;
  egressCost: number | null;
  /** Against the reference variant of the scenario (positive = this variant saves); null where either lacks it. */
  saving: { ciMinutes: number | null; ciCost: number | null; pullMinutes: number | null; egressGb: number | null; egressCost: number | null } | null;
}

function measure(samples: readonly SampleRow[], scenario: string, variant: string, sources: readonly PhaseName[]): Measure | undefined {
  for (const phase of sources) {
    const ok = samples.filter((s) => s.scenario === scenario && s.variant === variant && s.phase === phase && s.ok && s.duration_ms !== null);
    if (ok.length === 0) continue;
    const bytes = ok.map((s) => s.transfer_bytes).filter((b): b is number => b !== null);
    return { phase, medianMs: median(ok.map((s) => s.duration_ms as number)) as number, bytes: bytes.length > 0 ? median(bytes) : null };
  }
  return undefined;
}

const MINUTE = 60_000;
const GB = 1e9;

function perMonth(a: WorthAssumptions, perDay: number): number {
  return perDay * a.daysPerMonth;
}

function diff(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : b - a;
}

export function monthlyWorth(facts: RunFacts, samples: readonly SampleRow[], a: WorthAssumptions = DEFAULT_WORTH): VariantWorth[] {
  const rows: VariantWorth[] = [];
  for (const s of facts.scenarios) {
    const scenarioRows: VariantWorth[] = s.variants.map((v) => {
      const replayed = a.replay?.find((r) => r.scenario === s.scenario && r.variant === v.variant);
      const build: Measure | undefined = replayed ? { phase: 'replay', medianMs: replayed.perCommitMs, bytes: null } : measure(samples, s.scenario, v.variant, BUILD_SOURCES);
      const push = measure(samples, s.scenario, v.variant, PUSH_SOURCES);
      const pull = measure(samples, s.scenario, v.variant, PULL_SOURCES);
      const builds = perMonth(a, a.pipelineBuildsPerDay);
      const deploys = perMonth(a, a.deploysPerDay);
      const ciMinutes = build && push ? (builds * (build.medianMs + push.medianMs)) / MINUTE : null;
      const pullMinutes = pull ? (deploys * pull.medianMs) / MINUTE : null;
      const egressGb = pull?.bytes !== null && pull?.bytes !== undefined ? (deploys * pull.bytes) / GB : null;
      return {
        scenario: s.scenario,
        variant: v.variant,
        build,
        push,
        pull,
        ciMinutes,
        ciCost: ciMinutes === null ? null : ciMinutes * a.runnerCostPerMinute,
        pullMinutes,
        egressGb,
        egressCost: egressGb === null ? null : egressGb * a.egressCostPerGb,
        saving: null,
      };
    });
    const ref = scenarioRows.find((r) => r.variant === s.reference);
    for (const r of scenarioRows) {
      if (ref && r !== ref) {
        r.saving = {
          ciMinutes: diff(r.ciMinutes, ref.ciMinutes),
          ciCost: diff(r.ciCost, ref.ciCost),
          pullMinutes: diff(r.pullMinutes, ref.pullMinutes),
          egressGb: diff(r.egressGb, ref.egressGb),
          egressCost: diff(r.egressCost, ref.egressCost),
        };
      }
    }
    rows.push(...scenarioRows);
  }
  return rows;
}

/** The assumptions as a sentence, printed next to every figure made from them. */
export function describeAssumptions(a: WorthAssumptions): string {
  return (
    `${a.pipelineBuildsPerDay} pipeline build${a.pipelineBuildsPerDay === 1 ? '' : 's'} and ${a.deploysPerDay} deploy${a.deploysPerDay === 1 ? '' : 's'} a day, ` +
    `${a.daysPerMonth} days a month, runner minute ${a.runnerCostPerMinute}, egress ${a.egressCostPerGb} per GB ` +
    '(change with --pipeline-builds-per-day, --deploys-per-day, --runner-cost-per-minute, --egress-cost-per-gb)' +
    (a.replay?.length ? `; builds: the mean build per commit of a replay of ${Math.max(...a.replay.map((r) => r.commits))} real commits (--replay), each pipeline build costing what an average replayed commit did` : '')
  );
}
