// The image filesystem read from a `docker save` stream: layers stacked in manifest order, whiteouts and opaque
// folders applied to lower layers only, hard and symbolic links, gzip layers and the OCI layout.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FileTree } from '../../../src/scan/builtin/file-tree.ts';
import { readSavedImage } from '../../../src/scan/builtin/saved-image.ts';
import { layerTar, savedImage } from '../../fixtures/scan/saved-image.ts';

async function treeOf(stream: NodeJS.ReadableStream): Promise<FileTree> {
  return FileTree.fromLayers((await readSavedImage(stream)).layers);
}

function paths(tree: FileTree): string[] {
  return [...tree.nodes.keys()].sort();
}

test('a later layer replaces a file; a whiteout deletes a file and a whole folder below it', async () => {
  const base = await layerTar([
    { name: 'app/', type: 'directory' },
    { name: 'app/.env', content: 'SECRET=1' },
    { name: 'app/server.js', content: 'v1' },
    { name: 'app/src/', type: 'directory' },
    { name: 'app/src/a.ts', content: 'a' },
    { name: 'app/src/deep/b.ts', content: 'b' },
  ]);
  const top = await layerTar([
    { name: 'app/.wh..env' },
    { name: 'app/.wh.src' },
    { name: 'app/server.js', content: 'v2' },
  ]);
  const tree = await treeOf(await savedImage({ layers: [base, top] }));
  assert.equal(paths(tree), ['app', 'app/server.js']);
  assert.is(tree.nodes.get('app/server.js')?.size, 2);
});

test('an opaque folder hides the lower layers\' content but keeps its own layer\'s entries', async () => {
  const base = await layerTar([
    { name: 'app/node_modules/left-pad/package.json', content: '{"name":"left-pad","version":"1.0.0"}' },
    { name: 'app/keep.txt', content: 'k' },
  ]);
  const top = await layerTar([
    { name: 'app/node_modules/', type: 'directory' },
    { name: 'app/node_modules/.wh..wh..opq' },
    { name: 'app/node_modules/express/package.json', content: '{"name":"express","version":"4.19.2"}' },
  ]);
  const tree = await treeOf(await savedImage({ layers: [base, top] }));
  assert.equal(paths(tree), ['app/keep.txt', 'app/node_modules', 'app/node_modules/express/package.json']);
});

test('a whiteout does not delete what its own layer adds, and layers apply in manifest order', async () => {
  const l1 = await layerTar([{ name: 'etc/motd', content: 'one' }]);
  const l2 = await layerTar([{ name: 'etc/.wh.motd' }, { name: 'etc/issue', content: 'x' }]);
  const l3 = await layerTar([{ name: 'etc/motd', content: 'three!' }]);
  const tree = await treeOf(await savedImage({ layers: [l1, l2, l3] }));
  assert.equal(paths(tree), ['etc/issue', 'etc/motd']);
  assert.is(tree.nodes.get('etc/motd')?.size, 6);
});

test('a file replacing a folder removes the folder\'s children', async () => {
  const l1 = await layerTar([{ name: 'opt/tool/bin/run', content: 'x' }]);
  const l2 = await layerTar([{ name: 'opt/tool', content: 'now a file' }]);
  const tree = await treeOf(await savedImage({ layers: [l1, l2] }));
  assert.equal(paths(tree), ['opt/tool']);
});

test('"./" prefixes are dropped; symlinks resolve through folders (merged /usr) and relative targets', async () => {
  const l = await layerTar([
    { name: './bin', type: 'symlink', linkname: 'usr/bin' },
    { name: './usr/bin/dash', content: '#!' },
    { name: './usr/bin/sh', type: 'symlink', linkname: 'dash' },
    { name: './usr/lib/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
    { name: './etc/os-release', type: 'symlink', linkname: '../usr/lib/os-release' },
    { name: './etc/loop', type: 'symlink', linkname: '/etc/loop' },
  ]);
  const tree = await treeOf(await savedImage({ layers: [l] }));
  assert.is(tree.resolve('/bin/sh')?.path, 'usr/bin/dash');
  assert.is(tree.resolve('/bin/sh', false)?.path, 'usr/bin/sh');
  assert.is(tree.read('etc/os-release')?.toString(), 'ID=debian\nVERSION_ID="12"\n');
  assert.is(tree.resolve('/etc/loop'), undefined);
  assert.is(tree.resolve('/usr/bin/missing'), undefined);
});

test('a hard link shares its target\'s kept content', async () => {
  const l = await layerTar([
    { name: 'var/lib/dpkg/status', content: 'Package: a\nVersion: 1\n' },
    { name: 'var/lib/dpkg/status.d/a', type: 'link', linkname: 'var/lib/dpkg/status' },
  ]);
  const tree = await treeOf(await savedImage({ layers: [l] }));
  assert.is(tree.read('var/lib/dpkg/status.d/a')?.toString(), 'Package: a\nVersion: 1\n');
});

test('gzip layers, the OCI layout and a repeated layer saved as a link read the same', async () => {
  const l1 = await layerTar([{ name: 'a.txt', content: 'a' }, { name: 'b.txt', content: 'b' }]);
  const l2 = await layerTar([{ name: '.wh.a.txt' }]);
  for (const format of ['docker', 'oci'] as const) {
    const tree = await treeOf(await savedImage({ layers: [l1, l2], format, gzipLayers: true }));
    assert.equal(paths(tree), ['b.txt'], format);
  }
  // The repeated first layer comes back on top of the whiteout.
  const again = await treeOf(await savedImage({ layers: [l1, l2], repeatFirstLayerAsLink: true }));
  assert.equal(paths(again), ['a.txt', 'b.txt']);
});

test('the image config is read from the archive', async () => {
  const l = await layerTar([{ name: 'x', content: '' }]);
  const saved = await readSavedImage(await savedImage({ layers: [l], config: { User: 'node', Env: ['PATH=/nodejs/bin'], Entrypoint: ['/nodejs/bin/node'] } }));
  assert.equal(saved.config, { user: 'node', env: ['PATH=/nodejs/bin'], entrypoint: ['/nodejs/bin/node'], cmd: [], workingDir: '' });
});

test('a stream that is not a saved image is an error, not an empty image', async () => {
  const l = await layerTar([{ name: 'just-a-layer.txt', content: 'x' }]);
  const { Readable } = await import('node:stream');
  try {
    await readSavedImage(Readable.from([l]));
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.match((err as Error).message, /no manifest\.json/);
  }
});

test.run();
