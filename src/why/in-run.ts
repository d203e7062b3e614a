// The cause of each rebuilt step in a run's build phases that apply a change: the context and Dockerfile are read
// just before the change and just after it, and the changed build's trace is analysed against them. The run does
// not change base images between the two, so their ids are not compared here (why compares them).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildRequest, BuildStep } from '../engine/engine.ts';
import { analyse, type WhySide } from './analyse.ts';
import { snapshotContext } from './context-snapshot.ts';
import { causeText } from './format.ts';

/** steps.csv's cause columns for one step. */
export interface StepCause {
  label: string;
  kind: string;
  text: string;
  /** The step whose own input change this rebuild goes back to. */
  origin: string;
}

function sideOf(req: BuildRequest): WhySide {
  return {
    dockerfile: readFileSync(join(req.contextDir, req.dockerfile), 'utf8'),
    buildArgs: req.buildArgs,
    context: snapshotContext(req.contextDir, req.dockerfile),
    imageIds: {},
  };
}

export class ChangeCauses {
  private before: WhySide | undefined;
  private after: WhySide | undefined;

  /** `request`: the build request of the phase, as it is when called. */
  constructor(private readonly request: () => BuildRequest) {}

  /** Call just before the phase applies its change. */
  beforeChange(): void {
    this.after = undefined;
    this.before = sideOf(this.request());
  }

  /** Call just after the phase applied its change. */
  afterChange(): void {
    this.after = sideOf(this.request());
  }

  /** The cause of every step the changed build ran; [] when the two sides were not both read. */
  of(steps: BuildStep[]): StepCause[] {
    if (!this.before || !this.after) return [];
    const req = this.request();
    const r = analyse({ before: this.before, after: this.after, steps, ...(req.target ? { target: req.target } : {}) });
    return r.steps.flatMap((s) => (s.cause === null ? [] : [{ label: s.label, kind: s.cause.kind, text: causeText(s.cause), origin: s.origin ?? s.label }]));
  }
}
