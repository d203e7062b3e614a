// build-ci and build-ci-src: a fresh CI runner (no build cache, no image of the scenario, base images present) whose
// build imports the layer cache from the run's registry (docs/ARCHITECTURE.md).
import { buildWithTimeout } from '../engine/build-with-timeout.ts';
import type { BuildOutcome, BuildRequest } from '../engine/engine.ts';
import type { PhaseName } from '../types.ts';
import { imageRef, LABEL_SCENARIO } from '../engine/labels.ts';
import { buildRequest, removeScenarioImages } from './build.ts';
import { ChangeCauses } from '../why/in-run.ts';
import { failed, Preparation, withCauses, type Measured, type PhaseHandler, type RunContext, type SampleSlot } from './phase.ts';

/**
 * The build arg that makes BuildKit write its cache metadata into the image config (inline cache, "min" mode: only
 * the final stage's steps). The Engine API's /build can export no other cache (see CI_CACHE_REGISTRY_UNSUPPORTED).
 */
export const INLINE_CACHE_ARG = { BUILDKIT_INLINE_CACHE: '1' } as const;

/** A build request that writes inline cache metadata and, given `cacheFrom`, imports it. */
export function ciBuildRequest(base: BuildRequest, cacheFrom: string[] = []): BuildRequest {
  return { ...base, buildArgs: { ...base.buildArgs, ...INLINE_CACHE_ARG }, ...(cacheFrom.length ? { cacheFrom } : {}) };
}

/** Why the runner is not fresh, or '' when it is: a local build cache or image would serve steps the registry should. */
export function notFresh(state: { cacheRecords: number; cacheBytes: number; scenarioImages: number }): string {
  const parts: string[] = [];
  if (state.cacheRecords > 0) parts.push(`${state.cacheRecords} build cache records (${state.cacheBytes} bytes)`);
  if (state.scenarioImages > 0) parts.push(`${state.scenarioImages} images of the scenario`);
  return parts.length ? `not a fresh runner: the engine held ${parts.join(' and ')} before the build` : '';
}

function uncachedList(o: BuildOutcome): string {
  return o.steps.filter((s) => !s.cached).map((s) => `${s.label} ${s.instruction}`).join('; ');
}

export function ciPhase(ctx: RunContext, slot: SampleSlot, phase: PhaseName): PhaseHandler {
  if (phase !== 'build-ci' && phase !== 'build-ci-src') throw new Error(`ciPhase: ${phase} is not a CI phase`);
  const ws = slot.workspace;
  const prep = new Preparation(ctx.signal);
  let cacheRef = '';
  let freshness = '';
  const base = () => buildRequest({ ...ctx, scenario: slot.scenario, variant: slot.variant, contextDir: ws.dir, signal: ctx.signal });
  const causes = new ChangeCauses(() => ciBuildRequest(base()));

  return {
    prepare: (i) =>
      prep.run(async () => {
        ws.restore();
        // The previous pipeline's build: the unchanged sources, with inline cache metadata, pushed to the registry.
        const built = await ctx.engine.build(ciBuildRequest(base()));
        if (!built.ok) throw new Error(`preparing ${slot.scenario.name}/${slot.variant}: the build to push as cache failed: ${built.error}`);
        const reg = await ctx.services.registry();
        const repo = reg.repository(slot.scenario.name, false);
        const tag = `${slot.variant}-ci`;
        await ctx.engine.tagImage(imageRef(slot.scenario.name, slot.variant).ref, `${reg.prefix}/${repo}`, tag);
        cacheRef = `${reg.prefix}/${repo}:${tag}`;
        const pushed = await ctx.engine.push(cacheRef, reg.auth, ctx.signal);
        if (!pushed.ok) throw new Error(`preparing: push of ${cacheRef} failed: ${pushed.error}`);
        if (phase === 'build-ci-src') {
          causes.beforeChange();
          ws.applySourceChange(`stagebench ${ctx.runId} ci ${i} ${Date.now()}`);
          causes.afterChange();
        }
        // A fresh runner: nothing of the scenario and no build cache; base images stay, as a runner's image cache holds them.
        await removeScenarioImages(ctx.engine, slot.scenario.name);
        await ctx.engine.removeImage(cacheRef);
        await ctx.engine.pruneBuildCache();
        const usage = await ctx.engine.buildCacheUsage();
        const images = await ctx.engine.imagesWithLabels({ [LABEL_SCENARIO]: slot.scenario.name });
        freshness = notFresh({ cacheRecords: usage.records, cacheBytes: usage.bytes, scenarioImages: images.length });
      }),
    measure: async (): Promise<Measured> => {
      if (prep.error) return failed(prep.error);
      if (freshness) return failed(freshness);
      const o = await buildWithTimeout(ctx.engine, ciBuildRequest(base(), [cacheRef]), ctx.timeoutMs, ctx.signal);
      const fields = {
        context_bytes: o.contextBytes,
        steps: o.steps.length,
        cached_steps: o.steps.filter((s) => s.cached).length,
        transfer_bytes: o.pulledBytes ?? null,
      };
      if (!o.ok) {
        return { ok: false, error: `build failed: ${o.error}`, durationMs: o.durationMs, fields, steps: o.steps };
      }
      const facts = await ctx.engine.inspectImage(o.imageId);
      const rebuilt = uncachedList(o);
      if (rebuilt) ctx.log(`${slot.scenario.name}/${slot.variant} ${phase}: rebuilt on the fresh runner: ${rebuilt}`);
      return withCauses({
        ok: true,
        error: '',
        durationMs: o.durationMs,
        fields: { ...fields, image_id: o.imageId, image_bytes: facts?.sizeBytes ?? null, layers: facts?.layers ?? null },
        steps: o.steps,
      }, causes, ctx.log);
    },
    after: async () => ws.restore(),
  };
}
