// Does an image still serve the scenario's smoke request? The run phase's own start-and-ask, with scenario.json's run
// env and port; the container is removed afterwards.
import type { Engine } from '../engine/engine.ts';
import { smokePort, startAndAsk } from '../phases/smoke.ts';
import type { RunSpec, SmokeSpec } from '../types.ts';

export type SmokeResult = { ok: true; ms: number } | { ok: false; error: string };

export async function smokeTest(
  engine: Engine, image: string, smoke: SmokeSpec, runSpec: RunSpec | undefined, containerName: string, labels: Record<string, string>,
): Promise<SmokeResult> {
  const run = await startAndAsk(engine, {
    image, name: containerName, labels, spec: smoke, run: runSpec, port: await smokePort(runSpec), timeoutMs: smoke.timeout_ms,
    signal: new AbortController().signal, pollMs: 100,
  });
  try {
    return run.ok && run.ms !== null ? { ok: true, ms: run.ms } : { ok: false, error: run.error };
  } finally {
    if (run.containerId) await engine.removeContainer(run.containerId);
  }
}
