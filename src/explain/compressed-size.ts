// An image's compressed size as a push makes it, without a registry: every layer tar of the engine's export
// gzipped (level 6, the default of Go's gzip that the engine pushes with), plus the config. zlib and Go's deflate
// are different encoders at the same level, so the figure is close to a registry's, not equal: compare them with
// a push's compressed_bytes before relying on a small difference.
import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';
import type { Engine } from '../engine/engine.ts';
import { readSavedImage, type SavedImage } from '../scan/builtin/saved-image.ts';

async function gzippedBytes(entry: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  const count = new Writable({
    write(chunk: Buffer, _encoding, done) {
      n += chunk.length;
      done();
    },
  });
  await pipeline(Readable.from(entry as AsyncIterable<Buffer>), createGzip({ level: 6 }), count);
  return n;
}

/**
 * The compressed bytes of a `docker save` stream: each layer archive gzipped once (a layer the export links to
 * twice counts once, as a registry stores it once), the config and manifest files as they are. manifest.json and
 * repositories are not pushed; the config is, uncompressed.
 */
export async function compressedSize(stream: NodeJS.ReadableStream): Promise<number> {
  const extract = tar.extract();
  const feeding = pipeline(stream as unknown as Readable, extract);
  feeding.catch(() => undefined);
  let total = 0;
  for await (const entry of extract) {
    const name = entry.header.name;
    const type = entry.header.type;
    if (type !== 'file' && type !== 'contiguous-file') {
      for await (const _ of entry) void _;
      continue;
    }
    // Not pushed: the export's own index files, and the legacy per-layer json and VERSION beside each layer.tar.
    if (/(?:^|\/)(?:manifest\.json|repositories|index\.json|oci-layout)$|\/(?:json|VERSION)$/.test(name)) {
      for await (const _ of entry) void _;
      continue;
    }
    if (name.endsWith('.json') || (entry.header.size ?? 0) < 64 * 1024 && !name.endsWith('layer.tar')) {
      // The config (Docker's <id>.json, or a small blob): pushed as is. A small blob that is a layer counts as is too:
      // it compresses to about its size, a few bytes' error.
      total += entry.header.size ?? 0;
      for await (const _ of entry) void _;
      continue;
    }
    total += await gzippedBytes(entry);
  }
  await feeding;
  return total;
}

/** The image read as explain reads it and its compressed size, from one export (the stream read twice at once). */
export async function readImageAndCompressedSize(engine: Pick<Engine, 'saveImage'>, ref: string): Promise<{ saved: SavedImage; compressedBytes: number }> {
  try {
    const stream = await engine.saveImage(ref);
    const a = new PassThrough({ highWaterMark: 1 << 20 });
    const b = new PassThrough({ highWaterMark: 1 << 20 });
    stream.pipe(a);
    stream.pipe(b);
    stream.on('error', (err) => {
      a.destroy(err);
      b.destroy(err);
    });
    const [saved, compressedBytes] = await Promise.all([readSavedImage(a, ref), compressedSize(b)]);
    return { saved, compressedBytes };
  } catch (err) {
    throw new Error(`explain could not read image ${ref} from the engine's export (docker save): ${(err as Error).message}`, { cause: err });
  }
}
