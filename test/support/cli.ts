// Runs the real CLI in a child process, as a user or CI would: `npx tsx src/cli.ts ARGS` from the repository root.
import { fileURLToPath } from 'node:url';
import { spawnCaptured, type CommandResult } from './spawn.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type CliResult = CommandResult;

export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return spawnCaptured('npx', ['tsx', 'src/cli.ts', ...args], { cwd: options.cwd ?? ROOT, env: { ...process.env, ...options.env } });
}

/** A stack trace line as node prints it ("    at fn (file:line:col)"): a user must never see one for bad input. */
export function hasStackTrace(text: string): boolean {
  return /^ {4}at /m.test(text);
}
