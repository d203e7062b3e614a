// One layer tar read into a list of entries, keeping only what the analyses need: each path with its type, size
// and link target, the bytes of the few files that are parsed, a private-key flag for small files, and the
// whiteouts (.wh.NAME, .wh..wh..opq) the layer applies to the layers below it.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { baseOf, depthOf, dirOf, hasPrivateKey, IMAGE_LIMITS, KEPT_TOTAL_BYTES, KEY_SNIFF_MAX_BYTES, keepsContent, normalizePath } from './image-paths.ts';

export type NodeType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

export interface LayerEntry {
  path: string;
  type: NodeType;
  size: number;
  mode: number;
  /** Symlink target as written, or the hard link's target path (normalized). */
  linkname: string;
  content?: Buffer;
  privateKey?: boolean;
}

export interface LayerIndex {
  entries: LayerEntry[];
  /** Paths deleted from the layers below (file or whole folder). */
  whiteouts: string[];
  /** Folders whose content from the layers below is hidden. */
  opaqueDirs: string[];
}

const OPAQUE = '.wh..wh..opq';
const WHITEOUT = '.wh.';

function nodeType(t: string | null | undefined): NodeType {
  switch (t) {
    case 'file':
    case 'contiguous-file':
    case undefined:
    case null:
      return 'file';
    case 'directory':
      return 'dir';
    case 'symlink':
      return 'symlink';
    case 'link':
      return 'hardlink';
    default:
      return 'other';
  }
}

// tar-stream's entries are streamx streams of Buffers, typed as unknown.
async function collect(entry: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of entry) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function drain(entry: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of entry) {
    // discard: only the header mattered
  }
}

/** A stream that starts with `head` and goes on with the rest of `it`. */
function rejoin(head: Buffer, it: AsyncIterator<unknown>): Readable {
  return Readable.from(
    (async function* () {
      yield head;
      for (;;) {
        const n = await it.next();
        if (n.done) return;
        yield n.value;
      }
    })(),
  );
}

/** Bytes the layers of one image may still keep (shared by its layers; see KEPT_TOTAL_BYTES). */
export interface KeptBudget {
  left: number;
  /** Entries read so far across the image's layers (IMAGE_LIMITS.entries). */
  entries?: number;
}

/** Reads a layer tar (plain or gzip-compressed, as OCI layouts may hold it). */
export async function indexLayer(input: AsyncIterable<unknown>, budget: KeptBudget = { left: KEPT_TOTAL_BYTES }): Promise<LayerIndex> {
  const it = input[Symbol.asyncIterator]();
  const first = await it.next();
  const index: LayerIndex = { entries: [], whiteouts: [], opaqueDirs: [] };
  if (first.done) return index;
  const head = first.value as Buffer;
  const body = rejoin(head, it);
  const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;

  const extract = tar.extract();
  const feeding = gzip ? pipeline(body, createGunzip(), extract) : pipeline(body, extract);
  // A failure of the feeding side also ends the loop below with the same error; this keeps it from being unhandled.
  feeding.catch(() => undefined);
  for await (const entry of extract) {
    const h = entry.header;
    const path = normalizePath(h.name);
    budget.entries = (budget.entries ?? 0) + 1;
    if (budget.entries > IMAGE_LIMITS.entries) {
      throw new Error(`the image holds more than ${IMAGE_LIMITS.entries} files and folders across its layers; the built-in scanner reads no more. Scan this image with trivy or grype (--scanner).`);
    }
    if (depthOf(path) > IMAGE_LIMITS.pathDepth) {
      throw new Error(`the image holds a path ${depthOf(path)} folders deep (${path.slice(0, 80)}...); the built-in scanner reads paths up to ${IMAGE_LIMITS.pathDepth} deep. Scan this image with trivy or grype (--scanner).`);
    }
    const base = baseOf(path);
    if (base === OPAQUE) {
      index.opaqueDirs.push(dirOf(path));
      await drain(entry);
      continue;
    }
    if (base.startsWith(WHITEOUT)) {
      const dir = dirOf(path);
      index.whiteouts.push(dir ? `${dir}/${base.slice(WHITEOUT.length)}` : base.slice(WHITEOUT.length));
      await drain(entry);
      continue;
    }
    const type = nodeType(h.type);
    const size = h.size ?? 0;
    const e: LayerEntry = {
      path,
      type,
      size,
      mode: h.mode ?? 0,
      linkname: type === 'hardlink' ? normalizePath(h.linkname ?? '') : (h.linkname ?? ''),
    };
    if (type === 'file' && (keepsContent(path, size) || size <= KEY_SNIFF_MAX_BYTES)) {
      if (keepsContent(path, size)) {
        budget.left -= size;
        if (budget.left < 0) {
          throw new Error(
            `the image's package metadata (package.json, dpkg status, ...) passes ${KEPT_TOTAL_BYTES / 1024 / 1024} MiB at ${path}; ` +
              'the built-in scanner keeps no more in memory. Scan this image with trivy or grype (--scanner).',
          );
        }
      }
      const bytes = await collect(entry);
      if (keepsContent(path, size)) e.content = bytes;
      if (size <= KEY_SNIFF_MAX_BYTES && hasPrivateKey(bytes)) e.privateKey = true;
    } else {
      await drain(entry);
    }
    if (path !== '') index.entries.push(e);
  }
  await feeding;
  return index;
}
