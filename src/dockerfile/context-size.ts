// The build context a `docker build` sends: every file under the folder, and what the .dockerignore lets through,
// counted by walking the folder (read only). Bytes are file contents; the tar headers the client adds are not counted.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ignoreMatcher } from './dockerignore.ts';

export interface ContextTally {
  files: number;
  bytes: number;
}

export interface ContextSize {
  /** Everything under the context folder. */
  all: ContextTally;
  /** What the .dockerignore lets through (equal to `all` when there is none). */
  sent: ContextTally;
  /** Top-level entries by bytes the .dockerignore keeps out, largest first. */
  excluded: Array<{ entry: string } & ContextTally>;
  hasDockerignore: boolean;
}

interface FileEntry { path: string; bytes: number }

async function walk(root: string, rel: string, out: FileEntry[]): Promise<void> {
  const entries = await readdir(join(root, rel), { withFileTypes: true });
  for (const e of entries) {
    const path = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) {
      await walk(root, path, out);
    } else {
      // Symlinks travel as links (no content); sockets and fifos are skipped by the client, count them as empty.
      const bytes = e.isFile() ? (await lstat(join(root, path))).size : 0;
      out.push({ path, bytes });
    }
  }
}

/**
 * The files a `docker build` of the folder sends, context-relative with '/' separators, in walk order: what the
 * .dockerignore lets through, and the Dockerfile and the .dockerignore always. Synchronous: the engine adapter packs
 * them at once.
 */
export function sentFiles(dir: string, dockerfile: string): string[] {
  let ignoreText: string | null = null;
  try {
    ignoreText = readFileSync(join(dir, '.dockerignore'), 'utf8');
  } catch {
    ignoreText = null;
  }
  const ignored = ignoreMatcher(ignoreText);
  const all: string[] = [];
  const walkSync = (rel: string) => {
    for (const name of readdirSync(join(dir, rel))) {
      const path = rel === '' ? name : `${rel}/${name}`;
      if (lstatSync(join(dir, path)).isDirectory()) walkSync(path);
      else all.push(path);
    }
  };
  walkSync('');
  return all.filter((f) => !ignored(f) || f === dockerfile || f === '.dockerignore');
}

function tally(files: FileEntry[]): ContextTally {
  return { files: files.length, bytes: files.reduce((s, f) => s + f.bytes, 0) };
}

/**
 * The context size with and without the .dockerignore. `alwaysSent` lists files the client sends even when a
 * pattern excludes them (the Dockerfile and the .dockerignore itself).
 */
export async function contextSize(dir: string, alwaysSent: string[] = []): Promise<ContextSize> {
  let ignoreText: string | null = null;
  try {
    ignoreText = await readFile(join(dir, '.dockerignore'), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const ignored = ignoreMatcher(ignoreText);
  const files: FileEntry[] = [];
  await walk(dir, '', files);
  const keep = new Set(alwaysSent.map((p) => p.replace(/^\.\//, '')));
  const sent = files.filter((f) => keep.has(f.path) || !ignored(f.path));
  const sentPaths = new Set(sent.map((f) => f.path));
  const byEntry = new Map<string, FileEntry[]>();
  for (const f of files) {
    if (sentPaths.has(f.path)) continue;
    const entry = f.path.split('/')[0];
    const list = byEntry.get(entry);
    if (list) list.push(f);
    else byEntry.set(entry, [f]);
  }
  const excluded = [...byEntry].map(([entry, fs]) => ({ entry, ...tally(fs) })).sort((a, b) => b.bytes - a.bytes);
  return { all: tally(files), sent: tally(sent), excluded, hasDockerignore: ignoreText !== null };
}
