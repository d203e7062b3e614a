// Does an image still serve the scenario's smoke request? Starts it with host networking on a free port
// (PORT and HOST, as scenario.json's contract says), asks until it answers or the time is up, removes it.
// The answer is judged by the run phase's own checkSmoke, so tune and `stagebench run` agree on what passes.
import type { Engine } from '../engine/engine.ts';
import { freePort } from '../net/free-port.ts';
import { checkSmoke } from '../phases/start.ts';
import type { SmokeSpec } from '../types.ts';

export type SmokeResult = { ok: true; ms: number } | { ok: false; error: string };

async function ask(port: number, smoke: SmokeSpec): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${smoke.path}`, {
    method: smoke.method,
    ...(smoke.method === 'POST' ? { body: JSON.stringify(smoke.body ?? {}), headers: { 'content-type': 'application/json' } } : {}),
    signal: AbortSignal.timeout(5000),
  });
  return { status: res.status, body: await res.text() };
}

async function logTail(engine: Engine, id: string): Promise<string> {
  const text = (await engine.containerLogs(id, 20)).trim();
  return text ? `; container log:\n${text}` : '';
}

export async function smokeTest(engine: Engine, image: string, smoke: SmokeSpec, containerName: string, labels: Record<string, string>): Promise<SmokeResult> {
  const port = await freePort();
  const t0 = performance.now();
  let id = '';
  try {
    id = await engine.startContainer({ image, name: containerName, env: [`PORT=${port}`, 'HOST=127.0.0.1'], labels });
    let last = 'no answer';
    while (performance.now() - t0 < smoke.timeout_ms) {
      try {
        const answer = await ask(port, smoke);
        const verdict = checkSmoke(smoke, answer.status, answer.body);
        if (verdict.ok) return { ok: true, ms: performance.now() - t0 };
        return { ok: false, error: `${smoke.method} ${smoke.path} ${verdict.reason}${await logTail(engine, id)}` };
      } catch (err) {
        // Not listening yet: connection refused until the app is up.
        last = (err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message;
      }
      const state = await engine.containerState(id);
      if (!state.running) {
        return { ok: false, error: `the container exited (code ${state.exitCode}) before answering ${smoke.method} ${smoke.path}${await logTail(engine, id)}` };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return { ok: false, error: `no answer to ${smoke.method} ${smoke.path} on port ${port} within ${smoke.timeout_ms} ms (last: ${last})${await logTail(engine, id)}` };
  } catch (err) {
    return { ok: false, error: `could not start ${image}: ${(err as Error).message}` };
  } finally {
    if (id) await engine.removeContainer(id);
  }
}
