// Stacking layers at scale (issue 13): many files that replace folders, whiteouts and an opaque folder over a wide
// lower layer, merged to the same result as the rules say. (How long it takes is a figure for the report, not a test.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mergeLayers } from '../../../src/scan/builtin/file-tree.ts';
import type { LayerEntry, LayerIndex } from '../../../src/scan/builtin/layer-index.ts';

const file = (path: string): LayerEntry => ({ path, type: 'file', size: 1, mode: 0o644, linkname: '' });
const layer = (entries: LayerEntry[], whiteouts: string[] = [], opaqueDirs: string[] = []): LayerIndex => ({ entries, whiteouts, opaqueDirs });

function wideLayers(n: number): LayerIndex[] {
  // Bottom: n folders d0..d(n-1), each with two files. Top: every even folder replaced by a file, every odd one's
  // first file whited out, and folder keep/ made opaque.
  const bottom = Array.from({ length: n }, (_, i) => [file(`d${i}/a`), file(`d${i}/b`)]).flat();
  bottom.push(file('keep/old'));
  const top = Array.from({ length: n }, (_, i) => i).filter((i) => i % 2 === 0).map((i) => file(`d${i}`));
  top.push(file('keep/new'));
  const whiteouts = Array.from({ length: n }, (_, i) => i).filter((i) => i % 2 === 1).map((i) => `d${i}/a`);
  return [layer(bottom), layer(top, whiteouts, ['keep'])];
}

test('40k folders replaced by files, 40k whiteouts and an opaque folder: the stacked tree the rules give', () => {
  const n = 80_000;
  const nodes = mergeLayers(wideLayers(n));
  assert.is(nodes.get('d0')?.type, 'file');
  assert.not.ok(nodes.has('d0/a') || nodes.has('d0/b'), 'a file that replaces a folder removes what was in it');
  assert.not.ok(nodes.has('d1/a'), 'whiteout');
  assert.ok(nodes.has('d1/b'));
  assert.not.ok(nodes.has('keep/old'), 'opaque folder');
  assert.ok(nodes.has('keep/new'));
  // n/2 files replacing folders, n/2 folders keeping one file, keep/new.
  assert.is(nodes.size, n / 2 + n / 2 + 1);
});

test('a file replaced by a folder again in a third layer holds only the new content', () => {
  const nodes = mergeLayers([layer([file('x/a')]), layer([file('x')]), layer([file('x/b')])]);
  assert.equal([...nodes.keys()].sort(), ['x', 'x/b']);
});

test.run();
