// Runs the real CLI in a child process, as a user or CI would: the compiled CLI, `node dist/cli.js ARGS` (0.5 s to
// start where `npx tsx src/cli.ts` takes 2 to 3 s). dist/ is built from src/ with tsc the first time a test needs
// it and whenever a file in src/ is newer than dist/cli.js, so a test never runs code older than the sources.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';
import { spawnCaptured, type CommandResult } from './spawn.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI_JS = join(ROOT, 'dist', 'cli.js');

export type CliResult = CommandResult;

function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    newest = Math.max(newest, s.isDirectory() ? newestSource(p) : s.mtimeMs);
  }
  return newest;
}

let built = false;

/** Builds dist/ (npm run build's tsc) when it is missing or older than src/; once per test process. */
export function ensureBuilt(): void {
  if (built) return;
  if (!existsSync(CLI_JS) || statSync(CLI_JS).mtimeMs < newestSource(join(ROOT, 'src'))) {
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
    // tsc may leave an unchanged output as it was: the entry's time says when dist/ was last built.
    const now = new Date();
    utimesSync(CLI_JS, now, now);
  }
  built = true;
}

/** The command and arguments that start the compiled CLI with ARGS: for tests that spawn it themselves. */
export function cliCommand(args: string[]): [string, string[]] {
  ensureBuilt();
  return [process.execPath, [CLI_JS, ...args]];
}

export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  const [command, argv] = cliCommand(args);
  return spawnCaptured(command, argv, { cwd: options.cwd ?? ROOT, env: { ...process.env, ...options.env } });
}

/** A stack trace line as node prints it ("    at fn (file:line:col)"): a user must never see one for bad input. */
export function hasStackTrace(text: string): boolean {
  return /^ {4}at /m.test(text);
}

/** Runs the CLI with ARGS and checks what refused input gives: exit 2, no stack trace, stderr matching `expect`. */
export async function expectRefused(args: string[], expect: RegExp): Promise<CliResult> {
  const r = await runCli(args);
  assert.is(r.code, 2, `exit code of stagebench ${args.join(' ')}\n${r.stderr}`);
  assert.not.ok(hasStackTrace(r.stderr), r.stderr);
  assert.match(r.stderr, expect);
  return r;
}
