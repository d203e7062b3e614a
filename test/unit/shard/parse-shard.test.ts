import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError } from '../../../src/errors.ts';
import { parseShard } from '../../../src/shard.ts';

test('I/N, 1-based', () => {
  assert.equal(parseShard('1/3'), { index: 1, count: 3 });
  assert.equal(parseShard('3/3'), { index: 3, count: 3 });
  assert.equal(parseShard('1/1'), { index: 1, count: 1 });
  assert.equal(parseShard(' 2 / 4 '), { index: 2, count: 4 });
});

test('out of range or junk is a usage error that quotes the value', () => {
  for (const bad of ['0/2', '3/2', '1/0', '0/0', '2', 'a/b', '1/2/3', '-1/2', '1.5/2', '']) {
    try {
      parseShard(bad);
      assert.unreachable(`'${bad}' was accepted`);
    } catch (err) {
      assert.instance(err, UsageError);
      assert.ok((err as Error).message.includes(`--shard takes I/N`), (err as Error).message);
      assert.ok((err as Error).message.includes(`not '${bad}'`), (err as Error).message);
    }
  }
});

test.run();
