// A build that hangs (RUN sleep 600) under --timeout 5 (issue 8, "Faults"): the sample fails saying it timed out,
// the run goes on to the next variant, exits 1, and does not wait for the sleep.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { readSamples } from '../../../src/results/read.ts';
import { hasStackTrace } from '../../support/cli.ts';
import { removeLabelledImages } from '../../support/docker.ts';
import { makeScenario, slimDockerfile, uniqueToken } from '../../support/scenario-folder.ts';
import { cleanupAfter, setupBefore } from '../../support/setup.ts';
import { Folders, LABEL, exitOf, killHarness, killWithChildren, processesWith, runIdIn, startHarness, until, type Harness } from './support.ts';

const token = uniqueToken();
const dirs = new Folders();
let root = '';

setupBefore(test, () => {
  root = dirs.make('faults-hang');
  makeScenario(root, 'hang', {
    variants: {
      stuck: { dockerfile: slimDockerfile(`echo ${token}-stuck > /t.txt && sleep 600`) },
      fine: { dockerfile: slimDockerfile(`echo ${token}-fine > /t.txt`) },
    },
  });
});
let h: Harness | undefined;
let runId = '';

test('--timeout 5 on a build that hangs: failed "timed out", the next variant measured, exit 1, long before the sleep ends', async () => {
  const out = join(root, 'run');
  const t0 = Date.now();
  h = startHarness(['run', '--scenarios', root, '--phase', 'build-cold', '--iterations', '1', '--timeout', '5', '--out', out]);
  runId = await until('run.json', () => runIdIn(out), 60_000);
  const { code } = await exitOf(h, 300_000);
  const seconds = (Date.now() - t0) / 1000;
  assert.is(code, 1, h.stderr());
  assert.not.ok(hasStackTrace(h.stderr()), h.stderr());
  assert.ok(seconds < 300, `the run took ${seconds} s: it waited for the sleep`);
  const rows = readSamples(out);
  const stuck = rows.find((r) => r.variant === 'stuck');
  const fine = rows.find((r) => r.variant === 'fine');
  assert.ok(stuck && fine, JSON.stringify(rows.map((r) => r.variant)));
  assert.is(stuck!.ok, false);
  assert.match(stuck!.error, /timed out after 5 s \(--timeout\)/);
  assert.is(fine!.ok, true, fine!.error);
  assert.match(h.stderr(), /1 sample\(s\) failed/);
});

test('the hanging RUN step does not outlive its aborted build', async () => {
  assert.ok(runId, 'the run');
  await until(`the engine to end the RUN step of the aborted build (still: ${JSON.stringify(processesWith(`${token}-stuck`))})`, () => processesWith(`${token}-stuck`).length === 0, 30_000);
});

cleanupAfter(test, async () => {
  killHarness(h);
  killWithChildren(processesWith(`${token}-stuck`));
  if (runId) await removeLabelledImages(LABEL, runId);
  dirs.remove();
});

test.run();
