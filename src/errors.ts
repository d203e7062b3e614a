// Errors that end a command with a known exit code. Everything else is a bug and prints its stack.
// A message says what is wrong, where (file, option, scenario), and what to do.

export const EXIT = { ok: 0, failed: 1, usage: 2, environment: 3, interrupted: 130, terminated: 143 } as const;

export class StagebenchError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad command line, bad scenario folder, bad input file: exit 2. */
export class UsageError extends StagebenchError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT.usage, options);
  }
}

/** Something the machine lacks (no engine, no registry binary): exit 3. */
export class EnvironmentError extends StagebenchError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT.environment, options);
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
