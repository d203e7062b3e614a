// Which instruction steps a build ran again (not served from the cache) and what each cost, tied back to the
// Dockerfile line they come from. Pure: the steps of a BuildKit trace and the parsed Dockerfile in, rows out.
import type { BuildStep } from '../engine/engine.ts';
import { instructionText, type DockerfileModel, type ModelInstruction } from '../dockerfile/dockerfile-model.ts';

export interface StepCost {
  /** BuildKit's label, e.g. "[builder 3/6]". */
  label: string;
  instruction: string;
  /** 1-based Dockerfile line, or null when the step could not be tied to one. */
  line: number | null;
  cached: boolean;
  durationMs: number | null;
  /** Why it missed the cache, measured (why/): set for the rebuilt steps of a build after a change. */
  cause?: string;
}

export interface RebuildCost {
  /** Steps that ran (not cached), in build order. */
  rebuilt: StepCost[];
  /** Sum of the rebuilt steps' durations, ms. */
  rebuiltMs: number;
  steps: number;
  cachedSteps: number;
  /** The whole build as timed by the client, ms. */
  buildMs: number;
}

const norm = (s: string): string => s.replace(/\\\r?\n/g, ' ').replace(/\s+/g, ' ').trim().toLowerCase();
/** Without the instruction's flags (`RUN --mount=... npm ci` -> `run npm ci`): a step name may carry them or not. */
const bare = (s: string): string => norm(s).replace(/^(\S+)((?: --\S+)+)/, '$1');

/** BuildKit names a stage by its `AS` name, or "stage-N" when it has none; a single-stage build has no prefix. */
function stageKey(model: DockerfileModel, index: number): string {
  return model.stages[index].name ?? `stage-${index}`;
}

export function stepCosts(model: DockerfileModel, steps: BuildStep[]): StepCost[] {
  const used = new Set<ModelInstruction>();
  return steps.map((step) => {
    const m = /^\[(?:(\S+) )?\d+\/\d+\]$/.exec(step.label);
    const stageName = m?.[1];
    const stages = model.stages.filter((s) => (stageName === undefined ? true : stageKey(model, s.index) === stageName.toLowerCase()));
    const want = norm(step.instruction);
    const candidates = stages.flatMap((s) => s.instructions).filter((ins) => !used.has(ins));
    const match = candidates.find((ins) => norm(instructionText(model, ins)) === want)
      ?? candidates.find((ins) => bare(instructionText(model, ins)) === bare(step.instruction));
    if (match) used.add(match);
    return { label: step.label, instruction: step.instruction, line: match?.line ?? null, cached: step.cached, durationMs: step.durationMs };
  });
}

export function rebuildCost(model: DockerfileModel, steps: BuildStep[], buildMs: number): RebuildCost {
  const costs = stepCosts(model, steps);
  // In Dockerfile order: BuildKit reports stages in the order they started, which need not be the file's.
  const rebuilt = costs.filter((c) => !c.cached).sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
  return {
    rebuilt,
    rebuiltMs: rebuilt.reduce((s, c) => s + (c.durationMs ?? 0), 0),
    steps: costs.length,
    cachedSteps: costs.length - rebuilt.length,
    buildMs,
  };
}
