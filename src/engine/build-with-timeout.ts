// A build with a time limit (--timeout of run and tune): a hung build is aborted and fails with the reason, instead
// of holding the run forever. The one wrapper the build phases and tune share.
import type { BuildOutcome, BuildRequest, Engine } from './engine.ts';

export async function buildWithTimeout(engine: Engine, req: BuildRequest, timeoutMs: number, signal: AbortSignal): Promise<BuildOutcome> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const outcome = await engine.build({ ...req, signal: AbortSignal.any([signal, timeout]) });
  if (!outcome.ok && timeout.aborted) {
    return { ...outcome, error: `timed out after ${Math.round(timeoutMs / 1000)} s (--timeout); the build was aborted`, reason: 'timeout' };
  }
  return outcome;
}
