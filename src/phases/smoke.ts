// Starting an image and asking it the scenario's smoke request: the run phase times it, tune uses it to check that a
// candidate still works. One loop, one judgement, so both agree on what passes.
import type { Engine } from '../engine/engine.ts';
import { freePort } from '../net/free-port.ts';
import type { RunSpec, SmokeSpec } from '../types.ts';

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

/** The port the smoke request goes to: the scenario's fixed run.port, else a free one the harness passes as PORT. */
export async function smokePort(run: RunSpec | undefined): Promise<number> {
  return run?.port ?? (await freePort());
}

/**
 * The container's environment: scenario.json's run.env, HOST=127.0.0.1 unless it sets HOST, and PORT unless the app
 * listens on a fixed run.port (the harness's PORT wins over run.env's, or the smoke request would go elsewhere). Pure.
 */
export function containerEnv(port: number, run: RunSpec | undefined): string[] {
  const env: Record<string, string> = { HOST: '127.0.0.1', ...run?.env };
  if (run?.port === undefined) env.PORT = String(port);
  return Object.entries(env).map(([k, v]) => `${k}=${v}`);
}

export interface SmokeRun {
  ok: boolean;
  error: string;
  /** From container create until the expected answer; null when it never came. */
  ms: number | null;
  /** The container, still there: the caller removes it (untimed). '' when it could not be created. */
  containerId: string;
}

export interface SmokeRequest {
  image: string;
  name: string;
  labels: Record<string, string>;
  spec: SmokeSpec;
  /** scenario.json's run section: environment and fixed port. */
  run?: RunSpec;
  port: number;
  /** The app's extra host entries: its services' names on 127.0.0.1. */
  extraHosts?: string[];
  timeoutMs: number;
  signal: AbortSignal;
  pollMs?: number;
  logLines?: number;
}

/**
 * Creates and starts the container (host networking, the environment of containerEnv) and asks until it answers as the spec
 * expects, it exits, or the time is up; failures carry the container's last log lines.
 */
export async function startAndAsk(engine: Engine, r: SmokeRequest): Promise<SmokeRun> {
  const logs = async (id: string) => {
    const text = (await engine.containerLogs(id, r.logLines ?? 20).catch(() => '')).trim();
    return text ? `\n  last log lines:\n  ${text.split('\n').join('\n  ')}` : '';
  };
  const what = `${r.spec.method} ${r.spec.path}`;
  const t0 = performance.now();
  let id = '';
  try {
    id = await engine.startContainer({ image: r.image, name: r.name, env: containerEnv(r.port, r.run), labels: r.labels, ...(r.extraHosts?.length ? { extraHosts: r.extraHosts } : {}) });
  } catch (err) {
    return { ok: false, error: `could not start ${r.image}: ${(err as Error).message}`, ms: null, containerId: '' };
  }
  let last = 'no answer';
  while (performance.now() - t0 < r.timeoutMs) {
    if (r.signal.aborted) throw r.signal.reason;
    try {
      const answer = await request(r.spec, r.port, r.signal);
      const ms = performance.now() - t0;
      const verdict = checkSmoke(r.spec, answer.status, answer.body);
      if (verdict.ok) return { ok: true, error: '', ms, containerId: id };
      return { ok: false, error: `smoke test failed: ${what} ${verdict.reason}${await logs(id)}`, ms, containerId: id };
    } catch (err) {
      if (r.signal.aborted) throw r.signal.reason;
      // Not listening yet: the connection is refused until the app is up.
      const e = err as Error;
      last = e.cause instanceof Error ? e.cause.message : e.message;
    }
    const state = await engine.containerState(id);
    if (!state.running) {
      return { ok: false, error: `the container exited with code ${state.exitCode} before answering ${what}${await logs(id)}`, ms: performance.now() - t0, containerId: id };
    }
    await new Promise((res) => setTimeout(res, r.pollMs ?? 20));
  }
  return { ok: false, error: `no answer to ${what} on port ${r.port} within ${Math.round(r.timeoutMs / 1000)} s (last: ${last})${await logs(id)}`, ms: null, containerId: id };
}
