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

/**
 * Temp folders of one test file, removed by that file alone. uvu imports every test file before it runs the first
 * suite, and removeTempDirs() above removes every folder any file made: a folder made at import
 * time is gone when another suite's after hook has run. So a file makes its folders in its tests, with this.
 */
export class Folders {
  private readonly made: string[] = [];

  /** A fresh empty folder /tmp/stagebench-test-LABEL-xxxxxx (or PREFIX-xxxxxx for an absolute prefix). */
  make(label: string): string {
    const dir = mkdtempSync(label.startsWith('/') ? `${label}-` : join(tmpdir(), `stagebench-test-${label}-`));
    this.made.push(dir);
    return dir;
  }

  remove(): void {
    for (const dir of this.made.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}
