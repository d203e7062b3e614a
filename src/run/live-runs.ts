// Runs in progress on this machine: each run leaves a small record while it lives, so that `stagebench clean` can
// tell the leftovers of a killed run from a run still going, and a run can warn that another one shares its engine.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LiveRun {
  runId: string;
  pid: number;
  engine: string;
  started: string;
}

export function liveRunsDir(base = tmpdir()): string {
  return join(base, 'stagebench-runs');
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function registerRun(run: LiveRun, dir = liveRunsDir()): () => void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${run.runId}.json`);
  writeFileSync(file, JSON.stringify(run));
  return () => rmSync(file, { force: true });
}

/** Every recorded run, alive or not. */
export function recordedRuns(dir = liveRunsDir()): Array<LiveRun & { alive: boolean }> {
  if (!existsSync(dir)) return [];
  const out: Array<LiveRun & { alive: boolean }> = [];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    try {
      const run = JSON.parse(readFileSync(join(dir, name), 'utf8')) as LiveRun;
      out.push({ ...run, alive: isAlive(run.pid) });
    } catch {
      // A record half-written by a run killed at that moment says nothing; clean removes it.
      out.push({ runId: name.replace(/\.json$/, ''), pid: 0, engine: '', started: '', alive: false });
    }
  }
  return out;
}

export function forgetRun(runId: string, dir = liveRunsDir()): void {
  rmSync(join(dir, `${runId}.json`), { force: true });
}
