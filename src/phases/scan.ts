// The scan phase: the image's vulnerability and content scan, timed; counts into the row, findings kept; and, untimed
// after it, where the image's bytes go (explain's categories), for composition.csv.
import { explainImage } from '../explain/explain.ts';
import { compositionRows } from '../explain/format.ts';
import { readImage } from '../explain/read-image.ts';
import type { SavedImage } from '../scan/builtin/saved-image.ts';
import { vulnCounts } from '../scan/severity.ts';
import { imageRef } from '../engine/labels.ts';
import type { CompositionRow } from '../types.ts';
import { ensureBuilt } from './build.ts';
import { failed, Preparation, type Measured, type PhaseHandler, type RunContext, type SampleSlot } from './phase.ts';

/**
 * The image's bytes by category. The built-in scanner hands over the image it read; after trivy or grype the image
 * is read once more from the engine's export. A composition that cannot be made is a note, not a failed scan.
 */
async function composition(ctx: RunContext, slot: SampleSlot, image: string, read: SavedImage | undefined, signal: AbortSignal): Promise<CompositionRow[] | undefined> {
  try {
    const saved = read ?? (await readImage(ctx.engine, image, signal));
    return compositionRows(explainImage(image, saved), slot.scenario.name, slot.variant);
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    ctx.log(`${slot.scenario.name} ${slot.variant}: composition.csv has no rows for ${image}: ${(err as Error).message}`);
    return undefined;
  }
}

export function scanPhase(ctx: RunContext, slot: SampleSlot): PhaseHandler {
  const prep = new Preparation(ctx.signal);
  const image = imageRef(slot.scenario.name, slot.variant).ref;
  // Every sample scans the same image: its composition is made once and goes with each sample (the writer keeps
  // one set of rows per variant; warm-up samples are not recorded).
  let bytes: CompositionRow[] | undefined;
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
      let read: SavedImage | undefined;
      try {
        const result = await scanner.scan(image, signal, (saved) => {
          read = saved;
        });
        const durationMs = performance.now() - t0;
        const { vulns_critical, vulns_high, vulns_medium, vulns_low } = vulnCounts(result);
        const fields = { ...base, vulns_critical, vulns_high, vulns_medium, vulns_low, packages_os: result.packages_os, packages_npm: result.packages_npm };
        // After the clock stopped: the sample's duration is the scan's alone.
        bytes ??= await composition(ctx, slot, image, read, signal);
        return { ok: true, error: '', durationMs, fields, steps: [], scan: result, ...(bytes ? { composition: bytes } : {}) };
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        if (timeout.aborted) return failed(`timed out after ${Math.round(ctx.timeoutMs / 1000)} s (--timeout); the scan was stopped`, base, performance.now() - t0);
        return failed(`scan failed: ${(err as Error).message}`, base, performance.now() - t0);
      }
    },
  };
}
