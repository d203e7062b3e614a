// A crafted image cannot hold the built-in scanner or explain for minutes: an 80 kB PATH (one folder 40,000 deep, or
// thousands of folders) and a link pointing that deep are read up to IMAGE_LIMITS; a layer entry deeper than a path
// may be fails the scan with that said, as do more entries than an image may hold.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Readable } from 'node:stream';
import { FileTree } from '../../../src/scan/builtin/file-tree.ts';
import { hygieneFindings } from '../../../src/scan/builtin/hygiene.ts';
import { IMAGE_LIMITS } from '../../../src/scan/builtin/image-paths.ts';
import { indexLayer, type LayerEntry } from '../../../src/scan/builtin/layer-index.ts';
import { layerTar } from '../../fixtures/scan/saved-image.ts';

function tree(n: number): FileTree {
  const entries: LayerEntry[] = [];
  for (let i = 0; i < n; i++) entries.push({ path: `usr/bin/tool${i}`, type: 'file', size: 1, mode: 0o755, linkname: '' });
  entries.push({ path: 'usr/bin/gcc', type: 'file', size: 1, mode: 0o755, linkname: '' });
  entries.push({ path: 'deep', type: 'symlink', size: 0, mode: 0o777, linkname: 'a/'.repeat(40_000) });
  return FileTree.fromLayers([{ entries, whiteouts: [], opaqueDirs: [] }]);
}

test('an 80 kB PATH: hygiene findings within a second or two, the usual folders still searched', () => {
  const t = tree(2000);
  for (const path of ['a/'.repeat(40_000), Array.from({ length: 8000 }, (_, i) => `/opt/d${i}`).join(':')]) {
    const start = performance.now();
    const found = hygieneFindings(t, { user: '1000', env: [`PATH=${path}:/usr/bin`], entrypoint: [], cmd: [] });
    const ms = performance.now() - start;
    assert.ok(ms < 3000, `took ${Math.round(ms)} ms`);
    assert.ok(found.some((f) => f.package === 'gcc'), 'gcc on the standard PATH is still found');
  }
});

test('a link 40,000 folders deep resolves to nothing, at once', () => {
  const start = performance.now();
  assert.is(tree(1).resolve('deep/x'), undefined);
  assert.ok(performance.now() - start < 1000);
});

test(`a layer entry more than ${IMAGE_LIMITS.pathDepth} folders deep fails the read with that said`, async () => {
  const deep = `${'d/'.repeat(IMAGE_LIMITS.pathDepth + 1)}f`;
  const bytes = await layerTar([{ name: deep, content: 'x' }]);
  const err = await indexLayer(Readable.from([bytes])).then(() => undefined, (e: unknown) => e as Error);
  assert.match(err?.message ?? '', /folders deep .* reads paths up to 256 deep/);
});

test('more entries than an image may hold: the read stops with that said', async () => {
  const bytes = await layerTar([{ name: 'a', content: 'x' }, { name: 'b', content: 'y' }]);
  const err = await indexLayer(Readable.from([bytes]), { left: 1e9, entries: IMAGE_LIMITS.entries - 1 }).then(() => undefined, (e: unknown) => e as Error);
  assert.match(err?.message ?? '', /more than 4000000 files and folders/);
});

test.run();
