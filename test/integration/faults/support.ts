// Helpers of the fault tests: the harness as a process of its own (so that a signal reaches stagebench itself, not
// npx), polling, and what a run can leave behind (labelled objects, processes, folders, its live-run record).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, cliCommand } from '../../support/cli.ts';
import { DOCKER } from '../../support/docker.ts';
import { spawnCaptured } from '../../support/spawn.ts';
import { makeScenario, uniqueToken } from '../../support/scenario-folder.ts';
import { liveRunsDir } from '../../../src/run/live-runs.ts';

export const LABEL = 'org.stagebench.run';

export { Folders } from '../../support/temp-dir.ts';

export interface Harness {
  child: ChildProcess;
  pid: number;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
}

/**
 * `node dist/cli.js ARGS` (the compiled CLI): the pid is stagebench's own. `group` puts it in a process group of its own,
 * as a shell does with a foreground job, so that a test can signal the whole group as a terminal's Ctrl-C does.
 */
export function startHarness(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; group?: boolean } = {}): Harness {
  const child = spawn(...cliCommand(args), {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.group === true,
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  // A failed spawn rejects `exited`; a test that never waits on it must not crash the process for it.
  exited.catch(() => undefined);
  return { child, pid: child.pid!, exited, stdout: () => out, stderr: () => err };
}

/** The exit, or a failure naming what the harness printed when it takes longer than `ms`. */
export async function exitOf(h: Harness, ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`stagebench (pid ${h.pid}) did not exit within ${ms / 1000} s\nstderr:\n${h.stderr()}`)), ms);
  });
  try {
    return await Promise.race([h.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Kills a harness a test gave up on, and its process group when it has one. */
export function killHarness(h: Harness | undefined): void {
  if (!h || h.child.exitCode !== null || h.child.signalCode !== null) return;
  try {
    process.kill(-h.pid, 'SIGKILL');
  } catch {
    h.child.kill('SIGKILL');
  }
}

/** Polls fn until it returns a value other than undefined/false; fails naming `what` after `ms`. */
export async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, ms: number, every = 100): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`gave up waiting ${ms / 1000} s for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/** Complete data lines of a CSV file (those ended by a newline), without the header; 0 when it does not exist. */
export function completeDataLines(file: string): number {
  if (!existsSync(file)) return 0;
  const text = readFileSync(file, 'utf8');
  return Math.max(0, text.split('\n').length - 2);
}

/** The run id of a run folder, from run.json (written before the first sample). */
export function runIdIn(dir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { run_id?: string }).run_id;
  } catch {
    return undefined;
  }
}

export interface Proc {
  pid: number;
  cmd: string;
}

/** Processes whose command line contains `text` (a run id: the registry's config, a second engine's folders). */
export function processesWith(text: string): Proc[] {
  if (!text) throw new Error('processesWith: empty text would match every process');
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {
      continue;
    }
    if (cmd.includes(text)) out.push({ pid: Number(name), cmd });
  }
  return out;
}

/** SIGKILL to these processes and their children (a RUN step's shell and the command it runs). */
export function killWithChildren(procs: Proc[]): void {
  const pids = new Set(procs.map((p) => p.pid));
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${name}/status`, 'utf8'))?.[1]);
      if (pids.has(ppid)) pids.add(Number(name));
    } catch {
      // gone
    }
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

/** BASE/stagebench-*RUNID-* folders (workspace, registry, deploy-target engine); BASE is the run's TMPDIR. */
export function foldersOf(runId: string, base = tmpdir()): string[] {
  if (!runId) throw new Error('foldersOf: no run id');
  return readdirSync(base).filter((n) => n.startsWith('stagebench-') && n.includes(`${runId}-`)).map((n) => join(base, n));
}

async function dockerIds(args: string[]): Promise<string[]> {
  const r = await spawnCaptured(DOCKER, args);
  if (r.code !== 0) throw new Error(`docker ${args.join(' ')} failed: ${r.stderr}`);
  return [...new Set(r.stdout.split('\n').map((s) => s.trim()).filter(Boolean))];
}

export interface Leftovers {
  containers: string[];
  images: string[];
  processes: Proc[];
  folders: string[];
  /** The live-run record BASE/stagebench-runs-UID/RUNID.json. */
  record: boolean;
}

/**
 * Everything of run `runId` still there. `host`: the engine the run used (DOCKER_HOST form), default the shared one;
 * `base`: the TMPDIR the run had.
 */
export async function leftoversOf(runId: string, opts: { host?: string; base?: string } = {}): Promise<Leftovers> {
  if (!runId) throw new Error('leftoversOf: no run id (the run did not start)');
  const h = opts.host ? ['-H', opts.host] : [];
  const base = opts.base ?? tmpdir();
  return {
    containers: await dockerIds([...h, 'ps', '-a', '-q', '--filter', `label=${LABEL}=${runId}`]),
    images: await dockerIds([...h, 'images', '-a', '-q', '--filter', `label=${LABEL}=${runId}`]),
    processes: processesWith(runId),
    folders: foldersOf(runId, base),
    record: existsSync(join(liveRunsDir(base), `${runId}.json`)),
  };
}

export function nothingLeft(l: Leftovers): boolean {
  return l.containers.length + l.images.length + l.processes.length + l.folders.length === 0 && !l.record;
}

/**
 * A scenario whose builds are quick to push: a builder stage on the slim base runs `sleep SECONDS` (a window to
 * interrupt a build in), and the image is FROM scratch with two small files, so a push moves a few KB. A token
 * makes its steps new to the engine's cache. Returns the token.
 */
export function quickPushScenario(root: string, name: string, variants: Record<string, number>): string {
  const token = uniqueToken();
  const dockerfile = (v: string, sleep: number) =>
    [
      'ARG NODE_SLIM_IMAGE=node:20-slim',
      'FROM ${NODE_SLIM_IMAGE} AS build',
      `RUN echo ${token}-${v} > /token.txt && sleep ${sleep}`,
      'FROM scratch',
      'COPY --from=build /token.txt /token.txt',
      'COPY app.js /app.js',
      '',
    ].join('\n');
  makeScenario(root, name, { variants: Object.fromEntries(Object.entries(variants).map(([v, s]) => [v, { dockerfile: dockerfile(v, s) }])) });
  return token;
}

/** Runs `stagebench clean [ARGS]` to its end, with `env` added (DOCKER_HOST, TMPDIR). */
export function cleanCli(args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return spawnCaptured(...cliCommand(['clean', ...args]), { cwd: ROOT, env: { ...process.env, ...env } });
}

/** Mount points under any of these folders. */
export function mountsUnder(folders: string[]): string[] {
  return readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => folders.some((f) => m.startsWith(`${f}/`)));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function ping(sock: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath: sock, path: '/_ping', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/**
 * A Docker engine of the test's own, in a folder of its own: a test may stop it, restart it or point the harness
 * (DOCKER_HOST) and `stagebench clean` at it without touching the engine other people share.
 */
export class PrivateEngine {
  readonly sock: string;
  readonly host: string;
  private pid = 0;

  /** Also listening on tcp://127.0.0.1:tcpPort when given (loopback only, no TLS): a remote engine for a test. */
  constructor(readonly dir: string, readonly tcpPort?: number) {
    this.sock = join(dir, 't.sock');
    this.host = `unix://${this.sock}`;
  }

  async start(): Promise<void> {
    mkdirSync(join(this.dir, 'data'), { recursive: true });
    mkdirSync(join(this.dir, 'exec'), { recursive: true });
    // Its output goes to a file it holds itself: it must not depend on this process to log.
    const log = openSync(join(this.dir, 'dockerd.log'), 'a');
    const child = spawn('dockerd', [
      '--data-root', join(this.dir, 'data'), '--exec-root', join(this.dir, 'exec'), '-H', this.host,
      ...(this.tcpPort ? ['-H', `tcp://127.0.0.1:${this.tcpPort}`] : []),
      '--pidfile', join(this.dir, 'dockerd.pid'), '--bridge=none', '--iptables=false', '--ip-masq=false',
    ], { stdio: ['ignore', log, log], detached: true });
    closeSync(log);
    child.unref();
    this.pid = child.pid!;
    await until(`the private engine at ${this.sock} (see ${this.dir}/dockerd.log)`, async () => (await ping(this.sock)) || (!isAlive(this.pid) ? Promise.reject(new Error(`dockerd exited: ${readFileSync(join(this.dir, 'dockerd.log'), 'utf8').slice(-2000)}`)) : false), 60_000, 200);
  }

  /** Copies images from the shared engine into this one. */
  async load(...refs: string[]): Promise<void> {
    const r = await spawnCaptured('sh', ['-c', `${DOCKER} save ${refs.join(' ')} | ${DOCKER} -H ${this.host} load`]);
    if (r.code !== 0) throw new Error(`loading ${refs.join(', ')} into the private engine failed: ${r.stderr}`);
  }

  /** Stops the engine (SIGTERM, as `systemctl stop docker` does; SIGKILL after 30 s) and waits until it is gone. */
  async stop(): Promise<void> {
    if (!this.pid || !isAlive(this.pid)) return;
    process.kill(this.pid, 'SIGTERM');
    const gone = await until('the private engine to stop', () => !isAlive(this.pid), 30_000).then(() => true, () => false);
    if (!gone) process.kill(this.pid, 'SIGKILL');
    await until('the private engine to die', () => !isAlive(this.pid), 10_000);
  }

  /** Stops it and whatever it started (containerd, shims), unmounts what it mounted, removes its folder. */
  async remove(): Promise<void> {
    await this.stop().catch(() => undefined);
    for (const p of processesWith(this.dir)) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    for (const m of mountsUnder([this.dir]).sort((a, b) => b.length - a.length)) await spawnCaptured('umount', ['-l', m]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The cells of a CSV text as they stand in the file (quotes removed, nothing unescaped): what a spreadsheet reads.
 * Its own small reader because the project's CSV adapter undoes the formula guard that tests look at.
 */
export function rawCsvCells(text: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',' || ch === '\n') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  if (cell) cells.push(cell);
  return cells;
}
