// Where a run is and how long is left, for the live line and the CI progress line. The samples left are those the
// plan still expects per scenario, variant and phase (an adaptive phase expects its minimum until it stops); each is
// priced by what this run's own samples of that phase took, wall-clock, preparation included (in the same scenario
// where there are any: a cold build of native-sqlite is not one of express-api), else by the costs measured earlier,
// scaled by this run's pace. Pure: the clock is given.
import type { PhaseName } from '../types.ts';
import { formatDuration } from '../units.ts';
import { MEASURED_COST_MS } from './plan.ts';

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

export class RunPosition {
  private readonly left = new Map<string, { phase: PhaseName; scenario: string; n: number }>();
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
  ) {
    for (const c of planned) this.left.set(this.key(c), { phase: c.phase, scenario: c.scenario, n: c.expected });
    for (const r of alreadyDone) {
      const e = this.left.get(this.key(r));
      if (e) e.n = Math.max(0, e.n - 1);
    }
    this.done = alreadyDone.length;
    this.start = now();
    this.last = this.start;
  }

  private readonly start: number;

  private key(c: { scenario: string; variant: string; phase: string }): string {
    return `${c.scenario}\u0000${c.variant}\u0000${c.phase}`;
  }

  /** A sample finished (ok or not): the time since the previous one is what it cost, preparation included. */
  sampleDone(c: { scenario: string; variant: string; phase: PhaseName }): void {
    const t = this.now();
    const ms = t - this.last;
    this.last = t;
    this.done += 1;
    const e = this.left.get(this.key(c));
    if (e) e.n = Math.max(0, e.n - 1);
    for (const [map, k] of [[this.byPhase, c.phase], [this.byScenarioPhase, `${c.scenario}\u0000${c.phase}`]] as const) {
      const o = map.get(k) ?? { ms: 0, n: 0 };
      o.ms += ms;
      o.n += 1;
      map.set(k, o);
    }
    this.observedMs += ms;
    this.observedCost += this.costs[c.phase] ?? 1000;
  }

  /** Samples the plan still expects. */
  samplesLeft(): number {
    let n = 0;
    for (const e of this.left.values()) n += e.n;
    return n;
  }

  /** Estimated wall-clock ms of the samples left. */
  leftMs(): number {
    const pace = this.observedCost > 0 ? this.observedMs / this.observedCost : 1;
    let ms = 0;
    for (const e of this.left.values()) {
      if (e.n === 0) continue;
      const each = mean(this.byScenarioPhase.get(`${e.scenario}\u0000${e.phase}`)) ?? mean(this.byPhase.get(e.phase)) ?? (this.costs[e.phase] ?? 1000) * pace;
      ms += e.n * each;
    }
    return ms;
  }

  label(): string {
    // Shown while a sample is in flight: an adaptive phase's extra sample is one the plan did not count.
    const next = this.done + 1;
    const total = Math.max(this.done + this.samplesLeft(), next);
    return `sample ${next} of ${total} · ${formatDuration(this.now() - this.start)} elapsed · about ${formatDuration(this.leftMs())} left`;
  }
}
