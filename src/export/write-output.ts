// Where a command's formatted output goes: the --out file, or standard output.
import { writeFileSync } from 'node:fs';
import { UsageError } from '../errors.ts';

export function writeOutput(command: string, out: unknown, text: string): void {
  if (typeof out !== 'string') {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(out, text);
  } catch (err) {
    throw new UsageError(`stagebench ${command}: cannot write --out ${out}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}
