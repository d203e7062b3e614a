// npm packages installed in the image: every package.json right inside a node_modules folder
// (node_modules/NAME/package.json or node_modules/@SCOPE/NAME/package.json), wherever that folder is.
import type { FileTree } from './file-tree.ts';
import { NPM_MANIFEST } from './image-paths.ts';

export interface NpmPackage {
  name: string;
  version: string;
  /** Absolute path of the package.json. */
  path: string;
}

/** Name and version of a package.json text, or undefined when it is not JSON or lacks either. */
export function parsePackageJson(text: string): { name: string; version: string } | undefined {
  try {
    const doc = JSON.parse(text) as { name?: unknown; version?: unknown };
    if (typeof doc.name === 'string' && typeof doc.version === 'string' && doc.name && doc.version) {
      return { name: doc.name, version: doc.version };
    }
  } catch {
    // a broken package.json is not an installed package
  }
  return undefined;
}

export function npmPackages(tree: FileTree): NpmPackage[] {
  const out: NpmPackage[] = [];
  for (const [path, node] of tree.entries()) {
    if (node.type !== 'file' || !node.content || !NPM_MANIFEST.test(path)) continue;
    const pkg = parsePackageJson(node.content.toString('utf8'));
    if (pkg) out.push({ ...pkg, path: `/${path}` });
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** The npm package a path belongs to ("@s/x" for .../node_modules/@s/x/lib/y.js), or '' outside node_modules. */
export function npmOwner(path: string): string {
  const i = path.lastIndexOf('node_modules/');
  if (i < 0) return '';
  const rest = path.slice(i + 'node_modules/'.length).split('/');
  if (rest[0]?.startsWith('@') && rest.length > 1) return `${rest[0]}/${rest[1]}`;
  return rest[0] ?? '';
}
