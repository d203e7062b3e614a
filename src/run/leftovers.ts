// What a killed run (kill -9) can leave behind, and how to remove it: containers and images labelled with its run
// id, an embedded registry, npm proxy or deploy-target engine still running, their private folders, and its
// workspace copies.
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../engine/engine.ts';
import { LABEL_RUN } from '../engine/labels.ts';
import { MADE_RUN_ID } from '../results/run-id.ts';
import { unmountUnder } from '../tools/mounts.ts';
import { isAlive, recordedRuns, forgetRun } from './live-runs.ts';
import { PID_FILE } from '../npm-proxy/verdaccio.ts';

// stagebench-registry-RUNID-xxxxxx, stagebench-target-RUNID-xxxxxx, stagebench-npm-RUNID-xxxxxx (the npm proxy's
// config, storage, log and pid file), stagebench-RUNID-xxxxxx (workspaces).
const FOLDER = new RegExp(`^stagebench-(?:(registry|target|npm)-)?(${MADE_RUN_ID})-[A-Za-z0-9]{6}$`);

export interface Leftover {
  kind: 'container' | 'image' | 'process' | 'folder' | 'record';
  what: string;
  runId: string;
}

/** Folders of runs in tmpdir, by run id. Pure over the names. */
export function runFolders(names: string[]): Array<{ name: string; runId: string; kind: string }> {
  return names.flatMap((name) => {
    const m = FOLDER.exec(name);
    return m ? [{ name, runId: m[2], kind: m[1] ?? 'workspace' }] : [];
  });
}

/**
 * Whether a run folder is one of this user's own: a real folder (not a link), owned by this user, mode 0700 (as
 * mkdtemp makes it). Anyone can make a folder of that name in a shared temp folder, with a pid file naming another
 * process in it: clean stops processes and removes folders only for folders nobody else could have written.
 */
export function ownPrivateFolder(path: string, uid = process.getuid?.()): boolean {
  try {
    const st = lstatSync(path);
    return st.isDirectory() && (uid === undefined || st.uid === uid) && (st.mode & 0o777) === 0o700;
  } catch {
    return false;
  }
}

/** Processes whose command line names one of the folders (a registry's config, a dockerd's data root). */
function processesUsing(folders: string[]): Array<{ pid: number; cmd: string }> {
  const out: Array<{ pid: number; cmd: string }> = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {
      continue;
    }
    if (Number(pid) !== process.pid && folders.some((f) => cmd.includes(f))) out.push({ pid: Number(pid), cmd });
  }
  return out;
}

/**
 * The npm proxies of the folders: Verdaccio renames its process, so its command line does not name its folder; its
 * pid file does. A pid taken by another process since (not a verdaccio) is left alone.
 */
function recordedProxies(folders: Array<{ path: string; kind: string }>): Array<{ pid: number; cmd: string }> {
  return folders.filter((f) => f.kind === 'npm').flatMap((f) => {
    try {
      const pid = Number(readFileSync(join(f.path, PID_FILE), 'utf8').trim());
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      return Number.isInteger(pid) && pid > 0 && /verdaccio/.test(cmd) ? [{ pid, cmd: `${cmd} (npm proxy of ${f.path})` }] : [];
    } catch {
      return [];
    }
  });
}

async function stopProcess(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

/**
 * Removes what runs that are no longer alive left behind. `dryRun` only lists it. Runs still alive are left alone:
 * their records name their process.
 */
export async function cleanLeftovers(engine: Engine | undefined, opts: { dryRun: boolean; keepImages?: boolean; base?: string }): Promise<Leftover[]> {
  const base = opts.base ?? tmpdir();
  const alive = new Set(recordedRuns().filter((r) => r.alive).map((r) => r.runId));
  const found: Leftover[] = [];
  if (engine) {
    // Containers first: an image in use by one cannot go.
    const objects = (await engine.labelled(LABEL_RUN)).filter((o) => !alive.has(o.value) && !(opts.keepImages && o.kind === 'image'));
    for (const o of objects.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'container' ? -1 : 1))) {
      const id = o.id.replace(/^sha256:/, '').slice(0, 12);
      found.push({ kind: o.kind, what: o.name ? `${id} ${o.name}` : id, runId: o.value });
      if (opts.dryRun) continue;
      if (o.kind === 'container') await engine.removeContainer(o.id);
      else await engine.removeImage(o.id);
    }
  }
  const inBase = (b: string) => (existsSync(b) ? runFolders(readdirSync(b)).map((f) => ({ ...f, path: join(b, f.name) })).filter((f) => ownPrivateFolder(f.path)) : []);
  // A run whose temp folder's path is too long for the deploy-target engine's sockets puts that engine's folder in
  // /tmp (registry/target-engine.ts). Only those of this temp folder's own recorded runs are taken there: other
  // folders in /tmp belong to runs recorded elsewhere, which may be alive.
  const mine = new Set(recordedRuns().map((r) => r.runId));
  const elsewhere = opts.base || base === '/tmp' ? [] : inBase('/tmp').filter((f) => mine.has(f.runId));
  const folders = [...inBase(base), ...elsewhere].filter((f) => !alive.has(f.runId));
  const paths = folders.map((f) => f.path);
  for (const p of [...processesUsing(paths), ...recordedProxies(folders)]) {
    found.push({ kind: 'process', what: `${p.pid} ${p.cmd.slice(0, 120)}`, runId: '' });
    if (!opts.dryRun) await stopProcess(p.pid);
  }
  for (const f of folders) {
    const path = f.path;
    found.push({ kind: 'folder', what: path, runId: f.runId });
    if (!opts.dryRun) {
      await unmountUnder(path);
      rmSync(path, { recursive: true, force: true });
    }
  }
  for (const r of recordedRuns().filter((x) => !x.alive)) {
    found.push({ kind: 'record', what: `run ${r.runId} (pid ${r.pid}, gone)`, runId: r.runId });
    if (!opts.dryRun) forgetRun(r.runId);
  }
  return found;
}
