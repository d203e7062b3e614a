// The scan phase: the image's vulnerability and content scan, timed; counts into the row, findings kept.
import { vulnCounts } from '../scan/severity.ts';
import { imageRef } from '../engine/labels.ts';
import { ensureBuilt } from './build.ts';
import { failed, Preparation, type Measured, type PhaseHandler, type RunContext, type SampleSlot } from './phase.ts';

export function scanPhase(ctx: RunContext, slot: SampleSlot): PhaseHandler {
  const prep = new Preparation(ctx.signal);
  const image = imageRef(slot.scenario.name, slot.variant).ref;
  return {
    prepare: () => prep.run(async () => {
      slot.workspace.restore();
      await ensureBuilt(ctx, slot);
      // Started (and its database loaded) before any timing.
      await ctx.services.scanner();
    }),
    async measure(): Promise<Measured> {
      if (prep.error) return failed(prep.error);
      const scanner = await ctx.services.scanner();
      const facts = await ctx.engine.inspectImage(image);
      const base = { image_id: facts?.id ?? '', image_bytes: facts?.sizeBytes ?? null, layers: facts?.layers ?? null, scanner: scanner.name };
      // The scan has the per-sample limit a build has, and stops on Ctrl-C: a tool is killed, the reader stops.
      const timeout = AbortSignal.timeout(ctx.timeoutMs);
      const signal = AbortSignal.any([ctx.signal, timeout]);
      const t0 = performance.now();
      try {
        const result = await scanner.scan(image, signal);
        const durationMs = performance.now() - t0;
        const { vulns_critical, vulns_high, vulns_medium, vulns_low } = vulnCounts(result);
        const fields = { ...base, vulns_critical, vulns_high, vulns_medium, vulns_low, packages_os: result.packages_os, packages_npm: result.packages_npm };
        return { ok: true, error: '', durationMs, fields, steps: [], scan: result };
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        if (timeout.aborted) return failed(`timed out after ${Math.round(ctx.timeoutMs / 1000)} s (--timeout); the scan was stopped`, base, performance.now() - t0);
        return failed(`scan failed: ${(err as Error).message}`, base, performance.now() - t0);
      }
    },
  };
}
