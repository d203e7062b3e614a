// External tools: the only module that imports execa.
import { execa, type ResultPromise } from 'execa';

export interface ToolResult {
  ok: boolean;
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  /** The reason, the command, then what it printed: ready to show a user. */
  message: string;
}

export interface ToolOptions {
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  input?: string;
  signal?: AbortSignal;
}

/** Runs a command to completion; never throws for a non-zero exit or a missing binary. */
export async function runTool(file: string, args: string[], opts: ToolOptions = {}): Promise<ToolResult> {
  const r = await execa(file, args, {
    cwd: opts.cwd,
    env: opts.env,
    timeout: opts.timeoutMs,
    input: opts.input,
    cancelSignal: opts.signal,
    reject: false,
    stripFinalNewline: true,
  });
  const ok = !r.failed;
  const message = ok ? '' : `${r.shortMessage}${r.stderr ? `\n${r.stderr.trim().split('\n').slice(-10).join('\n')}` : ''}`;
  return { ok, exitCode: r.exitCode, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), message };
}

export interface Daemon {
  pid: number | undefined;
  /** Resolves when the process exits, with its exit code or signal. */
  exited: Promise<string>;
  /** SIGTERM, then SIGKILL after graceMs. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts a long-running process (a registry, a second engine) with its output going to a log file. */
export function startDaemon(file: string, args: string[], logFile: string, opts: { env?: Record<string, string> } = {}): Daemon {
  const child: ResultPromise = execa(file, args, {
    env: opts.env,
    reject: false,
    stdin: 'ignore',
    stdout: { file: logFile, append: true },
    stderr: { file: logFile, append: true },
    // Not detached: if stagebench dies, the kernel delivers SIGHUP/SIGKILL to the group it is in; cleanup also
    // finds leftovers by their folders and pid files (stagebench clean).
  });
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

/** Whether a command is on PATH. */
export async function onPath(cmd: string): Promise<string | undefined> {
  const r = await runTool('sh', ['-c', `command -v ${cmd}`]);
  return r.ok && r.stdout ? r.stdout.trim() : undefined;
}

/** The commit of the checkout in cwd (short), or '' outside git. */
export async function gitCommit(cwd: string): Promise<string> {
  const r = await runTool('git', ['rev-parse', '--short=12', 'HEAD'], { cwd, timeoutMs: 5000 });
  if (!r.ok) return '';
  const dirty = await runTool('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, timeoutMs: 5000 });
  return dirty.ok && dirty.stdout.trim() ? `${r.stdout.trim()}-dirty` : r.stdout.trim();
}
