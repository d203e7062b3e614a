// tune's measurement loop on the in-memory engine: the original and the reordered candidate are built, smoke-tested,
// changed and sampled in turn; the saving pairs samples of one iteration; nothing is left on the engine.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LABEL_RUN } from '../../../src/engine/labels.ts';
import { loadScenario } from '../../../src/scenario/load.ts';
import { runTune } from '../../../src/tune/measure.ts';
import { MemoryEngine } from '../../support/memory-engine.ts';
import { makeScenario } from '../../support/scenario-folder.ts';
import { cleanupAfter } from '../../support/setup.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

// runTune records itself as a live run under the temp folder, and the fixed clock below fixes its run id: a killed
// earlier run of this file left that record behind, and the next run (another CI's) failed with EEXIST. A temp folder
// of this file's own keeps it apart.
const privateTmp = mkdtempSync(join(tmpdir(), 'stagebench-tune-loop-'));
process.env.TMPDIR = privateTmp;

cleanupAfter(test, () => {
  removeTempDirs();
  rmSync(privateTmp, { recursive: true, force: true });
});

// The whole folder is copied before the install: a source change reinstalls the dependencies.
const BAD_ORDER = ['ARG NODE_SLIM_IMAGE=node:20-slim', 'FROM ${NODE_SLIM_IMAGE}', 'WORKDIR /app', 'COPY . .', 'RUN npm install', 'CMD ["node", "app.js"]', ''].join('\n');

async function tune(engine: MemoryEngine, iterations = 2) {
  const root = tempDir('tune-loop');
  const scenario = loadScenario(makeScenario(root, 'demo', { variants: { single: { dockerfile: BAD_ORDER } } }));
  const outRoot = join(root, 'results');
  const lines: string[] = [];
  const report = await runTune({
    engine, scenario, variant: 'single', iterations, profile: { name: 'offline', description: '', images: { NODE_SLIM_IMAGE: 'slim:20' } },
    outRoot, namePrefix: 'stagebench-test', signal: new AbortController().signal, timeoutMs: 60_000, log: (l) => lines.push(l),
    now: new Date('2026-01-02T03:04:05Z'),
  });
  return { report, outRoot, lines };
}

test('the candidate rebuilds fewer steps after a source change, and the saving is the paired difference', async () => {
  const engine = new MemoryEngine({ stepMs: 100 });
  const { report, outRoot } = await tune(engine);
  assert.equal(report.errors, []);
  assert.ok(report.candidate_path, 'a candidate was made');
  assert.equal(report.steps_rebuilt.source.original!.rebuilt.map((s) => s.instruction), ['COPY . .', 'RUN npm install']);
  assert.equal(report.steps_rebuilt.source.candidate!.rebuilt.map((s) => s.instruction), ['COPY . .']);
  assert.equal(report.warm_src.original!.samples, [200, 200]);
  assert.equal(report.warm_src.candidate!.samples, [100, 100]);
  assert.equal(report.saved, { median_ms: 100, min_ms: 100, max_ms: 100 });
  assert.ok(report.smoke.original?.ok && report.smoke.candidate?.ok);
  assert.ok(existsSync(join(outRoot, 'tune-demo-single-20260102-030405', 'tune.json')));
});

test('nothing is left behind: no image with the tune\'s label, no container', async () => {
  const engine = new MemoryEngine();
  await tune(engine, 1);
  assert.equal(await engine.imagesWithLabels({ [LABEL_RUN]: 'tune-demo-single-20260102-030405' }), []);
  assert.is(engine.containerCount(), 0);
});

test('a candidate that fails its smoke test is not sampled, and the failure is in the report', async () => {
  const engine = new MemoryEngine({ respond: (image) => (image.endsWith('-candidate') ? { status: 500, body: 'no' } : { status: 200, body: 'ok' }) });
  const { report } = await tune(engine, 1);
  assert.ok(report.errors.some((e) => /single candidate: the smoke test failed/.test(e)), report.errors.join('\n'));
  assert.is(report.warm_src.candidate, null);
  assert.equal(report.warm_src.original!.samples.length, 1);
  assert.is(report.saved, null);
});

test('a build the engine lost to a concurrent prune is built again, and the tune goes on', async () => {
  let failures = 1;
  const engine = new MemoryEngine({ failBuild: () => (failures-- > 0 ? 'failed to read downloaded context: context not found' : undefined) });
  const { report, lines } = await tune(engine, 1);
  assert.equal(report.errors, []);
  assert.ok(lines.some((l) => /lost part of the build to a concurrent prune/.test(l)), lines.join('\n'));
});

test.run();
