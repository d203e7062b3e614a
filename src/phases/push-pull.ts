// push-cold, push-warm, pull-cold, pull-warm (docs/ARCHITECTURE.md). Bytes come from the registry's manifest: the
// compressed size of each layer that moved, so a cold sample that moved less than every layer is caught.
import { compressedBytes, movedBytes, type ImageManifest } from '../registry/manifest.ts';
import type { PhaseName } from '../types.ts';
import { imageRef } from '../engine/labels.ts';
import { ensureBuilt } from './build.ts';
import type { ChangedImageState } from './changed-images.ts';
import { failed, Preparation, type Measured, type PhaseHandler, type RunContext, type SampleSlot } from './phase.ts';
import type { RegistryService } from '../registry/service.ts';
import { formatBytes } from '../units.ts';

interface Pushed {
  repo: string;
  tag: string;
  ref: string;
}

function timeoutSignal(ctx: RunContext): AbortSignal {
  return AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.timeoutMs)]);
}

async function tagFor(ctx: RunContext, reg: RegistryService, slot: SampleSlot, cold: boolean): Promise<Pushed> {
  return tagId(ctx, reg, slot, imageRef(slot.scenario.name, slot.variant).ref, cold);
}

/** Tags `image` (a reference or an id) as the variant's image in the registry. */
async function tagId(ctx: RunContext, reg: RegistryService, slot: SampleSlot, image: string, cold = false): Promise<Pushed> {
  const repo = reg.repository(slot.scenario.name, cold);
  const tag = slot.variant;
  await ctx.engine.tagImage(image, `${reg.prefix}/${repo}`, tag);
  return { repo, tag, ref: `${reg.prefix}/${repo}:${tag}` };
}

/** Untimed push, for preparing a state. */
async function pushUntimed(ctx: RunContext, reg: RegistryService, target: Pushed): Promise<void> {
  const o = await ctx.engine.push(target.ref, reg.auth, ctx.signal);
  if (!o.ok) throw new Error(`preparing: push of ${target.ref} failed: ${o.error}`);
}

function notAllMoved(what: 'push' | 'pull', moved: number, m: ImageManifest, movedLayers: number): string {
  const total = compressedBytes(m);
  if (moved >= total) return '';
  const where = what === 'push' ? 'the registry already held' : 'the target engine already held';
  return `not cold: ${where} ${m.layers.length - movedLayers} of ${m.layers.length} layers; ${formatBytes(moved)} of ${formatBytes(total)} moved`;
}

export function registryPhase(ctx: RunContext, slot: SampleSlot, phase: PhaseName): PhaseHandler {
  const ws = slot.workspace;
  const prep = new Preparation(ctx.signal);
  const guard = (fn: () => Promise<void>) => prep.run(fn);
  let target: Pushed | undefined;

  const measure = (what: 'push' | 'pull', cold: boolean) => async (): Promise<Measured> => {
    if (prep.error || !target) return failed(prep.error || 'not prepared');
    const reg = await ctx.services.registry();
    const engine = what === 'push' ? ctx.engine : (await ctx.services.pullTarget()).engine;
    const o = what === 'push'
      ? await engine.push(target.ref, reg.auth, timeoutSignal(ctx))
      : await engine.pull(target.ref, reg.auth, timeoutSignal(ctx));
    if (!o.ok) return failed(`${what} failed: ${o.error}`, {}, o.durationMs);
    const m = await reg.manifest(target.repo, target.tag);
    // Push progress names layers by diff id, pull progress by blob digest. The config blob moves with every new image.
    const moved = m.configBytes + movedBytes(m, o.transferredIds, what === 'push' ? 'diff-id' : 'digest');
    const facts = await engine.inspectImage(target.ref);
    const fields = {
      transfer_bytes: moved, compressed_bytes: compressedBytes(m),
      image_id: facts?.id ?? '', image_bytes: facts?.sizeBytes ?? null, layers: facts?.layers ?? null,
    };
    const honesty = cold ? notAllMoved(what, moved, m, o.transferredIds.length) : '';
    return { ok: !honesty, error: honesty, durationMs: o.durationMs, fields, steps: [] };
  };

  // Every preparation starts from the image of the unchanged sources (`base`, its id).
  let base = '';
  const unchangedBuilt = async (): Promise<RegistryService> => {
    ws.restore();
    base = await ensureBuilt(ctx, slot);
    return ctx.services.registry();
  };
  // The source-changed image tagged for the registry (untimed): one an earlier phase left in `state` on the same
  // unchanged image (build-warm-src's, push-warm's), else built now.
  const changedTagged = async (reg: RegistryService, state: ChangedImageState): Promise<Pushed> => {
    const exists = async (id: string) => (await ctx.engine.inspectImage(id)) !== undefined;
    const reused = await ctx.state.changedImages.take(ws, slot.variant, state, base, exists);
    if (reused) return tagId(ctx, reg, slot, reused);
    ws.applySourceChange(changed());
    await ensureBuilt(ctx, slot);
    return tagFor(ctx, reg, slot, false);
  };
  // push-warm's image, now in the registry, is new to the pull target: pull-warm can pull it as it is.
  const handOn = (m: Measured): Measured => ctx.state.changedImages.offerMeasured(ws, slot.variant, 'pushed', m, base);

  let seq = 0;
  const changed = () => `stagebench ${ctx.runId} ${phase} ${++seq} ${Date.now()}`;

  switch (phase) {
    case 'push-cold':
      return {
        prepare: () => guard(async () => {
          const reg = await unchangedBuilt();
          await reg.reset();
          target = await tagFor(ctx, reg, slot, true);
        }),
        measure: measure('push', true),
      };
    case 'push-warm':
      return {
        prepare: () => guard(async () => {
          const reg = await unchangedBuilt();
          await pushUntimed(ctx, reg, await tagFor(ctx, reg, slot, false));
          target = await changedTagged(reg, 'built');
        }),
        measure: async () => handOn(await measure('push', false)()),
        after: async () => ws.restore(),
      };
    case 'pull-cold':
      return {
        prepare: () => guard(async () => {
          const reg = await unchangedBuilt();
          target = await tagFor(ctx, reg, slot, false);
          await pushUntimed(ctx, reg, target);
          await (await ctx.services.pullTarget()).empty();
        }),
        measure: measure('pull', true),
      };
    case 'pull-warm':
      return {
        prepare: () => guard(async () => {
          const reg = await unchangedBuilt();
          const dest = await ctx.services.pullTarget();
          const previous = await tagFor(ctx, reg, slot, false);
          await pushUntimed(ctx, reg, previous);
          const p = await dest.engine.pull(previous.ref, reg.auth, ctx.signal);
          if (!p.ok) throw new Error(`preparing: pull of the previous image failed: ${p.error}`);
          // Pushed again under the variant's tag: a reused image's layers are in the registry, so only its manifest moves.
          target = await changedTagged(reg, 'pushed');
          await pushUntimed(ctx, reg, target);
        }),
        measure: measure('pull', false),
        after: async () => ws.restore(),
      };
    default:
      throw new Error(`registryPhase: ${phase} is not a push or pull phase`);
  }
}
