// A build context as the builder keys it: for every file the client sends, a checksum of its content with its mode
// and owner as the tar header carries them (never its mtime), and which files on disk the .dockerignore keeps out.
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { sentFiles } from '../dockerfile/context-size.ts';

export interface ContextFile {
  /** sha256 of the content (of the link target's text for a symlink). */
  sha256: string;
  /** Permission bits as sent (the engine adapter packs them without applying a umask, as the docker CLI does). */
  mode: number;
  kind: 'file' | 'symlink' | 'other';
}

export interface ContextSnapshot {
  /** Context-relative paths ('/' separators) the client sends, with what the builder's checksum sees of each. */
  sent: Map<string, ContextFile>;
  /** Files under the folder that the .dockerignore keeps out of the context. */
  ignored: Set<string>;
  /** The .dockerignore's text, null when there is none. */
  dockerignore: string | null;
}

function walkAll(dir: string, rel: string, out: string[]): void {
  for (const name of readdirSync(join(dir, rel))) {
    const path = rel === '' ? name : `${rel}/${name}`;
    if (lstatSync(join(dir, path)).isDirectory()) walkAll(dir, path, out);
    else out.push(path);
  }
}

export function fileEntry(dir: string, path: string): ContextFile {
  const full = join(dir, path);
  const st = lstatSync(full);
  if (st.isSymbolicLink()) return { sha256: createHash('sha256').update(readlinkSync(full)).digest('hex'), mode: st.mode & 0o7777, kind: 'symlink' };
  if (!st.isFile()) return { sha256: '', mode: st.mode & 0o7777, kind: 'other' };
  return { sha256: createHash('sha256').update(readFileSync(full)).digest('hex'), mode: st.mode & 0o7777, kind: 'file' };
}

/** Reads a context folder (read only). `dockerfile` is relative to the folder, as the build request names it. */
export function snapshotContext(dir: string, dockerfile: string): ContextSnapshot {
  let dockerignore: string | null = null;
  try {
    dockerignore = readFileSync(join(dir, '.dockerignore'), 'utf8');
  } catch {
    dockerignore = null;
  }
  const sentList = sentFiles(dir, dockerfile);
  const sentSet = new Set(sentList);
  const all: string[] = [];
  walkAll(dir, '', all);
  const sent = new Map<string, ContextFile>();
  for (const path of sentList) sent.set(path, fileEntry(dir, path));
  return { sent, ignored: new Set(all.filter((p) => !sentSet.has(p))), dockerignore };
}
