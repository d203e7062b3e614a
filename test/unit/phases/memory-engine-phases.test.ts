// The build and run phases' logic on the in-memory engine (test/support/memory-engine.ts): what each prepares, what
// its honesty check refuses, and that a failure is a value. The real engine's behaviour is tested under
// test/integration/.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createPhase } from '../../../src/phases/index.ts';
import type { Measured, SampleSlot } from '../../../src/phases/phase.ts';
import { loadScenario } from '../../../src/scenario/load.ts';
import { Workspace } from '../../../src/scenario/workspace.ts';
import type { PhaseName } from '../../../src/types.ts';
import { memoryContext } from '../../support/memory-context.ts';
import { MemoryEngine, type MemoryEngineOptions } from '../../support/memory-engine.ts';
import { makeScenario, slimDockerfile } from '../../support/scenario-folder.ts';
import { cleanupAfter } from '../../support/setup.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

cleanupAfter(test, removeTempDirs);

function setup(options: MemoryEngineOptions = {}) {
  const root = tempDir('memory-phases');
  const scenario = loadScenario(makeScenario(root, 'demo', { variants: { single: { dockerfile: slimDockerfile('echo one') } } }));
  const engine = new MemoryEngine(options);
  const logs: string[] = [];
  const ctx = memoryContext(engine, (l) => logs.push(l));
  const workspace = new Workspace(scenario, root + '/ws');
  const sample = async (phase: PhaseName, iteration = 1): Promise<Measured> => {
    const slot: SampleSlot = { scenario, variant: 'single', phase, workspace };
    const handler = createPhase(ctx, slot);
    await handler.prepare(iteration);
    const m = await handler.measure(iteration);
    await handler.after?.(iteration);
    return m;
  };
  return { engine, sample, workspace };
}

test('build-cold: the prepared state has no cache, so every step is rebuilt and the sample is ok', async () => {
  const { sample } = setup();
  await sample('build-warm');
  const m = await sample('build-cold');
  assert.ok(m.ok, m.error);
  assert.is(m.fields.steps, 3);
  assert.is(m.fields.cached_steps, 0);
  assert.ok(typeof m.fields.image_bytes === 'number' && m.fields.image_bytes > 0);
});

test('build-warm: built first (untimed), then every step comes from the cache', async () => {
  const { sample, engine } = setup();
  const m = await sample('build-warm');
  assert.ok(m.ok, m.error);
  assert.is(m.fields.cached_steps, 3);
  assert.is(engine.builds.length, 2, 'one untimed build, one timed');
});

test('build-warm-src: only the steps from the changed file on are rebuilt, and the workspace is restored after', async () => {
  const { sample, workspace } = setup();
  const before = workspace.dir;
  const m = await sample('build-warm-src');
  assert.ok(m.ok, m.error);
  assert.equal(m.steps.filter((s) => !s.cached).map((s) => s.instruction), ['COPY app.js ./']);
  // steps.csv's cause columns: the changed file, named as the builder keys it.
  assert.equal(m.causes?.map((c) => [c.kind, c.text]), [['files', '1 file it copies changed: app.js (content)']]);
  // The next sample's change is new again: a second sample rebuilds the same step, not zero.
  const again = await sample('build-warm-src', 2);
  assert.equal(again.steps.filter((s) => !s.cached).map((s) => s.instruction), ['COPY app.js ./']);
  assert.is(workspace.dir, before);
});

test('build-cold honesty: a cache the preparation could not empty makes a failed sample, never a fast success', async () => {
  const { sample, engine } = setup();
  await sample('build-warm');
  // An engine whose prune does nothing: the cold build then finds its steps cached.
  engine.pruneBuildCache = async () => {};
  const m = await sample('build-cold');
  assert.not.ok(m.ok);
  assert.match(m.error, /^not cold: 3 of 3 steps came from the cache/);
});

test('a failed build is a failed sample carrying the builder\'s error', async () => {
  const { sample } = setup({ failBuild: () => 'RUN echo one: exit code 1' });
  const m = await sample('build-cold');
  assert.not.ok(m.ok);
  assert.match(m.error, /^build failed: RUN echo one: exit code 1/);
});

test('run: the container answers the smoke request, and after the sample no container is left', async () => {
  const { sample, engine } = setup();
  const m = await sample('run');
  assert.ok(m.ok, m.error);
  assert.ok(typeof m.durationMs === 'number' && m.durationMs >= 0);
  assert.is(engine.containerCount(), 0);
});

test('run: a wrong answer fails the sample with what came back', async () => {
  const { sample, engine } = setup({ respond: () => ({ status: 500, body: 'broken' }) });
  const m = await sample('run');
  assert.not.ok(m.ok);
  assert.match(m.error, /smoke test failed: GET \/health answered 500, expected 200: broken/);
  assert.is(engine.containerCount(), 0);
});

test.run();
