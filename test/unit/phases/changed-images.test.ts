// The ledger of source-changed images that push-warm and pull-warm take over from the phase before them: handed out
// once, oldest first, per workspace, variant and state, and only on the unchanged image they were built on.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { ChangedImages } from '../../../src/phases/changed-images.ts';
import type { Measured } from '../../../src/phases/phase.ts';
import { loadScenario } from '../../../src/scenario/load.ts';
import { Workspace } from '../../../src/scenario/workspace.ts';
import { makeScenario } from '../../support/scenario-folder.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';
import { cleanupAfter } from '../../support/setup.ts';

cleanupAfter(test, removeTempDirs);

function workspaces(n: number): Workspace[] {
  const root = tempDir('changed-images');
  const scenario = loadScenario(makeScenario(root, 'alpha'));
  return Array.from({ length: n }, (_, i) => new Workspace(scenario, join(root, `ws${i}`)));
}

const all = async () => true;

test('handed out once each, oldest first; then nothing', async () => {
  const [ws] = workspaces(1);
  const ledger = new ChangedImages();
  ledger.offer(ws, 'multi', 'built', { id: 'sha256:c1', base: 'sha256:b' });
  ledger.offer(ws, 'multi', 'built', { id: 'sha256:c2', base: 'sha256:b' });
  assert.is(await ledger.take(ws, 'multi', 'built', 'sha256:b', all), 'sha256:c1');
  assert.is(await ledger.take(ws, 'multi', 'built', 'sha256:b', all), 'sha256:c2');
  assert.is(await ledger.take(ws, 'multi', 'built', 'sha256:b', all), undefined);
});

test('kept apart by variant, state and workspace', async () => {
  const [a, b] = workspaces(2);
  const ledger = new ChangedImages();
  ledger.offer(a, 'multi', 'built', { id: 'sha256:c1', base: 'sha256:b' });
  assert.is(await ledger.take(a, 'single', 'built', 'sha256:b', all), undefined, 'another variant');
  assert.is(await ledger.take(a, 'multi', 'pushed', 'sha256:b', all), undefined, 'another state');
  assert.is(await ledger.take(b, 'multi', 'built', 'sha256:b', all), undefined, 'another workspace');
  assert.is(await ledger.take(a, 'multi', 'built', 'sha256:b', all), 'sha256:c1');
});

test('an image on another unchanged image (a cold build came between) is dropped, not handed out', async () => {
  const [ws] = workspaces(1);
  const ledger = new ChangedImages();
  ledger.offer(ws, 'multi', 'pushed', { id: 'sha256:old', base: 'sha256:b1' });
  ledger.offer(ws, 'multi', 'pushed', { id: 'sha256:new', base: 'sha256:b2' });
  assert.is(await ledger.take(ws, 'multi', 'pushed', 'sha256:b2', all), 'sha256:new');
  ledger.offer(ws, 'multi', 'pushed', { id: 'sha256:later', base: 'sha256:b1' });
  assert.is(await ledger.take(ws, 'multi', 'pushed', 'sha256:b1', all), 'sha256:later', 'the dropped one does not come back');
});

test('an image the engine no longer has is skipped; the unchanged image itself never counts as changed', async () => {
  const [ws] = workspaces(1);
  const ledger = new ChangedImages();
  ledger.offer(ws, 'multi', 'built', { id: 'sha256:gone', base: 'sha256:b' });
  ledger.offer(ws, 'multi', 'built', { id: 'sha256:b', base: 'sha256:b' });
  ledger.offer(ws, 'multi', 'built', { id: 'sha256:here', base: 'sha256:b' });
  const asked: string[] = [];
  const exists = async (id: string) => (asked.push(id), id !== 'sha256:gone');
  assert.is(await ledger.take(ws, 'multi', 'built', 'sha256:b', exists), 'sha256:here');
  assert.equal(asked, ['sha256:gone', 'sha256:here']);
});

test('a timed sample offers its image only when it is ok and recorded one; the sample comes back as it was', async () => {
  const [ws] = workspaces(1);
  const ledger = new ChangedImages();
  const sample = (ok: boolean, image_id?: string): Measured => ({ ok, error: ok ? '' : 'boom', durationMs: 1, fields: image_id ? { image_id } : {}, steps: [] });
  const failedOne = sample(false, 'sha256:failed');
  assert.is(ledger.offerMeasured(ws, 'multi', 'pushed', failedOne, 'sha256:b'), failedOne);
  ledger.offerMeasured(ws, 'multi', 'pushed', sample(true), 'sha256:b');
  ledger.offerMeasured(ws, 'multi', 'pushed', sample(true, 'sha256:b'), 'sha256:b');
  ledger.offerMeasured(ws, 'multi', 'pushed', sample(true, 'sha256:c'), 'sha256:b');
  assert.is(await ledger.take(ws, 'multi', 'pushed', 'sha256:b', all), 'sha256:c');
  assert.is(await ledger.take(ws, 'multi', 'pushed', 'sha256:b', all), undefined);
});

test.run();
