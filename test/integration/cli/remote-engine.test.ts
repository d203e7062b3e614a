// A run against an engine reached only over TCP (issue 14, "Remote engines for real"): how users spread runs over
// machines with --shard and merge. The test starts a second engine listening on a loopback port, points DOCKER_HOST
// at it, and checks that the run's rows and run.json name that engine, and that nothing of the run is left on it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSamples } from '../../../src/results/read.ts';
import { LABEL_SCENARIO } from '../../../src/engine/labels.ts';
import { DOCKER } from '../../support/docker.ts';
import { spawnCaptured } from '../../support/spawn.ts';
import { cleanupAfter, setupBefore } from '../../support/setup.ts';
import { Folders, PrivateEngine, exitOf, killHarness, quickPushScenario, startHarness, type Harness } from '../faults/support.ts';

const dirs = new Folders();
let engine: PrivateEngine;
let root = '';
let port = 0;
let h: Harness | undefined;

/** A loopback port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

setupBefore(test, async () => {
  root = dirs.make('remote-engine');
  quickPushScenario(root, 'quick', { a: 1 });
  port = await freePort();
  // Short: the engine's containerd socket lies below it, within the 108 bytes a socket path has.
  engine = new PrivateEngine(dirs.make('/tmp/sbr'), port);
  await engine.start();
  await engine.load('stagebench-offline/node:20-slim');
});

test('a run over DOCKER_HOST=tcp://127.0.0.1:PORT names that engine in its rows and run.json', async () => {
  const host = `tcp://127.0.0.1:${port}`;
  const out = join(root, 'run');
  h = startHarness(['run', '--scenarios', root, '--variant', 'a', '--phase', 'build-cold,build-warm', '--iterations', '2', '--out', out], {
    env: { DOCKER_HOST: host },
  });
  const { code } = await exitOf(h, 300_000);
  assert.is(code, 0, h.stderr());
  assert.match(h.stderr() + h.stdout(), new RegExp(`at ${host.replace(/[.]/g, '\\.')}`), 'the screen names the engine');
  const rows = readSamples(join(out, 'samples.csv'));
  assert.is(rows.length, 4);
  for (const r of rows) {
    assert.ok(r.ok, `${r.phase} #${r.iteration}: ${r.error}`);
    assert.is(r.host, `127.0.0.1:${port}`, 'the host column names the remote engine, not this machine');
  }
  const info = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { environment: { engine_host?: string; host?: string } };
  assert.ok(JSON.stringify(info.environment).includes(`127.0.0.1:${port}`), JSON.stringify(info.environment));
  // The run removed its images from the engine it ran on.
  const left = await spawnCaptured(DOCKER, ['-H', host, 'images', '-q', '--filter', `label=${LABEL_SCENARIO}=quick`]);
  assert.is(left.code, 0, left.stderr);
  assert.is(left.stdout.trim(), '', 'no image of the run is left on the remote engine');
});

cleanupAfter(test, async () => {
  killHarness(h);
  await engine?.remove();
  dirs.remove();
});

test.run();
