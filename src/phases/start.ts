// The run phase: time from container create until the smoke request answers as scenario.json expects.
// A container that exits, or never answers in time, is a failed sample with its last log lines.
import { LABEL_RUN, LABEL_SCENARIO, LABEL_VARIANT, ensureBuilt, imageRef } from './build.ts';
import { failed, Preparation, type Measured, type PhaseHandler, type RunContext, type SampleSlot } from './phase.ts';
import { freePort } from '../net/free-port.ts';
import type { SmokeSpec } from '../types.ts';

const POLL_MS = 20;
const LOG_LINES = 20;

export interface SmokeAnswer {
  ok: boolean;
  /** Why the answer is not the expected one; empty when ok. */
  reason: string;
}

/** Whether a response matches the smoke spec. Pure. */
export function checkSmoke(spec: SmokeSpec, status: number, body: string): SmokeAnswer {
  if (status !== spec.status) return { ok: false, reason: `answered ${status}, expected ${spec.status}: ${body.slice(0, 200)}` };
  if (spec.contains !== undefined && !body.includes(spec.contains)) {
    return { ok: false, reason: `answered ${status} without '${spec.contains}' in the body: ${body.slice(0, 200)}` };
  }
  return { ok: true, reason: '' };
}

async function request(spec: SmokeSpec, port: number, signal: AbortSignal): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${spec.path}`, {
    method: spec.method,
    ...(spec.method === 'POST' ? { body: JSON.stringify(spec.body ?? {}), headers: { 'content-type': 'application/json' } } : {}),
    signal: AbortSignal.any([signal, AbortSignal.timeout(2000)]),
  });
  return { status: res.status, body: await res.text() };
}

export function startPhase(ctx: RunContext, slot: SampleSlot): PhaseHandler {
  const spec = slot.scenario.smoke;
  const image = imageRef(slot.scenario.name, slot.variant).ref;
  const prep = new Preparation(ctx.signal);
  let container = '';
  let port = 0;
  let seq = 0;

  return {
    warmable: true,
    prepare: () => prep.run(async () => {
      slot.workspace.restore();
      await ensureBuilt(ctx, slot);
      port = await freePort();
    }),
    async measure(): Promise<Measured> {
      if (prep.error) return failed(prep.error);
      const facts = await ctx.engine.inspectImage(image);
      const fields = { image_id: facts?.id ?? '', image_bytes: facts?.sizeBytes ?? null, layers: facts?.layers ?? null };
      const deadline = Math.min(spec.timeout_ms, ctx.timeoutMs);
      const t0 = performance.now();
      container = await ctx.engine.startContainer({
        image,
        name: `stagebench-${ctx.runId}-${slot.scenario.name}-${slot.variant}-${++seq}`,
        env: [`PORT=${port}`, 'HOST=127.0.0.1'],
        labels: { [LABEL_RUN]: ctx.runId, [LABEL_SCENARIO]: slot.scenario.name, [LABEL_VARIANT]: slot.variant },
      });
      let last = 'no answer';
      while (performance.now() - t0 < deadline) {
        if (ctx.signal.aborted) throw ctx.signal.reason;
        try {
          const r = await request(spec, port, ctx.signal);
          const verdict = checkSmoke(spec, r.status, r.body);
          const ms = performance.now() - t0;
          if (verdict.ok) return { ok: true, error: '', durationMs: ms, fields, steps: [] };
          return failed(`smoke test failed: ${spec.method} ${spec.path} ${verdict.reason}${await logs(container)}`, fields, ms);
        } catch (err) {
          last = (err as Error).message;
        }
        const state = await ctx.engine.containerState(container);
        if (!state.running) {
          return failed(`the container exited with code ${state.exitCode} before answering ${spec.method} ${spec.path}${await logs(container)}`, fields, performance.now() - t0);
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
      return failed(`no answer to ${spec.method} ${spec.path} on port ${port} within ${Math.round(deadline / 1000)} s (last: ${last})${await logs(container)}`, fields, null);
    },
    async after() {
      if (container) await ctx.engine.removeContainer(container);
      container = '';
    },
  };

  async function logs(id: string): Promise<string> {
    const text = (await ctx.engine.containerLogs(id, LOG_LINES).catch(() => '')).trim();
    return text ? `\n  last log lines:\n  ${text.split('\n').slice(-LOG_LINES).join('\n  ')}` : '';
  }
}
