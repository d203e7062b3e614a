// A thin execa call for the external scanners. It belongs in src/tools (the execa adapter) and moves there once
// that module exists; nothing else in src/scan imports execa.
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

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
  /** PATH for finding the program and for its own environment. */
  pathEnv?: string;
  timeoutMs?: number;
}

// A Trivy report with --list-all-pkgs of a large image runs to tens of megabytes.
const MAX_BUFFER = 512 * 1024 * 1024;

export async function runTool(file: string, args: string[], options: ToolOptions = {}): Promise<ToolRun> {
  const pathEnv = options.pathEnv ?? process.env.PATH ?? '';
  // Loaded on first use: a static import makes `uvu -r tsx` (tsx's require hook) resolve execa's ESM-only
  // dependencies with require conditions, which fails before any test runs.
  const { execa } = await import('execa');
  const result = await execa(file, args, {
    reject: false,
    env: { PATH: pathEnv },
    extendEnv: true,
    maxBuffer: MAX_BUFFER,
    timeout: options.timeoutMs,
    stdin: 'ignore',
    stripFinalNewline: false,
  });
  const command = [file, ...args].map((a) => (/^[\w./:=@-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
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

/** The full path of an executable named `name` in PATH, or undefined. */
export async function findOnPath(name: string, pathEnv = process.env.PATH ?? ''): Promise<string | undefined> {
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder: try the next one
    }
  }
  return undefined;
}

/** A failed run as an error message: the reason, the command, then what the tool printed (execa's order). */
export function toolFailure(what: string, run: ToolRun): string {
  const output = (run.stderr.trim() || run.stdout.trim()).split('\n').slice(-20).join('\n');
  return `${what}: ${run.reason}\ncommand: ${run.command}${output ? `\n${output}` : ''}`;
}
