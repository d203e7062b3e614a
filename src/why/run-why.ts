// why on a real engine: snapshot both contexts, build BEFORE, then AFTER on the warm cache, and hand the AFTER
// build's trace with both snapshots and the image ids each build saw to the pure analysis. Leaves no image behind.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildOutcome, Engine } from '../engine/engine.ts';
import { LABEL_RUN } from '../engine/labels.ts';
import { analyse, imageRefs, type WhyResult, type WhySide } from './analyse.ts';
import { snapshotContext } from './context-snapshot.ts';

export interface WhyOptions {
  beforeDir: string;
  afterDir: string;
  /** Relative to each context folder. */
  dockerfile: string;
  target?: string;
  buildArgs: Record<string, string>;
  /** Build args for AFTER only, over `buildArgs` (what changing a build arg rebuilds). */
  afterBuildArgs?: Record<string, string>;
  /** Called between the two builds (tests re-tag a base image here). */
  between?: () => Promise<void>;
  signal?: AbortSignal;
}

export type WhyOutcome =
  | { ok: true; result: WhyResult; beforeMs: number; afterMs: number }
  | { ok: false; error: string };

async function idsOf(engine: Engine, refs: string[]): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const ref of refs) out[ref] = (await engine.inspectImage(ref))?.id ?? null;
  return out;
}

export async function whyBuilds(engine: Engine, opts: WhyOptions): Promise<WhyOutcome> {
  const runId = `why-${process.pid}-${Date.now()}`;
  const tags = { before: `stagebench-why:${runId}-before`, after: `stagebench-why:${runId}-after` };
  const afterArgs = { ...opts.buildArgs, ...opts.afterBuildArgs };
  const side = (dir: string, buildArgs: Record<string, string>): Omit<WhySide, 'imageIds'> => ({
    dockerfile: readFileSync(join(dir, opts.dockerfile), 'utf8'),
    buildArgs,
    context: snapshotContext(dir, opts.dockerfile),
  });
  const build = (dir: string, tag: string, buildArgs: Record<string, string>): Promise<BuildOutcome> => engine.build({
    contextDir: dir, dockerfile: opts.dockerfile, tag, buildArgs, builder: 'buildkit',
    labels: { [LABEL_RUN]: runId }, ...(opts.target ? { target: opts.target } : {}), ...(opts.signal ? { signal: opts.signal } : {}),
  });
  try {
    const b = side(opts.beforeDir, opts.buildArgs);
    const beforeIds = await idsOf(engine, imageRefs(b.dockerfile, b.buildArgs, opts.target));
    const before = await build(opts.beforeDir, tags.before, b.buildArgs);
    if (!before.ok) return { ok: false, error: `the BEFORE build (${opts.beforeDir}) failed: ${before.error}\n${before.log.slice(-10).join('\n')}` };
    await opts.between?.();
    const a = side(opts.afterDir, afterArgs);
    const afterIds = await idsOf(engine, imageRefs(a.dockerfile, a.buildArgs, opts.target));
    const after = await build(opts.afterDir, tags.after, a.buildArgs);
    if (!after.ok) return { ok: false, error: `the AFTER build (${opts.afterDir}) failed: ${after.error}\n${after.log.slice(-10).join('\n')}` };
    const result = analyse({
      before: { ...b, imageIds: beforeIds },
      after: { ...a, imageIds: afterIds },
      steps: after.steps,
      ...(opts.target ? { target: opts.target } : {}),
    });
    return { ok: true, result, beforeMs: before.durationMs, afterMs: after.durationMs };
  } finally {
    await engine.removeImagesWithLabels({ [LABEL_RUN]: runId }).catch(() => 0);
  }
}
