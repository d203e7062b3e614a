// The engine stops in the middle of a build (issue 8, "Faults"): the sample in flight fails saying what happened,
// the run waits STAGEBENCH_ENGINE_WAIT_S for the engine, then stops cleanly (exit 3, rows kept) or, when the engine
// is back in time, goes on with the next variant. The engine here is a private one the test starts, stops and
// restarts: the shared engine is never touched.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSamples } from '../../../src/results/read.ts';
import { hasStackTrace } from '../../support/cli.ts';
import { makeScenario, slimDockerfile, uniqueToken } from '../../support/scenario-folder.ts';
import { cleanupAfter, setupBefore } from '../../support/setup.ts';
import { Folders, PrivateEngine, exitOf, foldersOf, killHarness, killWithChildren, processesWith, runIdIn, startHarness, until, type Harness } from './support.ts';
import { liveRunsDir } from '../../../src/run/live-runs.ts';

const token = uniqueToken();
const dirs = new Folders();
let root = '';
let engine: PrivateEngine;

setupBefore(test, () => {
  root = dirs.make('faults-engine');
  // a: quick; b: a RUN step that sleeps long enough to stop the engine under it; c: quick, after b.
  makeScenario(root, 'eng', {
    variants: {
      a: { dockerfile: slimDockerfile(`echo ${token}-a > /t.txt`) },
      b: { dockerfile: slimDockerfile(`echo ${token}-b > /t.txt && sleep 120`) },
      c: { dockerfile: slimDockerfile(`echo ${token}-c > /t.txt`) },
    },
  });
  engine = new PrivateEngine(dirs.make('fe'));
});
const harnesses: Harness[] = [];
let loaded = false;

async function engineUp(): Promise<void> {
  await engine.start();
  if (!loaded) await engine.load('stagebench-offline/node:20-slim');
  loaded = true;
}

function run(variants: string, out: string, waitS: number): Harness {
  const h = startHarness(['run', '--scenarios', root, '--variant', variants, '--phase', 'build-cold', '--iterations', '1', '--out', out], {
    env: { DOCKER_HOST: engine.host, STAGEBENCH_ENGINE_WAIT_S: String(waitS) },
  });
  harnesses.push(h);
  return h;
}

/** Variant b's RUN step is running: the moment to stop the engine. */
const bBuilding = () => until("variant b's slow RUN step", () => processesWith(`${token}-b`).length > 0, 120_000);

test('engine stopped mid-build, not back within the wait: the sample fails, the run stops with exit 3, rows kept', async () => {
  await engineUp();
  const out = join(root, 'stopped');
  const h = run('a,b,c', out, 5);
  const runId = await until('run.json', () => runIdIn(out), 60_000);
  await bBuilding();
  await engine.stop();
  const { code } = await exitOf(h, 120_000);
  const stderr = h.stderr();
  assert.is(code, 3, stderr);
  assert.not.ok(hasStackTrace(stderr), stderr);
  assert.match(stderr, /stopped answering; waiting up to 5 s/);
  const last = stderr.trim().split('\n').filter((l) => l.startsWith('stagebench: error: ')).pop() ?? '';
  assert.match(last, /the engine at unix:\/\/\S+ stopped answering during the run and did not come back within 5 s.*kept.*--resume/, stderr);

  const text = readFileSync(join(out, 'samples.csv'), 'utf8');
  assert.ok(text.endsWith('\n'), 'samples.csv ends with a whole row');
  const rows = readSamples(out);
  assert.equal(rows.map((r) => `${r.variant}:${r.ok}`), ['a:true', 'b:false'], 'a measured, b failed, c never started');
  assert.ok((rows[0].duration_ms ?? 0) > 0 && rows[0].image_bytes, "the earlier row is intact");
  assert.match(rows[1].error, /stream|engine|connect|socket|EOF/i, `b's error says what happened: ${rows[1].error}`);

  // No stagebench process or run folder is left; the run's images stay on the stopped engine for clean. (The RUN
  // step itself may outlive a stopped dockerd 20.10: BuildKit's runc process is the engine's, not the harness's.)
  assert.equal(processesWith(root).filter((p) => p.pid !== h.pid), [], 'no stagebench process left');
  assert.equal(foldersOf(runId), [], "the run's temp folders are removed");
  assert.not.ok(existsSync(join(liveRunsDir(), `${runId}.json`)), 'the run record is removed');
});

test('engine restarted within the wait: b fails, the run goes on and measures c, exit 1', async () => {
  await engineUp();
  const out = join(root, 'restarted');
  const h = run('b,c', out, 60);
  await until('run.json', () => runIdIn(out), 60_000);
  await bBuilding();
  await engine.stop();
  await until('stagebench noticing', () => /stopped answering; waiting up to 60 s/.test(h.stderr()), 60_000);
  await engine.start();
  const { code } = await exitOf(h, 180_000);
  const stderr = h.stderr();
  assert.is(code, 1, stderr);
  assert.not.ok(hasStackTrace(stderr), stderr);
  assert.match(stderr, /the engine answers again; going on/);
  const rows = readSamples(out);
  assert.equal(rows.map((r) => r.variant), ['b', 'c']);
  assert.is(rows[0].ok, false);
  assert.is(rows[1].ok, true, rows[1].error);
  assert.is(rows[1].cached_steps, 0, 'c is a true cold build on the restarted engine');
});

cleanupAfter(test, async () => {
  for (const h of harnesses) killHarness(h);
  await engine?.remove();
  killWithChildren(processesWith(`${token}-b`));
  dirs.remove();
});

test.run();
