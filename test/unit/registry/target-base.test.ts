// Where the deploy-target engine's folder goes: containerd's socket must fit in a unix socket path.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { targetBase } from '../../../src/registry/target-engine.ts';

const id = '20261129-032609-b1dd';

test('the temp folder when the socket path fits, /tmp when a long TMPDIR would push it past 103 bytes', () => {
  assert.is(targetBase(id, '/tmp'), '/tmp');
  assert.is(targetBase(id, '/tmp/sb-team'), '/tmp/sb-team');
  // The path that broke the embedded engine in the first round: /work/engines/NAME/tmp.
  assert.is(targetBase(id, '/work/engines/defrun/tmp'), '/tmp');
  assert.is(targetBase(id, `/${'x'.repeat(40)}`), '/tmp');
});

test.run();
