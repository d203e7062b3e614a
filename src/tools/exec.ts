// External tools: the only module that imports execa.
import { closeSync, constants as fsConstants, openSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { constants } from 'node:os';
import { delimiter, join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { UsageError } from '../errors.ts';

export interface ToolRun {
  /** The command line as a person would type it, for messages. */
  command: string;
  ok: boolean;
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** Why it failed (not found, exit code, signal, timeout); '' when ok. */
  reason: string;
}

export interface ToolOptions {
  cwd?: string;
  /** PATH for finding the program and for its own environment. */
  pathEnv?: string;
  env?: Record<string, string>;
  /** The arguments as messages show them (credentials redacted); default `args`. */
  shownArgs?: string[];
  timeoutMs?: number;
  input?: string;
  signal?: AbortSignal;
}

// A Trivy report with --list-all-pkgs of a large image runs to tens of megabytes.
const MAX_BUFFER = 512 * 1024 * 1024;

/** Runs a command to completion; never throws for a non-zero exit or a missing program. */
export async function runTool(file: string, args: string[], options: ToolOptions = {}): Promise<ToolRun> {
  const result = await execa(file, args, {
    reject: false,
    cwd: options.cwd,
    env: { ...options.env, ...(options.pathEnv !== undefined ? { PATH: options.pathEnv } : {}) },
    extendEnv: true,
    maxBuffer: MAX_BUFFER,
    timeout: options.timeoutMs,
    cancelSignal: options.signal,
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' as const }),
    stripFinalNewline: false,
  });
  const command = [file, ...(options.shownArgs ?? args)].map((a) => (/^[\w./:=@-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
  const stdout = typeof result.stdout === 'string' ? result.stdout : '';
  const stderr = typeof result.stderr === 'string' ? result.stderr : '';
  let reason = '';
  if (result.failed) {
    if (result.code === 'ENOENT') reason = `${file} was not found on PATH`;
    else if (result.timedOut) reason = `timed out after ${options.timeoutMs} ms`;
    else if (result.signal) reason = `killed by ${result.signal}`;
    else if (result.exitCode !== undefined) reason = `exit code ${result.exitCode}`;
    else reason = result.shortMessage ?? 'failed';
  }
  return { command, ok: !result.failed, exitCode: result.exitCode, stdout, stderr, durationMs: result.durationMs, reason };
}

/** A failed run as an error message: the reason, the command, then what the tool printed (execa's order). */
export function toolFailure(what: string, run: ToolRun): string {
  const output = (run.stderr.trim() || run.stdout.trim()).split('\n').slice(-20).join('\n');
  return `${what}: ${run.reason}\ncommand: ${run.command}${output ? `\n${output}` : ''}`;
}

/** The full path of an executable named `name` in PATH, or undefined. */
export async function findOnPath(name: string, pathEnv = process.env.PATH ?? ''): Promise<string | undefined> {
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      await access(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not in this folder: try the next one
    }
  }
  return undefined;
}

export interface Daemon {
  pid: number | undefined;
  /** Resolves when the process exits, with its exit code or signal. */
  exited: Promise<string>;
  /** SIGTERM, then SIGKILL after graceMs. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * A log file opened for appending, never through a link at its path (O_NOFOLLOW): a link planted there would send a
 * tool's output into a file of someone else's choosing. A link there is a UsageError.
 */
export function openLog(logFile: string): { target: { file: string; append: true }; close: () => void } {
  let fd: number;
  try {
    fd = openSync(logFile, fsConstants.O_WRONLY | fsConstants.O_APPEND | fsConstants.O_CREAT | fsConstants.O_NOFOLLOW, 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ELOOP') throw err;
    throw new UsageError(`${logFile} is a symbolic link; stagebench writes logs only to plain files. Remove the link, or choose another output folder.`, { cause: err });
  }
  // The child's output goes to /dev/fd/N, the file this descriptor holds open: whatever is at the path by then.
  return { target: { file: `/dev/fd/${fd}`, append: true }, close: () => closeSync(fd) };
}

/** Starts a long-running process (a registry, a second engine) with its output going to a log file. */
export function startDaemon(file: string, args: string[], logFile: string, opts: { env?: Record<string, string> } = {}): Daemon {
  const log = openLog(logFile);
  const child: ResultPromise = execa(file, args, { env: opts.env, reject: false, stdin: 'ignore', stdout: log.target, stderr: log.target });
  void child.finally(log.close);
  const exited = child.then((r) => (r.signal ? `killed by ${r.signal}` : `exited with code ${r.exitCode}`));
  return {
    pid: child.pid,
    exited,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null && child.exitCode !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The commit of the checkout in cwd (short), '-dirty' with uncommitted changes, or '' outside git. */
export async function gitCommit(cwd: string): Promise<string> {
  const r = await runTool('git', ['rev-parse', '--short=12', 'HEAD'], { cwd, timeoutMs: 5000 });
  if (!r.ok) return '';
  const dirty = await runTool('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, timeoutMs: 5000 });
  return dirty.ok && dirty.stdout.trim() ? `${r.stdout.trim()}-dirty` : r.stdout.trim();
}

/** Runs a command with the terminal as its input and output (setup's progress is for the user to see); its exit code. */
export async function runAttached(file: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<number> {
  const result = await execa(file, args, { reject: false, cwd: options.cwd, env: options.env, stdio: 'inherit' });
  if (result.failed && result.exitCode === undefined) throw new Error(`${file}: ${result.shortMessage ?? 'could not start'}`);
  return result.exitCode ?? 1;
}

/**
 * Runs a command with its output (both streams) appended to `logFile`; the signals this process gets (SIGINT,
 * SIGTERM) are passed on to it, so that it cleans up as it would under a terminal. Its exit code, or 128 + the
 * signal's number when a signal ended it.
 */
export async function runLogged(file: string, args: string[], logFile: string, options: { cwd?: string; env?: Record<string, string> } = {}): Promise<number> {
  const log = openLog(logFile);
  const child = execa(file, args, { reject: false, cwd: options.cwd, env: options.env, stdin: 'ignore', stdout: log.target, stderr: log.target });
  void child.finally(log.close);
  const pass = (sig: NodeJS.Signals) => child.kill(sig);
  process.on('SIGINT', pass);
  process.on('SIGTERM', pass);
  try {
    const result = await child;
    if (result.exitCode !== undefined) return result.exitCode;
    const signal = result.signal as NodeJS.Signals | undefined;
    return 128 + (signal ? constants.signals[signal] : 1);
  } finally {
    process.off('SIGINT', pass);
    process.off('SIGTERM', pass);
  }
}
