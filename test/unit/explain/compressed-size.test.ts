// The compressed size explain A B gives without a registry: each layer tar of a `docker save` archive gzipped at
// level 6, plus the config as it is; the export's own index files and the legacy per-layer json/VERSION are not
// pushed, and a layer the archive links to twice counts once.
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import tar from 'tar-stream';
import { compressedSize } from '../../../src/explain/compressed-size.ts';

async function archive(entries: Array<{ name: string; body?: Buffer; linkname?: string }>): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) {
    if (e.linkname) pack.entry({ name: e.name, type: 'symlink', linkname: e.linkname });
    else pack.entry({ name: e.name }, e.body!);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack as unknown as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

test('layers gzipped, the config as is, index files and legacy metadata left out, a linked layer once', async () => {
  const text = Buffer.from('console.log("hello");\n'.repeat(20_000));
  const layer = await archive([{ name: 'app/server.js', body: text }]);
  const config = Buffer.from(JSON.stringify({ config: { WorkingDir: '/app' }, history: [] }));
  const saved = await archive([
    { name: 'abc/layer.tar', body: layer },
    { name: 'abc/json', body: Buffer.from('{"id":"abc"}') },
    { name: 'abc/VERSION', body: Buffer.from('1.0') },
    { name: 'def/layer.tar', linkname: '../abc/layer.tar' },
    { name: 'cfg123.json', body: config },
    { name: 'manifest.json', body: Buffer.from('[{"Config":"cfg123.json","Layers":["abc/layer.tar","def/layer.tar"]}]') },
    { name: 'repositories', body: Buffer.from('{}') },
  ]);
  const n = await compressedSize(Readable.from([saved]));
  assert.is(n, gzipSync(layer, { level: 6 }).length + config.length);
  assert.ok(n < layer.length / 10, 'the layer compresses');
});

test.run();
