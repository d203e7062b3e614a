// The `docker save` tar stream read into the image's config and its layers in order. Both forms are read: Docker's
// own (<id>/layer.tar, <id>.json, manifest.json) and the OCI layout of Docker 25+ (blobs/sha256/<digest>); in
// either, manifest.json names the config and the layers, and usually comes last, so every layer is indexed as it
// streams past and put in order at the end.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { dirOf, KEPT_TOTAL_BYTES, normalizePath } from './image-paths.ts';
import { indexLayer, type KeptBudget, type LayerIndex } from './layer-index.ts';

export interface ImageConfig {
  /** USER of the image ('' when none was set, which means root). */
  user: string;
  env: string[];
  entrypoint: string[];
  cmd: string[];
  /** WORKDIR of the image ('' when none was set). */
  workingDir?: string;
}

/** One step of the image history: the instruction, and whether it made a layer (empty_layer is false). */
export interface HistoryStep {
  createdBy: string;
  emptyLayer: boolean;
}

export interface SavedImage {
  config: ImageConfig;
  /** Bottom layer first. */
  layers: LayerIndex[];
  /** The config's history, oldest first ([] when the image has none). */
  history: HistoryStep[];
}

// Config and manifest files are small; an entry larger than this is a layer and is indexed while it streams.
const SMALL_ENTRY_BYTES = 4 * 1024 * 1024;

function looksLikeArchive(b: Buffer): boolean {
  const gzip = b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
  const ustar = b.length >= 262 && b.toString('latin1', 257, 262) === 'ustar';
  return gzip || ustar;
}

// tar-stream's entries are streamx streams of Buffers, typed as unknown.
async function collect(entry: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of entry) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

function configOf(doc: unknown): ImageConfig {
  const c = ((doc as { config?: Record<string, unknown> } | null)?.config ?? {}) as Record<string, unknown>;
  return {
    user: typeof c.User === 'string' ? c.User : '',
    env: stringList(c.Env),
    entrypoint: stringList(c.Entrypoint),
    cmd: stringList(c.Cmd),
    workingDir: typeof c.WorkingDir === 'string' ? c.WorkingDir : '',
  };
}

function historyOf(doc: unknown): HistoryStep[] {
  const h = (doc as { history?: unknown } | null)?.history;
  if (!Array.isArray(h)) return [];
  return h.map((step: Record<string, unknown>) => ({
    createdBy: typeof step?.created_by === 'string' ? step.created_by : '',
    emptyLayer: step?.empty_layer === true,
  }));
}

interface ManifestItem {
  Config?: string;
  RepoTags?: string[] | null;
  Layers?: string[];
}

/**
 * Destroys an export stream when `signal` aborts (Ctrl-C, --timeout), which ends its reading with an error naming
 * `what`. Returns the function that stops listening.
 */
export function stopOnAbort(stream: NodeJS.ReadableStream, what: string, signal?: AbortSignal): () => void {
  const stop = () => (stream as Readable).destroy?.(new Error(`${what} stopped: ${String(signal?.reason ?? 'aborted')}`));
  // Aborted before the reader took the stream, its error would have no listener; the reader sees it either way.
  stream.on('error', () => undefined);
  if (signal?.aborted) stop();
  signal?.addEventListener('abort', stop, { once: true });
  return () => signal?.removeEventListener('abort', stop);
}

/** Reads the whole stream. Throws when it is not a saved image (no manifest.json, a missing layer or config). */
export async function readSavedImage(stream: NodeJS.ReadableStream, ref = ''): Promise<SavedImage> {
  const layers = new Map<string, LayerIndex>();
  const small = new Map<string, Buffer>();
  const budget: KeptBudget = { left: KEPT_TOTAL_BYTES };
  const aliases = new Map<string, string>();

  const extract = tar.extract();
  const feeding = pipeline(stream as unknown as Readable, extract);
  feeding.catch(() => undefined);
  for await (const entry of extract) {
    const name = normalizePath(entry.header.name);
    const type = entry.header.type;
    if (type === 'symlink' || type === 'link') {
      // docker save links a layer that appears twice to its first copy.
      const target = entry.header.linkname ?? '';
      aliases.set(name, type === 'link' ? normalizePath(target) : normalizePath(`${dirOf(name)}/${target}`));
      await collect(entry);
      continue;
    }
    if (type !== 'file' && type !== 'contiguous-file') {
      await collect(entry);
      continue;
    }
    if ((entry.header.size ?? 0) <= SMALL_ENTRY_BYTES) {
      const bytes = await collect(entry);
      if (looksLikeArchive(bytes)) layers.set(name, await indexLayer(Readable.from([bytes]), budget));
      else small.set(name, bytes);
    } else {
      layers.set(name, await indexLayer(entry, budget));
    }
  }
  await feeding;

  const manifestBytes = small.get('manifest.json');
  if (!manifestBytes) throw new Error(`the saved image stream of ${ref || 'the image'} has no manifest.json: it is not a docker save archive`);
  const manifest = JSON.parse(manifestBytes.toString('utf8')) as ManifestItem[];
  if (!Array.isArray(manifest) || manifest.length === 0) throw new Error('manifest.json of the saved image lists no image');
  const item = manifest.find((m) => (m.RepoTags ?? []).includes(ref)) ?? manifest[0];

  const resolve = (name: string): string => {
    let n = normalizePath(name);
    for (let i = 0; i < 8 && aliases.has(n); i++) n = aliases.get(n)!;
    return n;
  };
  const ordered: LayerIndex[] = [];
  for (const l of item.Layers ?? []) {
    const layer = layers.get(resolve(l));
    if (!layer) throw new Error(`manifest.json of the saved image names layer ${l}, which is not in the archive`);
    ordered.push(layer);
  }
  const configBytes = item.Config ? small.get(resolve(item.Config)) : undefined;
  if (!configBytes) throw new Error(`manifest.json of the saved image names config ${item.Config ?? '(none)'}, which is not in the archive`);
  const configDoc: unknown = JSON.parse(configBytes.toString('utf8'));
  return { config: configOf(configDoc), layers: ordered, history: historyOf(configDoc) };
}
