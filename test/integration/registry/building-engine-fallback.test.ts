// Without a second engine (no dockerd on PATH, as on Docker Desktop), pulls go into the building engine: the run says
// so, and a cold pull that finds the base image's layers there fails its check instead of passing as cold.
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readRunInfo, readSamples } from '../../../src/results/read.ts';
import { runCli } from '../../support/cli.ts';
import { makeScenario, slimDockerfile, uniqueToken } from '../../support/scenario-folder.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

test('pull-cold into the building engine is failed as not cold, with the reason', async () => {
  const root = tempDir('fallback');
  makeScenario(root, 'fallback', { variants: { single: { dockerfile: slimDockerfile(`echo ${uniqueToken()} > /token.txt`) } } });
  const out = join(root, 'out');
  // /usr/sbin holds dockerd; the registry binary and node stay reachable.
  const r = await runCli(['run', '--scenarios', root, '--phase', 'pull-cold', '--iterations', '1', '--out', out], {
    env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
  });
  try {
    assert.is(r.code, 1, r.stderr.slice(-2000));
    assert.match(r.stderr, /no second engine for cold pulls/);
    const [row] = readSamples(out);
    assert.is(row.phase, 'pull-cold');
    assert.is(row.ok, false);
    assert.match(row.error, /^not cold: the target engine already held \d+ of \d+ layers/);
    assert.is(readRunInfo(out)!.pull_target.kind, 'building-engine');
  } finally {
    removeTempDirs();
  }
});

test.run();
