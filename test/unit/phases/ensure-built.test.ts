// ensureBuilt, the untimed preparation of nearly every phase: an image it built from the unchanged files is not built
// again while the variant's tag still names it; a change, a restore after a change by another build, or a removed
// image makes it build. The engine here is a small fake of the project's Engine interface (build and inspectImage).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt } from '../../../src/phases/build.ts';
import type { RunContext, SampleSlot } from '../../../src/phases/phase.ts';
import type { BuildRequest, Engine } from '../../../src/engine/engine.ts';
import { loadScenario } from '../../../src/scenario/load.ts';
import { Workspace } from '../../../src/scenario/workspace.ts';
import { makeScenario } from '../../support/scenario-folder.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';
import { cleanupAfter } from '../../support/setup.ts';
import { newRunState } from '../../../src/phases/run-state.ts';

cleanupAfter(test, removeTempDirs);

/** Builds name images after the content of app.js; the tag points at the last one built. */
class FakeEngine {
  builds = 0;
  readonly tags = new Map<string, string>();
  async build(req: BuildRequest) {
    this.builds += 1;
    const id = `sha256:${Buffer.from(readFileSync(join(req.contextDir, 'app.js'))).toString('hex').slice(-16)}`;
    this.tags.set(req.tag, id);
    return { ok: true as const, imageId: id, durationMs: 1, contextBytes: 1, steps: [], log: [] };
  }
  async inspectImage(ref: string) {
    const id = this.tags.get(ref);
    return id ? { id, sizeBytes: 1, layers: 1, user: '', entrypoint: [], cmd: [], env: [], labels: {}, repoTags: [ref], repoDigests: [] } : undefined;
  }
}

function setup() {
  const root = tempDir('ensure-built');
  const scenario = loadScenario(makeScenario(root, 'alpha'));
  const workspace = new Workspace(scenario, join(root, 'ws'));
  const engine = new FakeEngine();
  const ctx = {
    engine: engine as unknown as Engine, runId: 'r', profile: { name: 'offline', images: {} }, builder: 'buildkit',
    signal: new AbortController().signal, timeoutMs: 60_000, services: {}, log: () => undefined, state: newRunState(),
  } as unknown as RunContext;
  const slot: SampleSlot = { scenario, variant: 'single', phase: 'build-warm', workspace };
  return { engine, ctx, slot, workspace };
}

test('the unchanged files built once are not built again while the tag names that image', async () => {
  const { engine, ctx, slot } = setup();
  const first = await ensureBuilt(ctx, slot);
  assert.is(await ensureBuilt(ctx, slot), first);
  assert.is(await ensureBuilt(ctx, slot), first);
  assert.is(engine.builds, 1);
});

test('a change builds; after restore, a tag moved by the changed build makes it build the unchanged files again', async () => {
  const { engine, ctx, slot, workspace } = setup();
  const first = await ensureBuilt(ctx, slot);
  workspace.applySourceChange('m1');
  assert.is.not(await ensureBuilt(ctx, slot), first);
  assert.is(engine.builds, 2);
  workspace.restore();
  assert.is(await ensureBuilt(ctx, slot), first);
  assert.is(engine.builds, 3, 'the tag named the changed image: built again');
  assert.is(await ensureBuilt(ctx, slot), first);
  assert.is(engine.builds, 3);
});

test('an image removed (a cold build\'s preparation) is built again; reuse: false always builds', async () => {
  const { engine, ctx, slot } = setup();
  await ensureBuilt(ctx, slot);
  engine.tags.clear();
  await ensureBuilt(ctx, slot);
  assert.is(engine.builds, 2);
  await ensureBuilt(ctx, slot, { reuse: false });
  assert.is(engine.builds, 3);
});

test('two runs in one process keep their own state: a second run context does not reuse the first one\'s build', async () => {
  const { engine, ctx, slot } = setup();
  await ensureBuilt(ctx, slot);
  const other = { ...ctx, state: newRunState() } as RunContext;
  await ensureBuilt(other, slot);
  assert.is(engine.builds, 2);
  await ensureBuilt(other, slot);
  await ensureBuilt(ctx, slot);
  assert.is(engine.builds, 2, 'each run reuses its own');
});

test.run();
