// A child process run to its end, its exit code and output captured.
import { spawn, type SpawnOptions } from 'node:child_process';

export interface CommandResult {
  /** The exit code; null when a signal ended the process. */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Resolves when the process exits; never rejects for a non-zero exit code (tests assert on it). */
export function spawnCaptured(command: string, args: string[], options: Pick<SpawnOptions, 'cwd' | 'env'> = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
