// Which mount points a dockerd left under its folder, deepest first (src/tools/mounts.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mountsUnder } from '../../../src/tools/mounts.ts';

test('mounts strictly under the folder, deepest first; the folder itself and look-alike names are not', () => {
  const text = [
    '/dev/vda /tmp/stagebench-target-x ext4 rw 0 0',
    '/dev/vda /tmp/stagebench-target-x/data ext4 rw 0 0',
    'overlay /tmp/stagebench-target-x/data/overlay2/abc/merged overlay rw 0 0',
    '/dev/vda /tmp/stagebench-target-xy/data ext4 rw 0 0',
  ].join('\n');
  assert.equal(mountsUnder('/tmp/stagebench-target-x', text), ['/tmp/stagebench-target-x/data/overlay2/abc/merged', '/tmp/stagebench-target-x/data']);
});

test.run();
