// Which instructions a change to some files can invalidate: the first instruction of a stage that reads a changed
// file (COPY/ADD from the context, a bind mount of it) or copies from an invalidated stage, and everything after it.
// A step outside that set that was rebuilt anyway means the build cache was lost during the sample (another build
// on the same engine pruned it), so the sample does not measure what the change costs. Pure.
import { copySources, sourceIncludes, type DockerfileModel, type ModelInstruction } from '../dockerfile/dockerfile-model.ts';
import type { StepCost } from './step-costs.ts';

export { sourceIncludes };

/** The stage a --from or from= names: by name, or by index. */
function namedStage(model: DockerfileModel, ref: string): number | null {
  const byName = model.stages.findIndex((s) => s.name === ref.toLowerCase());
  if (byName >= 0) return byName;
  return /^\d+$/.test(ref) && Number(ref) < model.stages.length ? Number(ref) : null;
}

function readsChange(model: DockerfileModel, ins: ModelInstruction, files: string[], affected: Set<number>): boolean {
  if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
    const from = ins.flags.from;
    if (from === undefined || from === null) return copySources(ins).some((src) => files.some((f) => sourceIncludes(src, f)));
    const stage = namedStage(model, from);
    return stage !== null && affected.has(stage);
  }
  if (ins.keyword === 'RUN') {
    return ins.flagTexts.some((flag) => {
      const m = /^--mount=(.*)$/.exec(flag);
      if (!m) return false;
      const opts = Object.fromEntries(m[1].split(',').map((kv) => kv.split('=')).map(([k, ...v]) => [k, v.join('=')]));
      if ((opts.type ?? 'bind') !== 'bind') return false;
      if (opts.from !== undefined) {
        const stage = namedStage(model, opts.from);
        return stage !== null && affected.has(stage);
      }
      return files.some((f) => sourceIncludes(opts.source ?? opts.src ?? '.', f));
    });
  }
  return false;
}

/** 1-based lines of the instructions that a change of these files may rebuild. */
export function mayRebuild(model: DockerfileModel, files: string[]): Set<number> {
  const affected = new Set<number>();
  const lines = new Set<number>();
  for (const stage of model.stages) {
    let hit = stage.parent !== null && affected.has(stage.parent);
    for (const ins of stage.instructions) {
      hit ||= readsChange(model, ins, files, affected);
      if (hit) lines.add(ins.line);
    }
    if (hit) affected.add(stage.index);
  }
  return lines;
}

/** Rebuilt steps the change cannot have invalidated: proof that the cache was lost during the build. */
export function unexpectedRebuilds(costs: StepCost[], allowed: Set<number>): StepCost[] {
  return costs.filter((c) => !c.cached && c.line !== null && !allowed.has(c.line));
}
