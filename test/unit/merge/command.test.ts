import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readSamples } from '../../../src/results/read.ts';
import { cli } from '../gate/cli.ts';
import { generateRun, runInfo, tempDir, writeRunFolder } from '../gate/fixtures.ts';

test('stagebench merge A B --out DIR: exit 0, a merged run that compare reads', () => {
  const root = tempDir();
  const rows = generateRun({ runId: 'r', seed: 1, iterations: 4 });
  const a = writeRunFolder(join(root, 'a'), rows.filter((r) => r.scenario === 'next-ssr'));
  const b = writeRunFolder(join(root, 'b'), rows.filter((r) => r.scenario !== 'next-ssr'), runInfo({ env: { cpus: 4 } }));
  const out = join(root, 'all');
  const r = cli(['merge', a, b, '--out', out]);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /merged 2 run\(s\), 24 samples, into .*all \(run \d{8}-\d{6}-merged\)/);
  assert.match(r.stderr, /stagebench merge: warning: CPU count differs: 2 in .*a, 4 in .*b/);
  assert.is(readSamples(out).length, rows.length);
  const again = cli(['compare', out, out]);
  assert.is(again.status, 0, again.stderr);
});

test('without --out or without folders: exit 2 with the reason', () => {
  const root = tempDir();
  const a = writeRunFolder(join(root, 'a'), generateRun({ runId: 'r', seed: 1, iterations: 1 }));
  const noOut = cli(['merge', a]);
  assert.is(noOut.status, 2);
  assert.match(noOut.stderr, /--out DIR is required/);
  const noDirs = cli(['merge', '--out', join(root, 'x')]);
  assert.is(noDirs.status, 2);
  assert.match(noDirs.stderr, /give the run folders to merge/);
  assert.not.ok(existsSync(join(root, 'x')));
});

test.run();
