// Runs in progress on this machine: each run leaves a small record while it lives, so that `stagebench clean` can
// tell the leftovers of a killed run from a run still going, and a run can warn that another one shares its engine.
// The records live in a folder of this user's own under the shared temp folder: another user must not be able to
// plant a record, a link or a folder there that makes a run write, or `clean` delete, anything of theirs choosing.
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync, chmodSync, constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError } from '../errors.ts';

export interface LiveRun {
  runId: string;
  pid: number;
  engine: string;
  started: string;
}

/** A run id as the harness makes them (run and tune ids); anything else is not a record's name. */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function uid(): number {
  return typeof process.getuid === 'function' ? process.getuid() : 0;
}

export function liveRunsDir(base = tmpdir()): string {
  return join(base, `stagebench-runs-${uid()}`);
}

/**
 * The records folder, made private (0700) if it is missing; refused if it is a link, not a folder, or another
 * user's. An existing folder of ours with wider permissions is narrowed.
 */
function privateDir(dir: string, create: boolean): boolean {
  if (create) {
    try {
      mkdirSync(dir, { mode: 0o700 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new EnvironmentError(`cannot make the live-runs folder ${dir}: ${(err as Error).message}`);
    }
  }
  let st;
  try {
    st = lstatSync(dir);
  } catch {
    return false;
  }
  if (st.isSymbolicLink() || !st.isDirectory() || st.uid !== uid()) {
    throw new EnvironmentError(
      `${dir} should be a private folder of this user (uid ${uid()}), but it is ${st.isSymbolicLink() ? 'a symbolic link' : !st.isDirectory() ? 'not a folder' : `owned by uid ${st.uid}`}. ` +
        'Someone else may have made it: remove it (or set TMPDIR to a folder of your own) and run again.',
    );
  }
  if ((st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  return true;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function recordFile(dir: string, runId: string): string {
  if (!RUN_ID.test(runId)) throw new Error(`not a run id: ${JSON.stringify(runId)}`);
  return join(dir, `${runId}.json`);
}

export function registerRun(run: LiveRun, dir = liveRunsDir()): () => void {
  privateDir(dir, true);
  const file = recordFile(dir, run.runId);
  // Exclusive and without following links: a file or link already there is not ours to write through.
  let fd: number;
  try {
    fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  } catch (err) {
    throw new EnvironmentError(`cannot record run ${run.runId} in ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}. Remove that file if no such run is going on ('stagebench clean').`);
  }
  try {
    writeSync(fd, JSON.stringify(run));
  } finally {
    closeSync(fd);
  }
  return () => rmSync(file, { force: true });
}

/** Every recorded run, alive or not. The run id is the record's file name; its content only gives pid and engine. */
export function recordedRuns(dir = liveRunsDir()): Array<LiveRun & { alive: boolean }> {
  if (!privateDir(dir, false)) return [];
  const out: Array<LiveRun & { alive: boolean }> = [];
  for (const name of readdirSync(dir)) {
    const runId = name.replace(/\.json$/, '');
    if (!name.endsWith('.json') || !RUN_ID.test(runId)) continue;
    const file = join(dir, name);
    let record: Partial<LiveRun> = {};
    try {
      const parsed: unknown = lstatSync(file).isFile() ? JSON.parse(readFileSync(file, 'utf8')) : {};
      if (typeof parsed === 'object' && parsed !== null) record = parsed as Partial<LiveRun>;
    } catch {
      // A record half-written by a run killed at that moment says nothing; clean removes it.
    }
    const pid = Number.isInteger(record.pid) && (record.pid as number) > 0 ? (record.pid as number) : 0;
    out.push({
      runId,
      pid,
      engine: typeof record.engine === 'string' ? record.engine : '',
      started: typeof record.started === 'string' ? record.started : '',
      alive: pid > 0 && isAlive(pid),
    });
  }
  return out;
}

export function forgetRun(runId: string, dir = liveRunsDir()): void {
  rmSync(recordFile(dir, runId), { force: true });
}
