// run --against on the real engine: a baseline and a current scenario folder measured in rounds (a warm-up round,
// then ABBA), each side joined into its own run folder, and the current side's 2 s slower build found by the paired
// gate that ends the run (exit 1), with nothing of the run left on the engine; a current side whose build fails
// fails the gate (exit 1, verdict failed) however its timings compare.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSamples } from '../../../src/results/read.ts';
import { LABEL_SCENARIO } from '../../../src/engine/labels.ts';
import { hasStackTrace, runCli } from '../../support/cli.ts';
import { imagesWithLabel, removeLabelledImages } from '../../support/docker.ts';
import { makeScenario, slimDockerfile, uniqueToken } from '../../support/scenario-folder.ts';
import { cleanupAfter, setupBefore } from '../../support/setup.ts';
import { tempDir } from '../../support/temp-dir.ts';

let root = '';
const name = `against-${uniqueToken()}`;

setupBefore(test, () => {
  root = tempDir('against');
  const token = uniqueToken();
  makeScenario(join(root, 'base'), name, { variants: { single: { dockerfile: slimDockerfile(`echo ${token} > /t`) } } });
  makeScenario(join(root, 'cur'), name, { variants: { single: { dockerfile: slimDockerfile(`echo ${token} > /t && sleep 2`) } } });
  makeScenario(join(root, 'broken'), name, { variants: { single: { dockerfile: slimDockerfile(`echo ${token} > /t && exit 3`) } } });
});

cleanupAfter(test, async () => {
  await removeLabelledImages(LABEL_SCENARIO, name);
});

test('1 warm-up + 6 rounds in ABBA order: baseline/ and current/ hold rounds 1-7, the 2 s slower current side is slower, exit 1', async () => {
  const out = join(root, 'out');
  const r = await runCli(['run', '--against', join(root, 'base'), '--scenarios', join(root, 'cur'), '--phase', 'build-cold', '--iterations', '6', '--npm-registry', 'direct', '--out', out]);
  assert.is(r.code, 1, `${r.stdout}\n${r.stderr}`);
  assert.not.ok(hasStackTrace(r.stderr), r.stderr);
  assert.match(r.stdout, /^estimated: about /);
  assert.match(r.stdout, /round 1\/7 \(warm-up\) baseline exit 0/);
  assert.match(r.stdout, /round 7\/7 current {2}exit 0/);
  assert.match(r.stdout, new RegExp(`${name} +single +build-cold +6 .* slower`));
  assert.match(r.stdout, /regression: 1 slower; .*\(threshold 5%, sizes 5%, alpha 0\.05 for the run \(Holm\)\)/);
  const sides = { baseline: readSamples(join(out, 'baseline')), current: readSamples(join(out, 'current')) };
  for (const rows of Object.values(sides)) {
    assert.equal(rows.map((s) => s.iteration).sort(), [1, 2, 3, 4, 5, 6, 7]);
    assert.ok(rows.every((s) => s.ok));
  }
  // The warm-up round baseline first; then ABBA: current first in the odd analysed rounds (2, 4, 6).
  const at = (side: 'baseline' | 'current', round: number) => Date.parse(sides[side].find((s) => s.iteration === round)!.time);
  assert.equal([1, 2, 3, 4, 5, 6, 7].map((n) => at('current', n) < at('baseline', n)), [false, true, false, true, false, true, false]);
  const info = (side: string) => JSON.parse(readFileSync(join(out, side, 'run.json'), 'utf8'));
  assert.is(info('baseline').interleaved.pair, info('current').interleaved.pair);
  assert.equal([info('baseline').interleaved.side, info('current').interleaved.rounds, info('current').interleaved.warmup_rounds], ['baseline', 7, 1]);
  // compare knows the pair: the same-run threshold, and the same verdict.
  const again = await runCli(['compare', join(out, 'baseline'), join(out, 'current')]);
  assert.is(again.code, 1, again.stderr);
  assert.match(again.stdout, /threshold 5%/);
  assert.equal(await imagesWithLabel(LABEL_SCENARIO, name), [], 'every round removed its images');
});

test('a current side whose build fails: the round exits 1, the row is failed, the run exits 1', async () => {
  const out = join(root, 'out-broken');
  const r = await runCli(['run', '--against', join(root, 'base'), '--scenarios', join(root, 'broken'), '--phase', 'build-cold', '--iterations', '2', '--npm-registry', 'direct', '--out', out]);
  assert.is(r.code, 1, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /round 1\/3 \(warm-up\) current  exit 1/);
  assert.match(r.stdout, new RegExp(`${name} +single +build-cold .* failed`));
  assert.match(r.stderr, /current sample\(s\) failed where the baseline's did not/);
  const again = await runCli(['compare', join(out, 'baseline'), join(out, 'current')]);
  assert.is(again.code, 1, again.stdout);
  assert.equal(await imagesWithLabel(LABEL_SCENARIO, name), [], 'every round removed its images');
});

test.run();
