// Setup and clean-up hooks whose failures show. uvu reports a before hook that throws as "0 passed" and exits 0, so a
// suite whose setup broke would look green: here the setup's error fails a test of its own instead.
import type { Test } from 'uvu';

/** Runs fn before the suite's tests; its error, if any, fails the test 'setup' (registered first). */
export function setupBefore(suite: Test, fn: () => Promise<void> | void): void {
  let error: unknown;
  suite.before(async () => {
    try {
      await fn();
    } catch (err) {
      error = err;
    }
  });
  suite('setup', () => {
    if (error !== undefined) throw error;
  });
}

/** Runs fn after the suite; a clean-up that fails is printed, not hidden, and does not touch the results. */
export function cleanupAfter(suite: Test, fn: () => Promise<void> | void): void {
  suite.after(async () => {
    try {
      await fn();
    } catch (err) {
      console.error(`clean-up failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    }
  });
}
