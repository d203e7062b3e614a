// Where each step of a BuildKit trace sits in the Dockerfile: its stage, and its place among the stage's steps.
// BuildKit numbers a stage's steps "[stage N/M]" with FROM as 1 and counts only the instructions that make a step
// (RUN, COPY, ADD, WORKDIR); ENV, ARG, LABEL and the like only change the image config. Pure.
import type { BuildStep } from '../engine/engine.ts';
import type { DockerfileModel, ModelInstruction } from '../dockerfile/dockerfile-model.ts';

export interface StepPlace {
  /** Index of the stage in the model, null when the label names no stage of it. */
  stageIndex: number | null;
  /** The stage as the trace labels it ('' for a single unnamed stage). */
  stageName: string;
  /** 0-based place among the stage's steps. */
  ordinal: number;
  instruction: ModelInstruction | null;
}

const STEP_KEYWORDS: ReadonlySet<string> = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR']);

/** The instructions of a stage that the builder reports as steps, in order. */
export function stepInstructions(instructions: ModelInstruction[]): ModelInstruction[] {
  return instructions.filter((i) => STEP_KEYWORDS.has(i.keyword));
}

/** `stageNames`: the trace's name of each stage (build-trace.ts's dockerfileStages). */
export function stepPlaces(model: DockerfileModel, stageNames: string[], steps: BuildStep[]): StepPlace[] {
  return steps.map((step) => {
    const m = /^\[(?:(\S+) )?(\d+)\/\d+\]$/.exec(step.label);
    const stageName = m?.[1] ?? '';
    const n = Number(m?.[2] ?? 0);
    const found = stageNames.findIndex((s) => s.toLowerCase() === stageName.toLowerCase());
    const stageIndex = found >= 0 ? found : null;
    const ordinal = n - 2;
    if (stageIndex === null || ordinal < 0) return { stageIndex, stageName, ordinal: Math.max(0, ordinal), instruction: null };
    const ins = stepInstructions(model.stages[stageIndex].instructions)[ordinal] ?? null;
    // A step whose keyword is not the instruction's means the numbering differs from the one assumed here.
    const keyword = step.instruction.split(/\s/)[0]?.toUpperCase();
    return { stageIndex, stageName, ordinal, instruction: ins !== null && ins.keyword === keyword ? ins : null };
  });
}
