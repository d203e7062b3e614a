// The run phase's service containers on the in-memory engine (issue 31): started once per variant (or per sample with
// per_sample), ready before the first sample, every one removed by the end; a service image that cannot be pulled
// skips the run phase before the first sample, with no failed row.
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readRunInfo, readSamples } from '../../../src/results/read.ts';
import { parseRunOptions } from '../../../src/run/options.ts';
import { fixedPlan } from '../../../src/run/plan.ts';
import { executeRun } from '../../../src/run/runner.ts';
import { RunServices } from '../../../src/run/services.ts';
import { loadScenario } from '../../../src/scenario/load.ts';
import { MemoryEngine } from '../../support/memory-engine.ts';
import { makeScenario, scenarioJson, slimDockerfile } from '../../support/scenario-folder.ts';
import { cleanupAfter } from '../../support/setup.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

cleanupAfter(test, removeTempDirs);

// A memory container listens on the PORT of its environment: the service gets PORT={{port}}, so a TCP connect finds it.
async function run(service: Record<string, unknown>, pullable = true) {
  const root = tempDir('services-memory');
  const json = { ...scenarioJson('demo', { single: { dockerfile: 'Dockerfile.single' } }), run: { env: { DB_PORT: '{{services.db.port}}' }, services: { db: service } } };
  const scenario = loadScenario(makeScenario(root, 'demo', { variants: { single: { dockerfile: slimDockerfile('echo x') } }, json }));
  const engine = new MemoryEngine();
  if (pullable) engine.registry.set('db:1', ['layer-db']);
  const notes: string[] = [];
  const options = parseRunOptions(['--phase', 'run', '--iterations', '3', '--warmup', '0']);
  const entries = fixedPlan(options.phases, 3);
  const out = join(root, 'run');
  const result = await executeRun({
    runId: '20260102-030405-svcs', dir: out, options, plan: [{ scenario, variants: ['single'], entries: { single: entries } }],
    engine, engineInfo: await engine.info(),
    profile: { profile: { name: 'offline', description: '', images: { NODE_SLIM_IMAGE: 'slim:20' } }, chosenBy: 'option', images: {} },
    services: new RunServices({}, () => {}), progress: { start() {}, sampleDone() {}, note: (l) => notes.push(l), stop() {} },
    signal: new AbortController().signal, commit: 'abc', commandLine: ['stagebench', 'run'], version: '0.0.0-test',
  });
  return { result, rows: readSamples(out), info: readRunInfo(out)!, engine, notes };
}

const db = { image: 'db:1', port: 5432, env: { PORT: '{{port}}' } };

test('once per variant: one start for three samples, ready before them, removed at the end', async () => {
  const { result, rows, info, engine, notes } = await run(db);
  assert.is(result.failed, 0, JSON.stringify(rows.map((r) => r.error)));
  assert.is(rows.length, 3);
  assert.is(info.services?.length, 1);
  assert.ok(info.services![0].port > 0 && info.services![0].port !== 5432, 'a port the harness chose');
  assert.ok(notes.some((n) => /service db \(db:1\) ready on 127\.0\.0\.1:\d+ .*preparation/.test(n)), notes.join('\n'));
  assert.equal(await engine.containersWithLabels({}), [], 'no container left');
});

test('per_sample: a fresh service for every sample', async () => {
  const { result, info } = await run({ ...db, per_sample: true });
  assert.is(result.failed, 0);
  assert.is(info.services?.length, 3);
});

test('an image that cannot be pulled: the run phase is skipped before the first sample, no failed row', async () => {
  const { result, rows, info, notes } = await run(db, false);
  assert.is(result.failed, 0);
  assert.is(rows.length, 0);
  assert.is(info.skipped?.[0]?.scenario, 'demo');
  assert.match(info.skipped![0].reason, /image db:1 is not on the engine and cannot be pulled \(manifest for db:1 not found\)/);
  assert.ok(notes.some((n) => /demo: run phase skipped, not measured/.test(n)));
});

test.run();
