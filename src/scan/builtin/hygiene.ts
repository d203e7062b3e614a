// Hygiene findings: what a production image should not carry. Tools found on the image's PATH (a shell, a
// package manager, compilers, build tools), files that leak (.env, .git, private keys, npm tokens, source maps),
// and a default user of root.
import type { FileTree } from './file-tree.ts';
import type { ImageConfig } from './saved-image.ts';
import type { CountedFinding } from '../scanner.ts';
import { baseOf, depthOf, dirOf, IMAGE_LIMITS, normalizePath } from './image-paths.ts';
import { npmOwner } from './npm-packages.ts';

export type HygieneId =
  | 'shell' | 'package-manager' | 'compiler' | 'build-tool' | 'env-file' | 'git-folder' | 'private-key'
  | 'npmrc-token' | 'source-map' | 'runs-as-root';

interface ToolRule {
  id: HygieneId;
  /** The tool's name in findings; versioned and prefixed names (gcc-12, x86_64-linux-gnu-gcc) report as it. */
  label: string;
  names: RegExp;
}

const TOOLS: ToolRule[] = [
  { id: 'shell', label: 'sh', names: /^sh$/ },
  { id: 'shell', label: 'bash', names: /^bash$/ },
  { id: 'shell', label: 'dash', names: /^dash$/ },
  { id: 'shell', label: 'ash', names: /^ash$/ },
  { id: 'shell', label: 'zsh', names: /^zsh$/ },
  { id: 'shell', label: 'ksh', names: /^m?ksh$/ },
  { id: 'shell', label: 'busybox', names: /^busybox$/ },
  { id: 'package-manager', label: 'apt', names: /^apt(-get)?$/ },
  { id: 'package-manager', label: 'dpkg', names: /^dpkg$/ },
  { id: 'package-manager', label: 'apk', names: /^apk$/ },
  { id: 'package-manager', label: 'npm', names: /^npm$/ },
  { id: 'package-manager', label: 'yarn', names: /^yarn$/ },
  { id: 'package-manager', label: 'pnpm', names: /^pnpm$/ },
  { id: 'package-manager', label: 'pip', names: /^pip3?$/ },
  { id: 'compiler', label: 'gcc', names: /^(?:[\w]+-linux-gnu-)?gcc(?:-\d+)?$/ },
  { id: 'compiler', label: 'g++', names: /^(?:[\w]+-linux-gnu-)?g\+\+(?:-\d+)?$/ },
  { id: 'compiler', label: 'cc', names: /^cc$/ },
  { id: 'compiler', label: 'c++', names: /^c\+\+$/ },
  { id: 'compiler', label: 'clang', names: /^clang(?:-\d+)?$/ },
  { id: 'compiler', label: 'clang++', names: /^clang\+\+(?:-\d+)?$/ },
  { id: 'build-tool', label: 'make', names: /^g?make$/ },
  { id: 'build-tool', label: 'cmake', names: /^cmake$/ },
  { id: 'build-tool', label: 'python', names: /^python(?:\d(?:\.\d+)?)?$/ },
  { id: 'build-tool', label: 'tsc', names: /^tsc$/ },
  { id: 'build-tool', label: 'node-gyp', names: /^node-gyp$/ },
];

const STANDARD_PATH = ['usr/local/sbin', 'usr/local/bin', 'usr/sbin', 'usr/bin', 'sbin', 'bin'];

/** A source map of script or style code; other *.map files (keymaps, charmaps) are not. */
const SOURCE_MAP = /\.(?:m?js|cjs|jsx|tsx?|css)\.map$/;

/** Up to this many source maps are listed one by one; more make one finding with their count. */
export const SOURCE_MAP_LIST_LIMIT = 20;

// .env.example and its kin are templates that ship on purpose.
const ENV_FILE = /^\.env(?:\.(?!example$|sample$|template$|dist$|defaults$)[\w.-]+)?$/;

// `_authToken=${NPM_TOKEN}` reads the token from the environment at run time and leaks nothing.
const NPMRC_SECRET = /^\s*(?:\/\/[^=\s]*:)?_(?:authToken|auth|password)\s*=\s*(.*)$/;

function finding(id: HygieneId, pkg: string, path: string, count?: number): CountedFinding {
  const f: CountedFinding = { kind: 'hygiene', id, package: pkg, version: '', fixed_version: '', severity: '', path };
  if (count !== undefined) f.count = count;
  return f;
}

/** The folders searched for tools: the image's own PATH first, then the usual ones. */
export function searchPath(config: ImageConfig): string[] {
  // The image's PATH is read up to IMAGE_LIMITS (its first folders, none deeper than a path may be): a crafted 80 kB
  // PATH held the process for two minutes.
  const raw = config.env.find((e) => e.startsWith('PATH='))?.slice('PATH='.length) ?? '';
  const fromEnv = raw.split(':', IMAGE_LIMITS.pathFolders).map(normalizePath).filter((d) => depthOf(d) <= IMAGE_LIMITS.pathDepth);
  const dirs = [...fromEnv, ...STANDARD_PATH].filter((d) => d !== '');
  return [...new Set(dirs)];
}

// npm's own bundled tools (node-gyp in node_modules/npm/node_modules/.bin) come with npm, which is its own finding.
function isBinFolder(dir: string, pathDirs: Set<string>): boolean {
  if (pathDirs.has(dir)) return true;
  const nodeBin = dir === 'node_modules/.bin' || dir.endsWith('/node_modules/.bin');
  return nodeBin && !dir.includes('node_modules/npm/node_modules');
}

/** Tools on PATH (or in node_modules/.bin), one finding per tool, only when the name leads to a real file. */
function toolFindings(tree: FileTree, config: ImageConfig): CountedFinding[] {
  const pathDirs = new Set(searchPath(config));
  const found = new Map<string, CountedFinding>();
  // Folders reached through a link (bin -> usr/bin) are searched under their real name.
  const realDirs = new Set<string>();
  for (const d of pathDirs) {
    const r = tree.resolve(d);
    if (r && r.node.type === 'dir') realDirs.add(r.path);
  }
  const candidates: string[] = [];
  for (const [path, node] of tree.entries()) {
    if (node.type !== 'file' && node.type !== 'symlink') continue;
    const dir = dirOf(path);
    if (isBinFolder(dir, realDirs) || isBinFolder(dir, pathDirs)) candidates.push(path);
  }
  candidates.sort(byPathOrder(searchPath(config)));
  for (const path of candidates) {
    const base = baseOf(path);
    const rule = TOOLS.find((t) => t.names.test(base));
    if (!rule) continue;
    const key = `${rule.id}\0${rule.label}`;
    if (found.has(key)) continue;
    const real = tree.resolve(path);
    if (!real || real.node.type !== 'file') continue; // a dangling link runs nothing
    found.set(key, finding(rule.id, rule.label, `/${path}`));
  }
  return [...found.values()];
}

// PATH order first (what the shell would run), then node_modules/.bin folders; within a folder the plain name
// (make, gcc, python3) before its variants (gmake, gcc-12, python3.11).
function byPathOrder(order: string[]): (a: string, b: string) => number {
  const ranks = new Map(order.map((d, i) => [d, i]));
  const rank = (p: string) => ranks.get(dirOf(p)) ?? order.length;
  return (a, b) => rank(a) - rank(b) || baseOf(a).length - baseOf(b).length || a.localeCompare(b);
}

function hasNpmSecret(content: Buffer): boolean {
  for (const line of content.toString('utf8').split(/\r?\n/)) {
    if (/^\s*[#;]/.test(line)) continue;
    const m = NPMRC_SECRET.exec(line);
    if (!m) continue;
    const value = m[1].trim().replace(/^["']|["']$/g, '');
    if (value !== '' && !/^\$\{[^}]+\}$/.test(value)) return true;
  }
  return false;
}

function isNpmrc(path: string): boolean {
  return baseOf(path) === '.npmrc' || path === 'etc/npmrc' || path.endsWith('/etc/npmrc');
}

function commonFolder(paths: string[]): string {
  if (paths.length === 0) return '';
  let common = dirOf(paths[0]).split('/');
  for (const p of paths.slice(1)) {
    const parts = dirOf(p).split('/');
    let i = 0;
    while (i < common.length && i < parts.length && common[i] === parts[i]) i++;
    common = common.slice(0, i);
  }
  return common.join('/');
}

function fileFindings(tree: FileTree): CountedFinding[] {
  const out: CountedFinding[] = [];
  const maps: string[] = [];
  for (const [path, node] of tree.entries()) {
    const base = baseOf(path);
    if (base === '.git' && (node.type === 'dir' || node.type === 'file')) {
      out.push(finding('git-folder', npmOwner(path), `/${path}`));
      continue;
    }
    if (node.type !== 'file') continue;
    if (path.split('/').includes('.git')) continue; // a repository's own files are the .git finding
    if (ENV_FILE.test(base)) out.push(finding('env-file', npmOwner(path), `/${path}`));
    if (node.privateKey) out.push(finding('private-key', npmOwner(path), `/${path}`));
    if (isNpmrc(path) && node.content && hasNpmSecret(node.content)) out.push(finding('npmrc-token', npmOwner(path), `/${path}`));
    if (SOURCE_MAP.test(base)) maps.push(path);
  }
  maps.sort();
  // No package name on source maps, listed or counted: variants then compare on whether they ship any at all.
  if (maps.length <= SOURCE_MAP_LIST_LIMIT) {
    for (const m of maps) out.push(finding('source-map', '', `/${m}`, 1));
  } else {
    out.push(finding('source-map', '', `/${commonFolder(maps)}`, maps.length));
  }
  return out;
}

/** Uid of a user name in the image's /etc/passwd, or undefined. */
function uidOf(tree: FileTree, name: string): number | undefined {
  const passwd = tree.read('etc/passwd')?.toString('utf8') ?? '';
  for (const line of passwd.split('\n')) {
    const f = line.split(':');
    if (f[0] === name && f.length >= 3 && /^\d+$/.test(f[2])) return Number(f[2]);
  }
  return undefined;
}

/** Root when USER is unset, 0, root, or a name that /etc/passwd gives uid 0 ("user" or "user:group"). */
export function runsAsRoot(tree: FileTree, user: string): boolean {
  const who = user.trim().split(':')[0];
  if (who === '' || who === 'root') return true;
  if (/^\d+$/.test(who)) return Number(who) === 0;
  return uidOf(tree, who) === 0;
}

const ID_ORDER: HygieneId[] = [
  'runs-as-root', 'shell', 'package-manager', 'compiler', 'build-tool', 'private-key', 'npmrc-token', 'env-file',
  'git-folder', 'source-map',
];

/** Every hygiene finding of the image, grouped by kind in ID_ORDER, then by tool or path. */
export function hygieneFindings(tree: FileTree, config: ImageConfig): CountedFinding[] {
  const out = [...toolFindings(tree, config), ...fileFindings(tree)];
  if (runsAsRoot(tree, config.user)) out.push(finding('runs-as-root', config.user || 'root (no USER set)', ''));
  const rank = (f: CountedFinding) => ID_ORDER.indexOf(f.id as HygieneId);
  return out.sort((a, b) => rank(a) - rank(b) || a.package.localeCompare(b.package) || a.path.localeCompare(b.path));
}

