// Cold and warm samples are honest only while nobody else builds on the engine: another run's cold sample empties
// the shared build cache, and its builds share vertices with ours. Before a run whose figures a test checks, wait
// (a while, not for ever) until no other stagebench run is registered as alive on this machine.
import { recordedRuns } from '../../src/run/live-runs.ts';

/** Waits until no other live run is recorded, or maxMs passed; returns the run ids still going (empty when quiet). */
export async function waitForOtherRuns(maxMs = 10 * 60_000, pollMs = 5_000): Promise<string[]> {
  const end = Date.now() + maxMs;
  for (;;) {
    const others = recordedRuns().filter((r) => r.alive && r.pid !== process.pid).map((r) => r.runId);
    if (others.length === 0 || Date.now() >= end) return others;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
