// The run phase: time from container create until the smoke request answers as scenario.json expects.
// A container that exits, or never answers within a timeout, is a failed sample with its last log lines. The app's
// service containers (run.services) are started in the untimed preparation, so its start-up never includes theirs.
import { LABEL_RUN, LABEL_SCENARIO, LABEL_VARIANT, imageRef } from '../engine/labels.ts';
import { appEnv } from '../scenario/services.ts';
import type { UpServices } from '../sidecars/service-containers.ts';
import { ensureBuilt } from './build.ts';
import { failed, Preparation, type Measured, type PhaseHandler, type RunContext, type SampleSlot } from './phase.ts';
import { smokePort, startAndAsk } from './smoke.ts';

export { checkSmoke } from './smoke.ts';

export function startPhase(ctx: RunContext, slot: SampleSlot): PhaseHandler {
  const image = imageRef(slot.scenario.name, slot.variant).ref;
  const prep = new Preparation(ctx.signal);
  const hasServices = Object.keys(slot.scenario.run?.services ?? {}).length > 0;
  let container = '';
  let port = 0;
  let seq = 0;
  let services: UpServices | undefined;

  return {
    prepare: () => prep.run(async () => {
      slot.workspace.restore();
      await ensureBuilt(ctx, slot);
      port = await smokePort(slot.scenario.run);
      if (hasServices) {
        if (!ctx.serviceContainers) throw new Error('scenario.json run.services: this run starts no service containers');
        services = await ctx.serviceContainers.up(slot.scenario, slot.variant);
      }
    }),
    async measure(): Promise<Measured> {
      if (prep.error) return failed(prep.error);
      const facts = await ctx.engine.inspectImage(image);
      const fields = { image_id: facts?.id ?? '', image_bytes: facts?.sizeBytes ?? null, layers: facts?.layers ?? null };
      const run = slot.scenario.run && services ? { ...slot.scenario.run, env: appEnv(slot.scenario.run.env, services.ports) } : slot.scenario.run;
      const answer = await startAndAsk(ctx.engine, {
        image,
        name: `stagebench-${ctx.runId}-${slot.scenario.name}-${slot.variant}-${++seq}`,
        labels: { [LABEL_RUN]: ctx.runId, [LABEL_SCENARIO]: slot.scenario.name, [LABEL_VARIANT]: slot.variant },
        spec: slot.scenario.smoke,
        run,
        port,
        ...(services ? { extraHosts: services.hosts } : {}),
        timeoutMs: Math.min(slot.scenario.smoke.timeout_ms, ctx.timeoutMs),
        signal: ctx.signal,
      });
      container = answer.containerId;
      return answer.ok ? { ok: true, error: '', durationMs: answer.ms, fields, steps: [] } : failed(answer.error, fields, answer.ms);
    },
    async after() {
      if (container) await ctx.engine.removeContainer(container);
      container = '';
      if (hasServices) await ctx.serviceContainers?.afterSample(slot.scenario, slot.variant);
    },
  };
}
