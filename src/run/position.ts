// Where a run is and how long is left, for the live line and the CI progress line. The samples left are those the
// plan still expects per scenario, variant and phase (an adaptive phase expects its minimum until it stops); each is
// priced by what this run's own samples of that phase took, wall-clock, preparation included (in the same scenario
// where there are any: a cold build of native-sqlite is not one of express-api), else by the costs measured earlier,
// scaled by this run's pace. A variant whose plan has no cold build builds its image once, untimed, before its first
// sample: that build is priced too (by this run's first builds, else a cold build's cost), and its time is kept out
// of the prices of the phase whose sample it preceded. The run's pace (its own time over the costs of what it did)
// starts from 1 as if the costs were PACE_PRIOR_MS of samples already seen: a run's first sample also pays for its
// one-time setup (the first cold build's prune of a full build cache), and alone it priced a whole run at about
// twice its length (docs/measurements.md, "Costs behind the estimate"). Pure: the clock is given.
import type { PhaseName } from '../types.ts';
import { formatDuration } from '../units.ts';
import { costKey, costOf, MEASURED_COST_MS, SHARED_FIRST_BUILD } from './plan.ts';

export interface PlannedCell {
  scenario: string;
  variant: string;
  phase: PhaseName;
  /** Samples the plan expects of it (an adaptive phase: its minimum). */
  expected: number;
}

interface Observed {
  ms: number;
  n: number;
}

const mean = (o: Observed | undefined): number | undefined => (o && o.n > 0 ? o.ms / o.n : undefined);

/** The price list's name for a variant's untimed first build. */
const FIRST_BUILD = 'first build';

/** How much the measured costs weigh in the run's pace, as milliseconds of samples at a pace of 1. */
export const PACE_PRIOR_MS = 60_000;


export class RunPosition {
  private readonly left = new Map<string, { phase: PhaseName; scenario: string; n: number }>();
  /** Variants (scenario, variant) still to build their image untimed: those without a cold build in the plan. */
  private readonly firstBuilds = new Map<string, string>();
  /** Scenarios that have, or will have before their untimed builds, an image built in this run. */
  private readonly built = new Set<string>();
  /** Per scenario, the untimed first builds seen: the one that built from nothing, and those that shared it. */
  private readonly firstSeen = new Map<string, { full?: number; shared: number[] }>();
  private readonly byPhase = new Map<string, Observed>();
  private readonly byScenarioPhase = new Map<string, Observed>();
  private done: number;
  private last: number;
  private observedMs = 0;
  private observedCost = 0;

  constructor(
    planned: readonly PlannedCell[],
    alreadyDone: readonly { scenario: string; variant: string; phase: string }[],
    private readonly now: () => number,
    private readonly costs: Readonly<Record<string, number>> = MEASURED_COST_MS,
    private readonly pacePriorMs = PACE_PRIOR_MS,
  ) {
    for (const c of planned) this.left.set(this.key(c), { phase: c.phase, scenario: c.scenario, n: c.expected });
    const cold = new Set(planned.filter((c) => c.phase === 'build-cold').map((c) => this.cell(c)));
    for (const c of planned) if (!cold.has(this.cell(c))) this.firstBuilds.set(this.cell(c), c.scenario);
    for (const c of planned) if (c.phase === 'build-cold') this.built.add(c.scenario);
    for (const r of alreadyDone) {
      const e = this.left.get(this.key(r));
      if (e) e.n = Math.max(0, e.n - 1);
      this.firstBuilds.delete(this.cell(r));
      this.built.add(r.scenario);
    }
    this.done = alreadyDone.length;
    this.start = now();
    this.last = this.start;
  }

  private readonly start: number;

  private key(c: { scenario: string; variant: string; phase: string }): string {
    return `${c.scenario}\u0000${c.variant}\u0000${c.phase}`;
  }

  private cell(c: { scenario: string; variant: string }): string {
    return `${c.scenario}\u0000${c.variant}`;
  }

  private observe(what: string, scenario: string, ms: number): void {
    for (const [map, k] of [[this.byPhase, what], [this.byScenarioPhase, `${scenario}\u0000${what}`]] as const) {
      const o = map.get(k) ?? { ms: 0, n: 0 };
      o.ms += ms;
      o.n += 1;
      map.set(k, o);
    }
  }

  /**
   * This run's own mean for `what` in the scenario; else the scenario's measured cost of `what` at the run's pace
   * (a shipped scenario's, or one earlier runs measured); else this run's mean for `what` in any scenario; else the
   * phase's measured cost at the run's pace.
   */
  private price(what: PhaseName, scenario: string, pace: number): number {
    const own = mean(this.byScenarioPhase.get(`${scenario}\u0000${what}`));
    if (own !== undefined) return own;
    if (this.costs[costKey(scenario, what)] === undefined) {
      const anyScenario = mean(this.byPhase.get(what));
      if (anyScenario !== undefined) return anyScenario;
    }
    return costOf(this.costs, scenario, what) * pace;
  }

  /** A sample finished (ok or not): the time since the previous one is what it cost, preparation included. */
  sampleDone(c: { scenario: string; variant: string; phase: PhaseName }): void {
    const t = this.now();
    const ms = t - this.last;
    this.last = t;
    this.done += 1;
    const e = this.left.get(this.key(c));
    if (e) e.n = Math.max(0, e.n - 1);
    // The variant's first sample came after its untimed first build: the time went to that build.
    const first = this.firstBuilds.delete(this.cell(c));
    const shared = first && this.built.has(c.scenario);
    this.observe(first ? FIRST_BUILD : c.phase, c.scenario, ms);
    if (first) {
      const seen = this.firstSeen.get(c.scenario) ?? { shared: [] };
      if (shared) seen.shared.push(ms);
      else seen.full = ms;
      this.firstSeen.set(c.scenario, seen);
    }
    this.built.add(c.scenario);
    this.observedMs += ms;
    this.observedCost += first ? costOf(this.costs, c.scenario, 'build-cold') * (shared ? SHARED_FIRST_BUILD : 1) : costOf(this.costs, c.scenario, c.phase);
  }

  /** Samples the plan still expects. */
  samplesLeft(): number {
    let n = 0;
    for (const e of this.left.values()) n += e.n;
    return n;
  }

  /** Estimated wall-clock ms of the samples left. */
  leftMs(): number {
    const pace = this.observedCost + this.pacePriorMs > 0 ? (this.observedMs + this.pacePriorMs) / (this.observedCost + this.pacePriorMs) : 1;
    let ms = 0;
    for (const e of this.left.values()) if (e.n > 0) ms += e.n * this.price(e.phase, e.scenario, pace);
    const pending = new Map<string, number>();
    for (const scenario of this.firstBuilds.values()) {
      const j = pending.get(scenario) ?? 0;
      pending.set(scenario, j + 1);
      ms += this.firstBuildPrice(scenario, j === 0 && !this.built.has(scenario), pace);
    }
    return ms;
  }

  /** An untimed first build: from nothing, a cold build; after another of the scenario, a share of one. */
  private firstBuildPrice(scenario: string, fromNothing: boolean, pace: number): number {
    const seen = this.firstSeen.get(scenario);
    const full = seen?.full ?? costOf(this.costs, scenario, 'build-cold') * pace;
    if (fromNothing) return full;
    if (seen && seen.shared.length > 0) return seen.shared.reduce((a, b) => a + b, 0) / seen.shared.length;
    return SHARED_FIRST_BUILD * full;
  }

  label(): string {
    // Shown while a sample is in flight: an adaptive phase's extra sample is one the plan did not count.
    const next = this.done + 1;
    const total = Math.max(this.done + this.samplesLeft(), next);
    return `sample ${next} of ${total} · ${formatDuration(this.now() - this.start)} elapsed · about ${formatDuration(this.leftMs())} left`;
  }
}
