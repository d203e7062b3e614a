// Which installed packages are devDependencies: from the lockfile (--lockfile, the image's package-lock.json or
// node_modules/.package-lock.json, whose entries carry "dev": true), or else from the app's package.json, which only
// names the direct ones. Pure.
import { z } from 'zod';
import type { FileTree } from '../scan/builtin/file-tree.ts';
import { dirOf } from '../scan/builtin/image-paths.ts';

export type DevSource = 'lockfile (--lockfile)' | 'lockfile in the image' | 'package.json devDependencies' | 'none';

const Lockfile = z.object({ packages: z.record(z.string(), z.object({ dev: z.boolean().optional() }).passthrough()).optional() }).passthrough();
const Manifest = z.object({ dependencies: z.record(z.string(), z.unknown()).optional(), devDependencies: z.record(z.string(), z.unknown()).optional() }).passthrough();

export interface DevRule {
  source: DevSource;
  /** Whether the package in this folder ("app/node_modules/x") is a devDependency. */
  isDev(packageDir: string): boolean;
}

function nameOf(key: string): string {
  const i = key.lastIndexOf('node_modules/');
  return i < 0 ? key : key.slice(i + 'node_modules/'.length);
}

/** The dev flags of a package-lock.json (v2/v3 "packages"), by the key relative to the lockfile's folder. */
export function lockDevFlags(text: string): Map<string, boolean> | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = Lockfile.safeParse(doc);
  if (!parsed.success || !parsed.data.packages) return undefined;
  const out = new Map<string, boolean>();
  for (const [key, entry] of Object.entries(parsed.data.packages)) if (key.includes('node_modules/')) out.set(key, entry.dev === true);
  return out;
}

function fromLock(flags: Map<string, boolean>, root: string, source: DevSource): DevRule {
  // A name that is only ever dev in the lockfile is dev wherever it sits (pnpm's .pnpm/x@1/node_modules/x too).
  const devNames = new Set<string>();
  const prodNames = new Set<string>();
  for (const [key, dev] of flags) (dev ? devNames : prodNames).add(nameOf(key));
  const prefix = root ? `${root}/` : '';
  return {
    source,
    isDev(dir) {
      const key = dir.startsWith(prefix) ? dir.slice(prefix.length) : dir;
      const exact = flags.get(key);
      if (exact !== undefined) return exact;
      const name = nameOf(dir);
      return devNames.has(name) && !prodNames.has(name);
    },
  };
}

export function devPackageRule(tree: FileTree, appDir: string, lockfileText?: string): DevRule {
  if (lockfileText !== undefined) {
    const flags = lockDevFlags(lockfileText);
    if (flags) return fromLock(flags, appDir, 'lockfile (--lockfile)');
  }
  // The app's lockfile first, then any other; node_modules/.package-lock.json is npm's copy of the same flags.
  const candidates: Array<{ path: string; root: string }> = [];
  for (const [path, node] of tree.entries()) {
    if (node.type !== 'file' || !node.content) continue;
    if (/(?:^|\/)(?:package-lock|npm-shrinkwrap)\.json$/.test(path) && !path.includes('node_modules/')) candidates.push({ path, root: dirOf(path) });
    else if (/(?:^|\/)node_modules\/\.package-lock\.json$/.test(path) && path.split('node_modules/').length === 2) candidates.push({ path, root: dirOf(dirOf(path)) });
  }
  candidates.sort((a, b) => Number(b.root === appDir) - Number(a.root === appDir) || a.path.localeCompare(b.path));
  for (const c of candidates) {
    const flags = lockDevFlags(tree.read(c.path)!.toString('utf8'));
    if (flags) return fromLock(flags, c.root, 'lockfile in the image');
  }
  const manifest = tree.read(appDir ? `${appDir}/package.json` : 'package.json');
  if (manifest) {
    try {
      const m = Manifest.parse(JSON.parse(manifest.toString('utf8')));
      const prod = new Set(Object.keys(m.dependencies ?? {}));
      const dev = new Set(Object.keys(m.devDependencies ?? {}).filter((d) => !prod.has(d)));
      if (dev.size > 0 || prod.size > 0) return { source: 'package.json devDependencies', isDev: (dir) => dev.has(nameOf(dir)) };
    } catch {
      // a package.json that is not JSON says nothing about dev
    }
  }
  return { source: 'none', isDev: () => false };
}
