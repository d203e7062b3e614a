// Where every byte of an image comes from: sizes by layer (with the instruction that made it), by top-level
// folder and by category, the largest files and npm packages, devDependencies apart from production ones, OS
// packages by installed size with the toolchain summed apart, caches, wasted bytes and dive's efficiency score,
// and a verdict naming the three biggest avoidable costs. Pure: it reads what the built-in scanner's reader gives.
import { FileTree } from '../scan/builtin/file-tree.ts';
import { dirOf, normalizePath } from '../scan/builtin/image-paths.ts';
import type { LayerIndex } from '../scan/builtin/layer-index.ts';
import { npmPackages } from '../scan/builtin/npm-packages.ts';
import { parseDeb822 } from '../scan/builtin/os-packages.ts';
import type { SavedImage } from '../scan/builtin/saved-image.ts';
import { COMPOSITION_CATEGORIES, type CompositionCategory } from '../types.ts';
import { cacheKind, categorise, isToolchainPackage, packageDirOf, type CacheKind } from './categories.ts';
import { devPackageRule, type DevSource } from './dev-dependencies.ts';
import { verdictOf, type Cost } from './verdict.ts';

export interface LayerSize {
  index: number;
  bytes: number;
  instruction: string;
  share: number;
}

export interface Explanation {
  image: string;
  /** Bytes of the files in the final filesystem (what `docker images` counts, uncompressed, less metadata). */
  totalBytes: number;
  /** Bytes of every layer added up, wasted ones included: the seven categories add up to this. */
  layerBytes: number;
  /**
   * The text of every symlink's target in every layer. No category holds it. The engine (20.10, overlay2) counts it
   * as a link's size in layers it unpacked itself (imported, legacy-built) but not in layers BuildKit made, so its
   * image size lies between layerBytes and layerBytes plus this (seen: express-api single, 338 bytes of .bin links in
   * the `npm install` layer not counted, every other link counted).
   */
  symlinkBytes: number;
  layers: LayerSize[];
  folders: Array<{ folder: string; bytes: number }>;
  largestFiles: Array<{ path: string; bytes: number }>;
  categories: Record<CompositionCategory, number>;
  /** Per layer (bottom first), the bytes it holds of each category: its files that survive, and what it wrote that a later layer buried (wasted). Each category adds up to `categories`. */
  layerCategories: Array<Record<CompositionCategory, number>>;
  devSource: DevSource;
  packages: Array<{ name: string; dir: string; bytes: number; dev: boolean }>;
  duplicates: Array<{ name: string; versions: string[] }>;
  osPackages: Array<{ name: string; bytes: number; toolchain: boolean }>;
  osToolchainBytes: number;
  caches: Array<{ kind: CacheKind; bytes: number }>;
  wastedBytes: number;
  wastedFiles: Array<{ path: string; bytes: number; layer: number }>;
  /** dive's score: the sum over paths of the smallest size seen, over the sum of every size seen (1 = nothing wasted). */
  efficiency: number;
  verdict: Cost[];
}

export interface ExplainOptions {
  /** A lockfile's text given with --lockfile, read instead of the one in the image. */
  lockfile?: string;
  top?: number;
}

function fileBytes(layer: LayerIndex): number {
  // A hard link's tar entry has size 0: the bytes are counted once, at its target.
  let n = 0;
  for (const e of layer.entries) if (e.type === 'file') n += e.size;
  return n;
}

/** The instruction that made each layer: history steps that are not empty_layer, in order. */
export function layerInstructions(history: SavedImage['history'], layerCount: number): string[] {
  const made = history.filter((h) => !h.emptyLayer).map((h) => (h.createdBy.trim() ? tidyInstruction(h.createdBy) : '(no instruction recorded)'));
  return Array.from({ length: layerCount }, (_, i) => made[i] ?? '(no history)');
}

/** "/bin/sh -c #(nop)  CMD [...]" and BuildKit's "RUN /bin/sh -c x # buildkit" read as the Dockerfile line. */
export function tidyInstruction(s: string): string {
  let t = s.trim().replace(/\s+# buildkit$/, '');
  t = t.replace(/^\/bin\/sh -c #\(nop\)\s+/, '');
  t = t.replace(/^\/bin\/sh -c /, 'RUN ');
  t = t.replace(/^RUN (?:\|\d+ (?:[\w-]+=\S* )*)?\/bin\/sh -c /, 'RUN ');
  return t.replace(/\s+/g, ' ');
}

interface Seen {
  size: number;
  layer: number;
}

/**
 * Wasted bytes and dive's efficiency, in one pass over the layers. Wasted: every file a layer wrote that a later
 * layer overwrote or deleted (the bytes still travel in the earlier layer). Efficiency as dive computes it
 * (filetree/efficiency.go, read not copied): each path's every appearance in a layer adds its size (a whiteout adds
 * the size of what it deleted when that was a folder, 0 for a file); score = sum of each path's smallest size / sum
 * of all sizes.
 */
export function wastedAndEfficiency(layers: LayerIndex[]): { wasted: Array<{ path: string; bytes: number; layer: number }>; efficiency: number } {
  const live = new Map<string, Seen>();
  const stats = new Map<string, { sum: number; min: number }>();
  const wasted: Array<{ path: string; bytes: number; layer: number }> = [];
  const note = (path: string, size: number) => {
    const s = stats.get(path);
    if (s) {
      s.sum += size;
      s.min = Math.min(s.min, size);
    } else stats.set(path, { sum: size, min: size });
  };
  const bury = (path: string, seen: Seen) => {
    if (seen.size > 0) wasted.push({ path: `/${path}`, bytes: seen.size, layer: seen.layer });
    live.delete(path);
  };
  layers.forEach((layer, index) => {
    const gone = [...layer.whiteouts];
    const opaque = layer.opaqueDirs;
    if (gone.length > 0 || opaque.length > 0) {
      const folderBytes = new Map<string, number>(gone.map((g) => [g, 0]));
      for (const [path, seen] of [...live]) {
        const hit = gone.find((g) => path === g || path.startsWith(`${g}/`)) ?? opaque.find((o) => o === '' || path.startsWith(`${o}/`));
        if (hit === undefined) continue;
        if (gone.includes(hit) && path !== hit) folderBytes.set(hit, (folderBytes.get(hit) ?? 0) + seen.size);
        bury(path, seen);
      }
      for (const g of gone) note(g, folderBytes.get(g) ?? 0);
    }
    const dirsWithChildren = new Set<string>();
    for (const e of layer.entries) dirsWithChildren.add(dirOf(e.path));
    for (const e of layer.entries) {
      // dive visits the leaves of each layer's tree: files, links and folders with nothing under them in that layer.
      if (e.type === 'dir' && dirsWithChildren.has(e.path)) continue;
      const size = e.type === 'file' ? e.size : 0;
      note(e.path, size);
      const before = live.get(e.path);
      if (before) bury(e.path, before);
      if (e.type !== 'dir') live.set(e.path, { size, layer: index });
    }
  });
  let min = 0;
  let sum = 0;
  for (const s of stats.values()) {
    min += s.min;
    sum += s.sum;
  }
  return { wasted, efficiency: sum === 0 ? 1 : min / sum };
}

/** OS packages with their installed size in bytes: dpkg's Installed-Size is in KiB, apk's I: field in bytes. */
export function osPackageSizes(tree: FileTree): Array<{ name: string; bytes: number }> {
  const out: Array<{ name: string; bytes: number }> = [];
  const dpkg = (text: string) => {
    for (const p of parseDeb822(text)) {
      if (!p.Package) continue;
      if (p.Status !== undefined && p.Status.split(/\s+/)[2] !== 'installed') continue;
      out.push({ name: p.Package, bytes: Number(p['Installed-Size'] ?? 0) * 1024 || 0 });
    }
  };
  const status = tree.read('var/lib/dpkg/status');
  if (status) dpkg(status.toString('utf8'));
  for (const [path, node] of tree.entries()) {
    if (path.startsWith('var/lib/dpkg/status.d/') && node.type === 'file' && node.content && !path.endsWith('.md5sums')) dpkg(node.content.toString('utf8'));
  }
  const apk = tree.read('lib/apk/db/installed');
  if (apk) {
    for (const block of apk.toString('utf8').split(/\n\s*\n/)) {
      const name = /^P:(.*)$/m.exec(block)?.[1];
      if (name) out.push({ name, bytes: Number(/^I:(\d+)$/m.exec(block)?.[1] ?? 0) });
    }
  }
  return out.sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
}

function addTo<K>(m: Map<K, number>, k: K, n: number): void {
  m.set(k, (m.get(k) ?? 0) + n);
}

function top<K>(m: Map<K, number>, n: number): Array<[K, number]> {
  return [...m].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0]))).slice(0, n);
}

export function explainImage(image: string, saved: SavedImage, options: ExplainOptions = {}): Explanation {
  const n = options.top ?? 10;
  const tree = FileTree.fromLayers(saved.layers);
  const appDir = normalizePath(saved.config.workingDir ?? '');
  const dev = devPackageRule(tree, appDir, options.lockfile);

  const zero = () => Object.fromEntries(COMPOSITION_CATEGORIES.map((c) => [c, 0])) as Record<CompositionCategory, number>;
  const categories = zero();
  const layerCategories = saved.layers.map(zero);
  // The layer that wrote each path last: the one whose copy of a surviving file is in the final filesystem.
  const writer = new Map<string, number>();
  saved.layers.forEach((l, i) => {
    for (const e of l.entries) writer.set(e.path, i);
  });
  const folders = new Map<string, number>();
  const files = new Map<string, number>();
  const packages = new Map<string, number>();
  const caches = new Map<CacheKind, number>();
  // The tree gives a hard link its target's size; its bytes are on disk once, at the target.
  const linked = new Set<string>();
  for (const l of saved.layers) for (const e of l.entries) if (e.type === 'hardlink') linked.add(e.path); else linked.delete(e.path);
  let total = 0;
  for (const [path, node] of tree.entries()) {
    if (node.type !== 'file' || linked.has(path)) continue;
    total += node.size;
    const category = categorise(path, { appDir, isDev: dev.isDev });
    categories[category] += node.size;
    const layer = layerCategories[writer.get(path) ?? -1];
    if (layer) layer[category] += node.size;
    addTo(folders, `/${path.split('/')[0]}`, node.size);
    files.set(`/${path}`, node.size);
    const pkg = packageDirOf(path);
    if (pkg) addTo(packages, pkg, node.size);
    const kind = cacheKind(path);
    if (kind) addTo(caches, kind, node.size);
  }
  const { wasted, efficiency } = wastedAndEfficiency(saved.layers);
  const wastedBytes = wasted.reduce((s, w) => s + w.bytes, 0);
  categories.wasted = wastedBytes;
  for (const w of wasted) if (layerCategories[w.layer]) layerCategories[w.layer].wasted += w.bytes;

  const instructions = layerInstructions(saved.history, saved.layers.length);
  const layerBytes = saved.layers.reduce((s, l) => s + fileBytes(l), 0);
  const layers = saved.layers.map((l, i) => ({ index: i, bytes: fileBytes(l), instruction: instructions[i], share: layerBytes ? fileBytes(l) / layerBytes : 0 }));

  const versions = new Map<string, Set<string>>();
  for (const p of npmPackages(tree)) {
    if (!versions.has(p.name)) versions.set(p.name, new Set());
    versions.get(p.name)!.add(p.version);
  }
  const duplicates = [...versions].filter(([, v]) => v.size > 1).map(([name, v]) => ({ name, versions: [...v].sort() })).sort((a, b) => a.name.localeCompare(b.name));

  const os = osPackageSizes(tree).map((p) => ({ ...p, toolchain: isToolchainPackage(p.name) }));
  const explanation: Explanation = {
    image,
    totalBytes: total,
    layerBytes,
    symlinkBytes: saved.layers.reduce((s, l) => s + l.entries.reduce((t, e) => t + (e.type === 'symlink' ? Buffer.byteLength(e.linkname) : 0), 0), 0),
    layers,
    folders: top(folders, Number.MAX_SAFE_INTEGER).map(([folder, bytes]) => ({ folder, bytes })),
    largestFiles: top(files, n).map(([path, bytes]) => ({ path, bytes })),
    categories,
    layerCategories,
    devSource: dev.source,
    packages: top(packages, n).map(([dir, bytes]) => ({ name: dir.slice(dir.lastIndexOf('node_modules/') + 'node_modules/'.length), dir: `/${dir}`, bytes, dev: dev.isDev(dir) })),
    duplicates,
    osPackages: os,
    osToolchainBytes: os.filter((p) => p.toolchain).reduce((s, p) => s + p.bytes, 0),
    caches: top(caches, Number.MAX_SAFE_INTEGER).map(([kind, bytes]) => ({ kind, bytes })),
    wastedBytes,
    wastedFiles: [...wasted].sort((a, b) => b.bytes - a.bytes).slice(0, n),
    efficiency,
    verdict: [],
  };
  explanation.verdict = verdictOf(explanation);
  return explanation;
}
