// Does an image still serve the scenario's smoke request? Starts it with host networking on a free port
// (PORT and HOST, as scenario.json's contract says), asks until the answer is right or the time is up, removes it.
import { createServer } from 'node:net';
import type { Engine } from '../engine/engine.ts';
import type { SmokeSpec } from '../types.ts';

export type SmokeResult = { ok: true; ms: number } | { ok: false; error: string };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function ask(url: string, smoke: SmokeSpec): Promise<{ status: number; body: string } | { error: string }> {
  try {
    const res = await fetch(url, {
      method: smoke.method,
      ...(smoke.method === 'POST' ? { body: JSON.stringify(smoke.body ?? {}), headers: { 'content-type': 'application/json' } } : {}),
      signal: AbortSignal.timeout(5000),
    });
    return { status: res.status, body: await res.text() };
  } catch (err) {
    return { error: (err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message };
  }
}

export async function smokeTest(engine: Engine, image: string, smoke: SmokeSpec, containerName: string, labels: Record<string, string>): Promise<SmokeResult> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}${smoke.path}`;
  const t0 = performance.now();
  let id = '';
  try {
    id = await engine.startContainer({ image, name: containerName, env: [`PORT=${port}`, 'HOST=127.0.0.1'], labels });
    let last = 'no answer yet';
    while (performance.now() - t0 < smoke.timeout_ms) {
      const answer = await ask(url, smoke);
      if ('error' in answer) {
        last = answer.error;
      } else if (answer.status !== smoke.status) {
        last = `status ${answer.status}, expected ${smoke.status}`;
      } else if (smoke.contains !== undefined && !answer.body.includes(smoke.contains)) {
        last = `the body does not contain '${smoke.contains}': ${answer.body.slice(0, 200)}`;
      } else {
        return { ok: true, ms: performance.now() - t0 };
      }
      const state = await engine.containerState(id);
      if (!state.running) {
        const logs = await engine.containerLogs(id, 20);
        return { ok: false, error: `the container exited (code ${state.exitCode}) before answering ${smoke.method} ${smoke.path}:\n${logs.trim()}` };
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const logs = await engine.containerLogs(id, 20);
    return { ok: false, error: `no right answer to ${smoke.method} ${url} within ${smoke.timeout_ms} ms (last: ${last})${logs.trim() ? `; container log:\n${logs.trim()}` : ''}` };
  } catch (err) {
    return { ok: false, error: `could not start ${image}: ${(err as Error).message}` };
  } finally {
    if (id) await engine.removeContainer(id);
  }
}
