// The run phase: time from container create until the smoke request answers as scenario.json expects.
// A container that exits, or never answers within a timeout, is a failed sample with its last log lines.
import { LABEL_RUN, LABEL_SCENARIO, LABEL_VARIANT, imageRef } from '../engine/labels.ts';
import { ensureBuilt } from './build.ts';
import { failed, Preparation, type Measured, type PhaseHandler, type RunContext, type SampleSlot } from './phase.ts';
import { smokePort, startAndAsk } from './smoke.ts';

export { checkSmoke } from './smoke.ts';

export function startPhase(ctx: RunContext, slot: SampleSlot): PhaseHandler {
  const image = imageRef(slot.scenario.name, slot.variant).ref;
  const prep = new Preparation(ctx.signal);
  let container = '';
  let port = 0;
  let seq = 0;

  return {
    prepare: () => prep.run(async () => {
      slot.workspace.restore();
      await ensureBuilt(ctx, slot);
      port = await smokePort(slot.scenario.run);
    }),
    async measure(): Promise<Measured> {
      if (prep.error) return failed(prep.error);
      const facts = await ctx.engine.inspectImage(image);
      const fields = { image_id: facts?.id ?? '', image_bytes: facts?.sizeBytes ?? null, layers: facts?.layers ?? null };
      const run = await startAndAsk(ctx.engine, {
        image,
        name: `stagebench-${ctx.runId}-${slot.scenario.name}-${slot.variant}-${++seq}`,
        labels: { [LABEL_RUN]: ctx.runId, [LABEL_SCENARIO]: slot.scenario.name, [LABEL_VARIANT]: slot.variant },
        spec: slot.scenario.smoke,
        run: slot.scenario.run,
        port,
        timeoutMs: Math.min(slot.scenario.smoke.timeout_ms, ctx.timeoutMs),
        signal: ctx.signal,
      });
      container = run.containerId;
      return run.ok ? { ok: true, error: '', durationMs: run.ms, fields, steps: [] } : failed(run.error, fields, run.ms);
    },
    async after() {
      if (container) await ctx.engine.removeContainer(container);
      container = '';
    },
  };
}
