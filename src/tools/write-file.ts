// Files a command writes for the user (report, tune, merge, export, RESUME.txt): written to a temporary file in the
// same folder, then renamed over the path. A symlink already at the path is replaced, never followed (it cannot
// redirect the write to a file of someone else's choosing), and nobody ever reads half a file.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../errors.ts';

const WHY: Record<string, string> = {
  ENOTDIR: 'a part of that path is a file, not a folder',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EEXIST: 'a file is in the way of a folder of that path',
  ELOOP: 'too many symbolic links in the path',
  ENAMETOOLONG: 'the path is too long',
};

/** Why a write failed, in words, with the code for searching. */
export function writeFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code ? `${WHY[code] ?? 'it cannot be written'} (${code})` : String(err);
}

/** The folder, made with its parents; a UsageError naming `what` (an option, e.g. '--out DIR') when it cannot be. */
export function makeFolder(dir: string, what: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new UsageError(`cannot make the folder ${dir} for ${what}: ${writeFailure(err)}. Choose another path.`);
  }
}

/**
 * Puts `text` at `file` through a temporary file beside it, created exclusively ('wx': never through a link planted
 * at its unguessable name) and renamed over the path, so a link at `file` is replaced, never followed. Throws the
 * file system's error; the temporary file is gone either way.
 */
export function replaceExclusively(file: string, text: string | Buffer): void {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, text, { flag: 'wx' });
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

/** Writes `text` to `file` atomically (replaceExclusively), its folder made first. */
export function writeFileAtomic(file: string, text: string | Buffer, what: string): void {
  makeFolder(dirname(file), what);
  try {
    replaceExclusively(file, text);
  } catch (err) {
    throw new UsageError(`cannot write ${file} (${what}): ${writeFailure(err)}. Choose another path.`);
  }
}
