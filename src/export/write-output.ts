// Where a command's formatted output goes: the --out file, or standard output.
import { writeFileAtomic } from '../tools/write-file.ts';

export function writeOutput(command: string, out: unknown, text: string): void {
  if (typeof out !== 'string') {
    process.stdout.write(text);
    return;
  }
  writeFileAtomic(out, text, `stagebench ${command} --out`);
}
