// Temporary folders for tests: each one made under the system's temp folder, and removed by removeTempDirs().
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

/** A fresh empty folder, e.g. /tmp/stagebench-test-LABEL-Xy12Ab. */
export function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `stagebench-test-${label}-`));
  made.push(dir);
  return dir;
}

/**
 * Removes every folder tempDir() made in this process. uvu imports every test file before it runs any suite, and a
 * suite's cleanup calls this: make folders inside tests, never at import time.
 */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
