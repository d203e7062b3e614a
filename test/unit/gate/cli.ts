// Runs the real CLI in a child process, as a user or CI would: the compiled CLI (test/support/cli.ts), synchronously.
import { spawnSync } from 'node:child_process';
import { cliCommand, ROOT } from '../../support/cli.ts';

export function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const [command, argv] = cliCommand(args);
  const r = spawnSync(command, argv, { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
