// npm package counts in an image installed by pnpm (issue 16): node_modules/.pnpm holds one real copy per package
// version, and node_modules/NAME and the .pnpm/node_modules hoist are symlinks into it: each version counts once.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FileTree } from '../../../src/scan/builtin/file-tree.ts';
import { npmPackages } from '../../../src/scan/builtin/npm-packages.ts';
import { readSavedImage } from '../../../src/scan/builtin/saved-image.ts';
import { layerTar, savedImage } from '../../fixtures/scan/saved-image.ts';

const manifest = (name: string, version: string) => JSON.stringify({ name, version });

test('pnpm: one package per name and version, whatever links point at it', async () => {
  const layer = await layerTar([
    { name: 'app/node_modules/.pnpm/ms@2.1.3/node_modules/ms/package.json', content: manifest('ms', '2.1.3') },
    { name: 'app/node_modules/.pnpm/debug@4.4.0/node_modules/debug/package.json', content: manifest('debug', '4.4.0') },
    // debug's own dependency link, the top-level link and the hoisted link: all point at the one ms copy.
    { name: 'app/node_modules/.pnpm/debug@4.4.0/node_modules/ms', type: 'symlink', linkname: '../../ms@2.1.3/node_modules/ms' },
    { name: 'app/node_modules/ms', type: 'symlink', linkname: '.pnpm/ms@2.1.3/node_modules/ms' },
    { name: 'app/node_modules/debug', type: 'symlink', linkname: '.pnpm/debug@4.4.0/node_modules/debug' },
    { name: 'app/node_modules/.pnpm/node_modules/ms', type: 'symlink', linkname: '../ms@2.1.3/node_modules/ms' },
    { name: 'app/node_modules/.pnpm/lock.yaml', content: "lockfileVersion: '9.0'\n" },
    { name: 'app/node_modules/.modules.yaml', content: 'layoutVersion: 5\n' },
  ]);
  const tree = FileTree.fromLayers((await readSavedImage(await savedImage({ layers: [layer] }))).layers);
  const found = npmPackages(tree).map((p) => `${p.name}@${p.version}`).sort();
  assert.equal(found, ['debug@4.4.0', 'ms@2.1.3']);
});

test.run();
