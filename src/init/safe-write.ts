// How init reads an app folder it did not write and writes the scenario folder: the app is checked before anything is
// written (no FIFO, socket or device, no link to one, no link leaving the app among what is copied, bounded depth
// and entry count), and every file init writes is made new, never written through a link already at its path.
import { lstatSync, mkdirSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../errors.ts';
import { replaceExclusively } from '../tools/write-file.ts';

/** Past these an app folder is not an app (or is a trap): init stops instead of walking on. */
export const APP_LIMITS = { depth: 40, entries: 200_000 };

/** Names init writes at the top of a scenario folder: an app's link there is copied as the file it points to. */
export const WRITTEN_NAMES = new Set(['Dockerfile.own', 'Dockerfile.single', 'Dockerfile.multi', 'Dockerfile.distroless', '.dockerignore', 'package.json', 'scenario.json', 'bench-changes']);

function isOutside(base: string, target: string): boolean {
  const rel = relative(base, target);
  return rel === '..' || rel.startsWith(`..${sep}`) || resolve(rel) === rel;
}

function kindOf(st: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'a special file';
}

export interface AppEntry {
  rel: string;
  kind: 'file' | 'dir' | 'link';
  /** For a link: copy what it points to as a plain file (it sits at a name init writes). */
  dereference?: boolean;
  /** Left out by .gitignore or .dockerignore (walked for special files, not copied). */
  ignored: boolean;
}

/**
 * Every entry of the app below `appDir` except node_modules, .git and `skip`, or a UsageError listing what init
 * refuses to read or copy. `ignored(rel, isDir)` says whether .gitignore/.dockerignore leave an entry out.
 */
export function walkApp(appDir: string, ignored: (rel: string, isDir: boolean) => boolean, skip: readonly string[] = []): AppEntry[] {
  const realApp = realpathSync(appDir);
  const skipAbs = skip.map((s) => resolve(s));
  const entries: AppEntry[] = [];
  const problems: string[] = [];
  let count = 0;
  const walk = (d: string, depth: number, parentIgnored: boolean) => {
    if (depth > APP_LIMITS.depth) {
      throw new UsageError(`stagebench init: ${d} lies more than ${APP_LIMITS.depth} folders deep in ${appDir}; an app folder is not that deep. Point --from at the app itself`);
    }
    for (const name of readdirSync(d).sort()) {
      if (++count > APP_LIMITS.entries) {
        throw new UsageError(`stagebench init: ${appDir} holds more than ${APP_LIMITS.entries} files and folders (without node_modules and .git); point --from at the app itself, or list generated folders in its .gitignore`);
      }
      const abs = join(d, name);
      if (name === 'node_modules' || name === '.git' || skipAbs.includes(resolve(abs))) continue;
      const rel = relative(appDir, abs).split(sep).join('/');
      const st = lstatSync(abs);
      const left = parentIgnored || ignored(rel, st.isDirectory());
      if (st.isDirectory()) {
        entries.push({ rel, kind: 'dir', ignored: left });
        walk(abs, depth + 1, left);
      } else if (st.isFile()) {
        entries.push({ rel, kind: 'file', ignored: left });
      } else if (st.isSymbolicLink()) {
        let target: string;
        let tst;
        try {
          target = realpathSync(abs);
          tst = statSync(abs);
        } catch {
          if (!left) problems.push(`${rel}: a symbolic link that points nowhere; remove it, or list it in .gitignore`);
          continue;
        }
        if (!tst.isFile() && !tst.isDirectory()) problems.push(`${rel}: a symbolic link to ${kindOf(tst)} (${target}); remove it`);
        else if (left) entries.push({ rel, kind: 'link', ignored: true });
        else if (isOutside(realApp, target)) problems.push(`${rel}: a symbolic link to ${target}, outside the app; copy the file in instead, or list the link in .gitignore`);
        else if (WRITTEN_NAMES.has(rel) && !tst.isFile()) problems.push(`${rel}: a symbolic link to a folder at a name init writes; replace it with a file`);
        else entries.push({ rel, kind: 'link', ignored: false, ...(WRITTEN_NAMES.has(rel) ? { dereference: true } : {}) });
      } else {
        problems.push(`${rel}: ${kindOf(st)}, not a file; remove it (init reads the app's files, and reading one of these hangs or never ends)`);
      }
    }
  };
  walk(appDir, 0, false);
  if (problems.length > 0) {
    throw new UsageError(`stagebench init: ${appDir} holds what init does not read or copy (nothing was written):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  return entries;
}

/** Makes `dir` (inside `root`) and its missing parents, refusing any part below `root` that is a link or a file. */
export function ensureFolder(root: string, dir: string): void {
  const rel = relative(root, dir);
  if (rel === '') return;
  if (isOutside(root, dir)) throw new UsageError(`stagebench init: ${dir} lies outside ${root}`);
  let at = root;
  for (const part of rel.split(sep)) {
    at = join(at, part);
    let st;
    try {
      st = lstatSync(at);
    } catch {
      mkdirSync(at);
      continue;
    }
    if (!st.isDirectory()) throw new UsageError(`stagebench init: ${at} is ${st.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}; init writes only into folders it made`);
  }
}

/**
 * Writes `rel` in `root` as a new file: a temporary file created exclusively ('wx') beside it, renamed over the
 * path. A link already at the path is replaced, never followed; a link among its folders is refused.
 */
export function writeNew(root: string, rel: string, content: string | Buffer): void {
  const file = join(root, rel);
  ensureFolder(root, dirname(file));
  replaceExclusively(file, content);
}
