// Push and pull phases against the real embedded registry and a real second engine: cold moves every byte, warm
// moves less, a warm push or pull moves the image an earlier phase made, and nothing the run started is left behind.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readSamples, readRunInfo } from '../../../src/results/read.ts';
import type { SampleRow } from '../../../src/types.ts';
import { runCli } from '../../support/cli.ts';
import { shell } from '../../support/docker.ts';
import { makeScenario, slimDockerfile, uniqueToken } from '../../support/scenario-folder.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';
import { liveRunsDir } from '../../../src/run/live-runs.ts';

// Random bytes do not compress: a layer of known weight on top of the base image.
const dockerfile = slimDockerfile(`echo ${uniqueToken()} > /token.txt`, 'head -c 2000000 /dev/urandom > /payload.bin');

function processesMentioning(text: string): string[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).flatMap((p) => {
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ');
      return cmd.includes(text) ? [cmd] : [];
    } catch {
      return [];
    }
  });
}

test('cold push and pull move every byte, warm ones less, warm ones reuse the changed images, and the run leaves nothing behind', async () => {
  const root = tempDir('registry');
  makeScenario(root, 'regtest', { variants: { single: { dockerfile } } });
  const out = join(root, 'out');
  const r = await runCli(['run', '--scenarios', root, '--phase', 'build-warm-src,push,pull', '--iterations', '2', '--out', out]);
  try {
    assert.is(r.code, 0, `exit ${r.code}\n${r.stderr.slice(-3000)}`);
    const rows = readSamples(out);
    const of = (phase: string) => rows.filter((x: SampleRow) => x.phase === phase);
    for (const phase of ['push-cold', 'push-warm', 'pull-cold', 'pull-warm']) {
      assert.is(of(phase).length, 2, phase);
      for (const row of of(phase)) {
        assert.ok(row.ok, `${phase}: ${row.error}`);
        assert.ok((row.duration_ms ?? 0) > 0, `${phase} duration`);
        assert.ok((row.compressed_bytes ?? 0) > 2_000_000, `${phase} compressed_bytes ${row.compressed_bytes}`);
      }
    }
    for (const row of [...of('push-cold'), ...of('pull-cold')]) {
      assert.is(row.transfer_bytes, row.compressed_bytes, `${row.phase} #${row.iteration} moved every byte`);
    }
    const coldPush = of('push-cold')[0].transfer_bytes!;
    const coldPull = of('pull-cold')[0].transfer_bytes!;
    for (const row of of('push-warm')) assert.ok(row.transfer_bytes! < coldPush / 10, `warm push moved ${row.transfer_bytes} of ${coldPush}`);
    for (const row of of('pull-warm')) assert.ok(row.transfer_bytes! < coldPull / 10, `warm pull moved ${row.transfer_bytes} of ${coldPull}`);
    // No wasted work: push-warm pushes build-warm-src's images, pull-warm pulls push-warm's, none built again.
    const ids = (phase: string) => of(phase).map((x) => x.image_id).sort();
    assert.is(new Set(ids('build-warm-src')).size, 2, 'two source rebuilds, two images');
    assert.equal(ids('push-warm'), ids('build-warm-src'), 'push-warm pushed the source rebuilds\' images');
    assert.equal(ids('pull-warm'), ids('push-warm'), 'pull-warm pulled the images push-warm pushed');
    const info = readRunInfo(out)!;
    assert.is(info.registry.kind, 'embedded');
    assert.ok(/^127\.0\.0\.1:\d+$/.test(info.registry.address ?? ''), `registry on loopback: ${info.registry.address}`);
    assert.is(info.pull_target.kind, 'embedded');

    const runId = info.run_id;
    assert.equal(processesMentioning(runId), [], 'no registry or second engine of the run is still running');
    assert.equal(readdirSync(tmpdir()).filter((n) => n.includes(runId)), [], 'no temporary folder of the run is left');
    const labelled = await shell(`/usr/bin/docker ps -aq --filter label=org.stagebench.run=${runId}; /usr/bin/docker images -q --filter label=org.stagebench.run=${runId}`);
    assert.is(labelled.stdout.trim(), '', 'no container or image of the run is left');
    assert.ok(!existsSync(join(liveRunsDir(), `${runId}.json`)), 'the run unregistered itself');
  } finally {
    removeTempDirs();
  }
});

test.run();
