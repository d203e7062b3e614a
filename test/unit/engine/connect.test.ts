// Finding the engine: DOCKER_HOST, when set, is the only engine tried (no silent fall-back to a local socket).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connectEngine, engineStrategies } from '../../../src/engine/connect.ts';

test('a DOCKER_HOST is the one candidate; its address is what the engine reports', () => {
  const strategies = engineStrategies({ DOCKER_HOST: 'tcp://127.0.0.1:1' });
  assert.is(strategies.length, 1);
  assert.is(strategies[0]()?.address, 'tcp://127.0.0.1:1');
});

test('without DOCKER_HOST the local sockets are tried in order', () => {
  assert.is(engineStrategies({}).length, 3);
});

test('a DOCKER_HOST nothing listens at: the error names it alone, and never its password', async () => {
  const saved = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = 'tcp://admin:s3cret@127.0.0.1:1';
  try {
    const err = await connectEngine().then(() => undefined, (e: Error) => e);
    assert.ok(err, 'connecting to a port nothing listens at fails');
    assert.match(err!.message, /tcp:\/\/127\.0\.0\.1:1/);
    assert.not.match(err!.message, /docker\.sock/);
    assert.not.match(err!.message, /s3cret/);
  } finally {
    if (saved === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = saved;
  }
});

test.run();
