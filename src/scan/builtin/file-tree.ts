// The image's filesystem after its layers are stacked: later layers replace earlier entries, whiteouts delete
// what lies below them, and an opaque folder hides everything the lower layers had in it.
import type { LayerEntry, LayerIndex } from './layer-index.ts';
import { normalizePath } from './image-paths.ts';

/** A path's entry in the stacked filesystem: the layer entry that won, without its path. */
export type FsNode = Omit<LayerEntry, 'path'>;

function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) out.push(path.slice(0, i));
  return out;
}

function applyDeletions(nodes: Map<string, FsNode>, layer: LayerIndex): void {
  if (layer.whiteouts.length === 0 && layer.opaqueDirs.length === 0) return;
  const gone = new Set(layer.whiteouts);
  const opaque = new Set(layer.opaqueDirs);
  for (const path of nodes.keys()) {
    const up = ancestors(path);
    if (gone.has(path) || up.some((a) => gone.has(a) || opaque.has(a)) || (opaque.has('') && path !== '')) {
      nodes.delete(path);
    }
  }
}

function deleteBelow(nodes: Map<string, FsNode>, dir: string): void {
  const prefix = `${dir}/`;
  for (const path of nodes.keys()) if (path.startsWith(prefix)) nodes.delete(path);
}

function nodeOf(e: LayerEntry, nodes: Map<string, FsNode>): FsNode {
  if (e.type === 'hardlink') {
    // A hard link is the same file as its target, which the same layer wrote earlier.
    const target = nodes.get(e.linkname);
    if (target && target.type === 'file') {
      return { ...target, content: e.content ?? target.content, privateKey: e.privateKey ?? target.privateKey };
    }
    return { type: 'file', size: e.size, mode: e.mode, linkname: '', content: e.content, privateKey: e.privateKey };
  }
  return { type: e.type, size: e.size, mode: e.mode, linkname: e.linkname, content: e.content, privateKey: e.privateKey };
}

/** Stacks layers, bottom first. A layer's whiteouts apply to the layers below it, never to its own entries. */
export function mergeLayers(layers: LayerIndex[]): Map<string, FsNode> {
  const nodes = new Map<string, FsNode>();
  // Every folder that has held something, with or without an entry of its own; may keep a deleted one, which
  // only costs a needless search below.
  const folders = new Set<string>();
  for (const layer of layers) {
    applyDeletions(nodes, layer);
    for (const e of layer.entries) {
      if (e.type !== 'dir' && folders.has(e.path)) {
        deleteBelow(nodes, e.path);
        folders.delete(e.path);
      }
      nodes.set(e.path, nodeOf(e, nodes));
      for (const a of ancestors(e.path)) folders.add(a);
    }
  }
  return nodes;
}

const MAX_LINKS = 40;

/** The merged filesystem, with lookups that follow symbolic links as the kernel would. */
export class FileTree {
  constructor(readonly nodes: Map<string, FsNode>) {}

  static fromLayers(layers: LayerIndex[]): FileTree {
    return new FileTree(mergeLayers(layers));
  }

  entries(): IterableIterator<[string, FsNode]> {
    return this.nodes.entries();
  }

  /**
   * Follows symbolic links in every folder of the path (and in its last part unless `followLast` is false). Returns
   * the real path and its node, or undefined when the path does not exist or the links loop.
   */
  resolve(path: string, followLast = true): { path: string; node: FsNode } | undefined {
    let pending = normalizePath(path).split('/').filter((p) => p !== '');
    let done: string[] = [];
    let links = 0;
    while (pending.length > 0) {
      const [part, ...rest] = pending;
      if (part === '..') {
        done.pop();
        pending = rest;
        continue;
      }
      const here = [...done, part].join('/');
      const node = this.nodes.get(here);
      if (node?.type === 'symlink' && (rest.length > 0 || followLast)) {
        if (++links > MAX_LINKS) return undefined;
        const target = node.linkname.split('/').filter((p) => p !== '' && p !== '.');
        if (node.linkname.startsWith('/')) done = [];
        pending = [...target, ...rest];
        continue;
      }
      if (!node && rest.length === 0) return undefined;
      // A folder need not have an entry of its own in a layer tar; its children prove it exists.
      done.push(part);
      pending = rest;
    }
    const real = done.join('/');
    const node = this.nodes.get(real);
    return node ? { path: real, node } : real === '' ? { path: '', node: { type: 'dir', size: 0, mode: 0o755, linkname: '' } } : undefined;
  }

  /** The bytes of a file the layer reader kept, following links. */
  read(path: string): Buffer | undefined {
    const r = this.resolve(path);
    return r?.node.type === 'file' ? r.node.content : undefined;
  }
}
