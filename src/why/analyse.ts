// Why each step of a build missed the cache: the Dockerfile and context before and after, the base image ids each
// build saw, and the AFTER build's trace in; for every step not served from the cache, its first cause out, in the
// terms BuildKit keys its cache by (a step's key is its parent's key, its own definition with ARG and ENV values
// expanded, its base image digest, and for COPY/ADD the content checksum of the files it takes). Pure.
import type { BuildStep } from '../engine/engine.ts';
import { dockerfileStages } from '../engine/build-trace.ts';
import {
  copySources, parseDockerfile, sourceIncludes, substituteArgs, type DockerfileModel, type ModelInstruction,
} from '../dockerfile/dockerfile-model.ts';
import type { ContextFile, ContextSnapshot } from './context-snapshot.ts';
import { stepInstructions, stepPlaces, type StepPlace } from './step-places.ts';

export interface WhySide {
  dockerfile: string;
  buildArgs: Record<string, string>;
  context: ContextSnapshot;
  /** Image id of each image reference the Dockerfile uses (FROM, COPY --from), as the build saw it; null if unknown. */
  imageIds: Record<string, string | null>;
}

export interface WhyInput {
  before: WhySide;
  after: WhySide;
  target?: string;
  /** The AFTER build's steps, as the engine's trace reported them. */
  steps: BuildStep[];
}

export type FileChangeKind = 'content' | 'added' | 'removed' | 'mode' | 'entered-context' | 'left-context';

export interface FileChange {
  path: string;
  change: FileChangeKind;
  /** For a mode change: the permission bits before and after, octal. */
  modeBefore?: string;
  modeAfter?: string;
}

export type Cause =
  | { kind: 'files'; instruction: string; files: FileChange[]; counts: Partial<Record<FileChangeKind, number>>; metadataOnly: boolean }
  | { kind: 'variable'; name: string; declaredBy: 'ARG' | 'ENV'; before: string | null; after: string | null; others: number }
  | { kind: 'base'; stage: string; refBefore: string; refAfter: string; idBefore: string | null; idAfter: string | null }
  | { kind: 'instruction'; before: string | null; after: string }
  /** `earlier`: set when the step it goes back to came from the cache though its input changed (an older record). */
  | { kind: 'cascade'; after: string; origin: string; earlier?: Cause }
  | { kind: 'stage'; stage: string; rebuiltStep: string; origin: string }
  | { kind: 'none'; compared: string[] };

export interface StepWhy {
  label: string;
  /** The stage's name as the trace labels it ('' for a single unnamed stage). */
  stage: string;
  instruction: string;
  /** 1-based Dockerfile line in AFTER, or null when the step could not be tied to one. */
  line: number | null;
  cached: boolean;
  durationMs: number | null;
  /** The first cause for a step that ran; null for a cached step. */
  cause: Cause | null;
  /** The label of the step whose own input change this rebuild goes back to (itself unless a cascade). */
  origin: string | null;
}

export interface FirstCause {
  /** The step whose own input changed: one that ran, or a cached one that an older cache record served. */
  step: StepWhy;
  cause: Cause;
  /** Steps rebuilt because of it (cascade), in build order, with their time. */
  cascade: StepWhy[];
  /** The first cause's step plus its cascade, ms (steps without a time count as 0). */
  totalMs: number;
}

export interface WhyResult {
  steps: StepWhy[];
  firstCauses: FirstCause[];
  /**
   * Trace steps that are no step of this Dockerfile ("[runner 2/5] WORKDIR /app" in a file without that stage):
   * BuildKit runs an identical step of a concurrent build once and reports it under that build's name.
   */
  foreign: string[];
}

const FILES_SHOWN = 5;

/** Every image reference a Dockerfile reads: FROM images and COPY --from / RUN --mount from= images (not stages). */
export function imageRefs(dockerfile: string, buildArgs: Record<string, string>, target?: string): string[] {
  const model = parseDockerfile(dockerfile, target, buildArgs);
  const refs = new Set<string>();
  for (const s of model.stages) {
    if (s.parent === null && s.fromResolved !== '' && s.fromResolved.toLowerCase() !== 'scratch') refs.add(s.fromResolved);
    for (const ins of s.instructions) {
      const from = fromRef(ins);
      if (from !== null && namedStage(model, from) === null) refs.add(from);
    }
  }
  return [...refs];
}

function fromRef(ins: ModelInstruction): string | null {
  if ((ins.keyword === 'COPY' || ins.keyword === 'ADD') && typeof ins.flags.from === 'string') return ins.flags.from;
  return null;
}

function namedStage(model: DockerfileModel, ref: string): number | null {
  const byName = model.stages.findIndex((s) => s.name === ref.toLowerCase());
  if (byName >= 0) return byName;
  return /^\d+$/.test(ref) && Number(ref) < model.stages.length ? Number(ref) : null;
}

interface Scope {
  /** ARG and ENV values in effect, with where each came from. */
  vars: Map<string, { value: string; declaredBy: 'ARG' | 'ENV' }>;
}

function unquote(v: string): string {
  return /^(["']).*\1$/s.test(v) ? v.slice(1, -1) : v;
}

/**
 * The ARG and ENV values in effect before an instruction of a stage, as BuildKit puts them in a RUN's environment:
 * ENV inherited from a parent stage, ARGs declared in this stage (a build arg overrides the default, a global ARG
 * re-declared without a default keeps its global value).
 */
function scopeBefore(model: DockerfileModel, stageIndex: number, insIndex: number, buildArgs: Record<string, string>): Scope {
  const stage = model.stages[stageIndex];
  const vars: Scope['vars'] = new Map();
  if (stage.parent !== null && stage.parent !== stageIndex) {
    const parent = scopeBefore(model, stage.parent, model.stages[stage.parent].instructions.length, buildArgs);
    for (const [k, v] of parent.vars) if (v.declaredBy === 'ENV') vars.set(k, v);
  }
  const plain = (): Record<string, string> => Object.fromEntries([...vars].map(([k, v]) => [k, v.value]));
  for (const ins of stage.instructions.slice(0, insIndex)) {
    if (ins.keyword === 'ENV') {
      if (ins.args.length >= 2 && !ins.args[0].includes('=')) {
        vars.set(ins.args[0], { value: substituteArgs(ins.args.slice(1).join(' '), plain()), declaredBy: 'ENV' });
        continue;
      }
      for (const a of ins.args) {
        const eq = a.indexOf('=');
        if (eq > 0) vars.set(a.slice(0, eq), { value: substituteArgs(unquote(a.slice(eq + 1)), plain()), declaredBy: 'ENV' });
      }
    } else if (ins.keyword === 'ARG') {
      for (const a of ins.args) {
        const eq = a.indexOf('=');
        const name = eq > 0 ? a.slice(0, eq) : a;
        const existing = vars.get(name);
        // An ENV of the same name wins over the ARG in the step's environment.
        if (existing?.declaredBy === 'ENV') continue;
        const value = name in buildArgs
          ? buildArgs[name]
          : eq > 0 ? substituteArgs(unquote(a.slice(eq + 1)), plain()) : model.globalArgs[name];
        if (value !== undefined) vars.set(name, { value, declaredBy: 'ARG' });
      }
    }
  }
  return { vars };
}

function referencedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/\$(?:\{([A-Za-z_]\w*)[^}]*\}|([A-Za-z_]\w*))/g)) names.add((m[1] ?? m[2])!);
  return names;
}

const norm = (s: string): string => s.replace(/\\\r?\n/g, ' ').replace(/\s+/g, ' ').trim();

function rawText(model: DockerfileModel, ins: ModelInstruction): string {
  return norm(model.lines.slice(ins.line - 1, ins.endLine).join('\n'));
}

function octal(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

/** Bind mounts of a RUN: the context paths or the stage/image they read. */
function bindMounts(ins: ModelInstruction): Array<{ source: string; from: string | null }> {
  if (ins.keyword !== 'RUN') return [];
  return ins.flagTexts.flatMap((flag) => {
    const m = /^--mount=(.*)$/.exec(flag);
    if (!m) return [];
    const opts = Object.fromEntries(m[1].split(',').map((kv) => kv.split('=')).map(([k, ...v]) => [k, v.join('=')]));
    if ((opts.type ?? 'bind') !== 'bind') return [];
    return [{ source: opts.source ?? opts.src ?? '.', from: opts.from ?? null }];
  });
}

function selected(ctx: ContextSnapshot, sources: string[]): Map<string, ContextFile> {
  const out = new Map<string, ContextFile>();
  for (const [path, f] of ctx.sent) if (sources.some((s) => sourceIncludes(s, path))) out.set(path, f);
  return out;
}

/** What differs between the files a COPY/ADD/bind mount takes from the two contexts. */
export function fileChanges(before: ContextSnapshot, after: ContextSnapshot, sources: string[]): FileChange[] {
  const a = selected(before, sources);
  const b = selected(after, sources);
  const changes: FileChange[] = [];
  for (const [path, fb] of b) {
    const fa = a.get(path);
    if (!fa) {
      const entered = before.ignored.has(path);
      changes.push({ path, change: entered ? 'entered-context' : 'added' });
    } else if (fa.sha256 !== fb.sha256 || fa.kind !== fb.kind) {
      changes.push({ path, change: 'content' });
    } else if (fa.mode !== fb.mode) {
      changes.push({ path, change: 'mode', modeBefore: octal(fa.mode), modeAfter: octal(fb.mode) });
    }
  }
  for (const path of a.keys()) {
    if (b.has(path)) continue;
    changes.push({ path, change: after.ignored.has(path) ? 'left-context' : 'removed' });
  }
  return changes.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}

function filesCause(instruction: string, changes: FileChange[]): Cause {
  const counts: Partial<Record<FileChangeKind, number>> = {};
  for (const c of changes) counts[c.change] = (counts[c.change] ?? 0) + 1;
  // Content and presence first: they say more than a mode bit does.
  const rank: Record<FileChangeKind, number> = { 'entered-context': 0, 'left-context': 0, content: 1, added: 1, removed: 1, mode: 2 };
  const ordered = [...changes].sort((x, y) => rank[x.change] - rank[y.change] || (x.path < y.path ? -1 : 1));
  return {
    kind: 'files',
    instruction,
    files: ordered.slice(0, FILES_SHOWN),
    counts,
    metadataOnly: changes.every((c) => c.change === 'mode'),
  };
}

interface Placed extends StepPlace {
  step: BuildStep;
}

export function analyse(input: WhyInput): WhyResult {
  const { before, after, target } = input;
  const mAfter = parseDockerfile(after.dockerfile, target, after.buildArgs);
  const mBefore = parseDockerfile(before.dockerfile, target, before.buildArgs);
  const namesAfter = dockerfileStages(after.dockerfile);
  const namesBefore = dockerfileStages(before.dockerfile);
  const placesAfter = stepPlaces(mAfter, namesAfter, input.steps);
  const all: Placed[] = input.steps.map((step, i) => ({ step, ...placesAfter[i] }));
  const placed = all.filter((p) => p.instruction !== null);
  const foreign = all.filter((p) => p.instruction === null).map((p) => `${p.step.label} ${p.step.instruction}`);

  // Steps of each stage in Dockerfile order; the builder keys each by the one before it.
  const results = new Map<BuildStep, StepWhy>();
  /** Per AFTER stage: its last rebuilt step's label and that rebuild's origin. */
  const stageMiss = new Map<number, { label: string; origin: string }>();
  /** Per AFTER stage: its first cached step whose own input differs from BEFORE's. */
  const changedCached = new Map<number, { label: string; cause: Cause }>();
  const sides: Sides = { mAfter, mBefore, namesAfter, namesBefore, before, after };
  const order = [...placed].sort((x, y) => (x.stageIndex ?? Infinity) - (y.stageIndex ?? Infinity) || x.ordinal - y.ordinal);
  // A stage's misses are known before a later stage reads them: stages come after the ones they copy from.
  for (const p of order) {
    const { step } = p;
    const base: Omit<StepWhy, 'cause' | 'origin'> = {
      label: step.label, stage: p.stageName, instruction: step.instruction, line: p.instruction?.line ?? null,
      cached: step.cached, durationMs: step.durationMs,
    };
    const s = p.stageIndex;
    if (step.cached) {
      // Its input may still differ from BEFORE's: an older build left a record for it. What comes after it in the
      // stage then misses because of that change, not because of its own.
      if (s !== null && !stageMiss.has(s) && !changedCached.has(s)) {
        const own = ownCause(p, sides, stageMiss).cause;
        // A cached COPY --from of a rebuilt stage copied the same content (BuildKit keys it by content): no change.
        if (own.kind !== 'none' && own.kind !== 'stage') changedCached.set(s, { label: step.label, cause: own });
      }
      results.set(step, { ...base, cause: null, origin: null });
      continue;
    }
    let cause: Cause;
    let origin = step.label;
    const prevMiss = s === null ? undefined : stageMiss.get(s);
    const parent = s === null ? null : mAfter.stages[s].parent;
    const parentMiss = parent === null ? undefined : stageMiss.get(parent);
    if (prevMiss) {
      cause = { kind: 'cascade', after: prevMiss.label, origin: prevMiss.origin };
      origin = prevMiss.origin;
    } else if (parentMiss) {
      cause = { kind: 'cascade', after: parentMiss.label, origin: parentMiss.origin };
      origin = parentMiss.origin;
    } else if (s !== null && changedCached.has(s)) {
      const earlier = changedCached.get(s)!;
      cause = { kind: 'cascade', after: earlier.label, origin: earlier.label, earlier: earlier.cause };
      origin = earlier.label;
    } else {
      const own = ownCause(p, sides, stageMiss, changedCached);
      cause = own.cause;
      if (own.origin) origin = own.origin;
    }
    if (s !== null) stageMiss.set(s, { label: step.label, origin });
    results.set(step, { ...base, cause, origin });
  }
  const steps = placed.map((p) => results.get(p.step)!);
  const earlierOf = new Map([...changedCached.values()].map((c) => [c.label, c.cause]));
  const firstCauses: FirstCause[] = steps
    .filter((st) => (!st.cached && st.origin === st.label) || (st.cached && earlierOf.has(st.label) && steps.some((o) => o.origin === st.label)))
    .map((st) => {
      const cascade = steps.filter((o) => !o.cached && o !== st && o.origin === st.label);
      const spent = st.cached ? cascade : [st, ...cascade];
      return { step: st, cause: st.cause ?? earlierOf.get(st.label)!, cascade, totalMs: spent.reduce((sum, o) => sum + (o.durationMs ?? 0), 0) };
    });
  return { steps, firstCauses, foreign };
}

interface Sides {
  mAfter: DockerfileModel;
  mBefore: DockerfileModel;
  namesAfter: string[];
  namesBefore: string[];
  before: WhySide;
  after: WhySide;
}

/** The cause of the first rebuilt step of a stage, from what this step itself reads. */
function ownCause(
  p: Placed, sides: Sides, stageMiss: Map<number, { label: string; origin: string }>, changedCached?: Map<number, { label: string }>,
): { cause: Cause; origin?: string } {
  const { mAfter, mBefore, namesAfter, namesBefore, before, after } = sides;
  const compared: string[] = [];
  if (p.stageIndex === null || p.instruction === null) return { cause: { kind: 'none', compared: [] } };
  const stage = mAfter.stages[p.stageIndex];
  // The stage with the same trace name in BEFORE (an unnamed stage by its position).
  const bIndex = namesBefore.findIndex((n) => n.toLowerCase() === namesAfter[p.stageIndex!].toLowerCase());
  const bStage = bIndex >= 0 ? mBefore.stages[bIndex] : undefined;

  // The base is the root of a stage's chain: when it changed, the stage's first step in the trace misses for it
  // (BuildKit reports a step two stages share once, so that first step need not be the stage's first).
  if (stage.parent === null) {
    const refAfter = stage.fromResolved;
    const refBefore = bStage && bStage.parent === null ? bStage.fromResolved : null;
    const idAfter = after.imageIds[refAfter] ?? null;
    const idBefore = refBefore === null ? null : before.imageIds[refBefore] ?? null;
    const idsDiffer = idBefore !== null && idAfter !== null && idBefore !== idAfter;
    if (refBefore !== null && (refBefore !== refAfter || idsDiffer)) {
      return { cause: { kind: 'base', stage: p.stageName, refBefore, refAfter, idBefore, idAfter } };
    }
    compared.push(`base image ${refAfter}${idAfter ? ` (${idAfter.slice(0, 19)})` : ' (id unknown)'}`);
  }

  const bPlaces = bStage ? stepInstructions(bStage.instructions) : [];
  const bIns = bPlaces[p.ordinal];
  const afterText = rawText(mAfter, p.instruction);
  if (!bIns || rawText(mBefore, bIns) !== afterText) {
    return { cause: { kind: 'instruction', before: bIns ? rawText(mBefore, bIns) : null, after: afterText } };
  }
  compared.push('instruction text');

  const insIndex = stage.instructions.indexOf(p.instruction);
  const sa = scopeBefore(mAfter, p.stageIndex, insIndex, after.buildArgs);
  const sb = scopeBefore(mBefore, bIndex, bStage!.instructions.indexOf(bIns), before.buildArgs);
  // RUN gets every ARG and ENV in its environment; other instructions only see the names they expand.
  const names = p.instruction.keyword === 'RUN'
    ? new Set([...sa.vars.keys(), ...sb.vars.keys()])
    : referencedNames(afterText);
  const changedVars = [...names].filter((n) => sa.vars.get(n)?.value !== sb.vars.get(n)?.value);
  if (changedVars.length > 0) {
    const name = changedVars[0];
    const va = sa.vars.get(name);
    const vb = sb.vars.get(name);
    return { cause: { kind: 'variable', name, declaredBy: va?.declaredBy ?? vb?.declaredBy ?? 'ARG', before: vb?.value ?? null, after: va?.value ?? null, others: changedVars.length - 1 } };
  }
  compared.push(p.instruction.keyword === 'RUN' ? `${names.size} ARG and ENV values` : names.size > 0 ? `the values of ${[...names].join(', ')}` : 'no ARG or ENV used');

  const expand = (src: string) => substituteArgs(src, Object.fromEntries([...sa.vars].map(([k, v]) => [k, v.value])));
  const reads: Array<{ source: string; from: string | null }> = [];
  if (p.instruction.keyword === 'COPY' || p.instruction.keyword === 'ADD') {
    const from = fromRef(p.instruction);
    for (const src of copySources(p.instruction)) reads.push({ source: expand(src), from });
  }
  reads.push(...bindMounts(p.instruction));
  const contextSources = reads.filter((r) => r.from === null && !/^[a-z]+:\/\//i.test(r.source)).map((r) => r.source);
  if (contextSources.length > 0) {
    const changes = fileChanges(before.context, after.context, contextSources);
    if (changes.length > 0) return { cause: filesCause(afterText, changes) };
    compared.push(`${selected(after.context, contextSources).size} context files (content and mode)`);
  }
  for (const r of reads) {
    if (/^[a-z]+:\/\//i.test(r.source)) compared.push(`not compared: the remote file ${r.source}`);
    if (r.from === null) continue;
    const si = namedStage(mAfter, r.from);
    if (si !== null) {
      const older = changedCached?.get(si);
      const miss = stageMiss.get(si) ?? (older ? { label: older.label, origin: older.label } : undefined);
      if (miss) return { cause: { kind: 'stage', stage: namesAfter[si] || r.from, rebuiltStep: miss.label, origin: miss.origin }, origin: miss.origin };
      compared.push(`stage ${r.from} (no step of it rebuilt)`);
    } else {
      const ia = after.imageIds[r.from] ?? null;
      const ib = before.imageIds[r.from] ?? null;
      if (ia !== null && ib !== null && ia !== ib) return { cause: { kind: 'base', stage: p.stageName, refBefore: r.from, refAfter: r.from, idBefore: ib, idAfter: ia } };
      compared.push(`image ${r.from}${ia ? ` (${ia.slice(0, 19)})` : ' (id unknown)'}`);
    }
  }
  return { cause: { kind: 'none', compared } };
}
