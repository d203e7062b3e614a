// run --against on the real engine: a baseline and a current scenario folder measured in alternating rounds, each
// side joined into its own run folder, and the current side's 2 s slower build found by the comparison that ends
// the run (exit 1), with nothing of the run left on the engine.
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
});

cleanupAfter(test, async () => {
  await removeLabelledImages(LABEL_SCENARIO, name);
});

test('4 rounds, sides alternating: baseline/ and current/ hold rounds 1-4, the 2 s slower current side is slower, exit 1', async () => {
  const out = join(root, 'out');
  const r = await runCli(['run', '--against', join(root, 'base'), '--scenarios', join(root, 'cur'), '--phase', 'build-cold', '--iterations', '4', '--npm-registry', 'direct', '--out', out]);
  assert.is(r.code, 1, `${r.stdout}\n${r.stderr}`);
  assert.not.ok(hasStackTrace(r.stderr), r.stderr);
  assert.match(r.stdout, /round 4\/4 current {2}exit 0/);
  assert.match(r.stdout, new RegExp(`${name} +single +build-cold .* slower`));
  assert.match(r.stdout, /regression: 1 slower; .*\(threshold 5%, sizes 5%, alpha 0\.05\)/);
  const sides = { baseline: readSamples(join(out, 'baseline')), current: readSamples(join(out, 'current')) };
  for (const rows of Object.values(sides)) {
    assert.equal(rows.map((s) => s.iteration).sort(), [1, 2, 3, 4]);
    assert.ok(rows.every((s) => s.ok));
  }
  // ABBA: current first in rounds 1 and 3, baseline first in rounds 2 and 4.
  const at = (side: 'baseline' | 'current', round: number) => Date.parse(sides[side].find((s) => s.iteration === round)!.time);
  assert.equal([1, 2, 3, 4].map((n) => at('current', n) < at('baseline', n)), [true, false, true, false]);
  const info = (side: string) => JSON.parse(readFileSync(join(out, side, 'run.json'), 'utf8'));
  assert.is(info('baseline').interleaved.pair, info('current').interleaved.pair);
  assert.equal([info('baseline').interleaved.side, info('current').interleaved.rounds], ['baseline', 4]);
  // compare knows the pair: the same-run threshold, and the same verdict.
  const again = await runCli(['compare', join(out, 'baseline'), join(out, 'current')]);
  assert.is(again.code, 1, again.stderr);
  assert.match(again.stdout, /threshold 5%/);
  assert.equal(await imagesWithLabel(LABEL_SCENARIO, name), [], 'every round removed its images');
});

test.run();
