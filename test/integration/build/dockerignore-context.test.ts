// The .dockerignore phases on the real engine: a developer folder (node_modules from npm ci, a .git) rebuilt after a
// source change with and without the scenario's .dockerignore, the two phases taking turns sample by sample. The
// context without the .dockerignore carries node_modules and .git, so it is many megabytes larger; the scenario
// folder itself is never touched.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readSamples, readSteps } from '../../../src/results/read.ts';
import type { SampleRow } from '../../../src/types.ts';
import { ROOT, hasStackTrace, runCli, type CliResult } from '../../support/cli.ts';
import { removeLabelledImages } from '../../support/docker.ts';
import { copyShippedScenario, uniqueToken } from '../../support/scenario-folder.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';
import { setupBefore, cleanupAfter } from '../../support/setup.ts';

const token = uniqueToken();
const name = `express-api-ctx-${token}`;
let scenarioDir: string;
let out: string;
let cli: CliResult;
let samples: SampleRow[];

setupBefore(test, async () => {
  const root = tempDir('context');
  scenarioDir = copyShippedScenario(ROOT, 'express-api', root, name);
  out = join(root, 'out');
  cli = await runCli(['run', '--scenarios', root, '--scenario', name, '--variant', 'single', '--phase', 'context', '--iterations', '2', '--out', out]);
  samples = existsSync(join(out, 'samples.csv')) ? readSamples(out) : [];
});

cleanupAfter(test, async () => {
  await removeLabelledImages('org.stagebench.scenario', name);
  removeTempDirs();
});

test('both phases measured, every sample ok, in turns', () => {
  assert.is(cli.code, 0, `${cli.stdout}\n${cli.stderr}`);
  assert.not.ok(hasStackTrace(cli.stderr));
  assert.equal(samples.map((s) => `${s.phase}#${s.iteration}`), [
    'build-context-ignored#1', 'build-context-full#1', 'build-context-ignored#2', 'build-context-full#2',
  ]);
  for (const s of samples) assert.ok(s.ok, `${s.phase}#${s.iteration}: ${s.error}`);
});

test('without the .dockerignore the context carries node_modules and .git: megabytes more, and its send is timed', () => {
  const ignored = samples.filter((s) => s.phase === 'build-context-ignored');
  const full = samples.filter((s) => s.phase === 'build-context-full');
  for (const s of [...ignored, ...full]) {
    assert.ok(s.context_bytes !== null && s.context_bytes > 0, `${s.phase}: context_bytes ${s.context_bytes}`);
    assert.ok(typeof s.context_ms === 'number' && s.context_ms >= 0, `${s.phase}: context_ms ${s.context_ms}`);
  }
  assert.ok(ignored[0].context_bytes! < 1_000_000, `the ignored context is the app's sources: ${ignored[0].context_bytes}`);
  assert.ok(full[0].context_bytes! > ignored[0].context_bytes! + 20_000_000, `${full[0].context_bytes} vs ${ignored[0].context_bytes}`);
});

test('each sample is a warm rebuild after a source change: steps recorded, the install served from the cache', () => {
  const steps = readSteps(out).filter((s) => s.phase === 'build-context-ignored' && s.iteration === 1);
  assert.ok(steps.length > 0);
  const install = steps.find((s) => /npm (ci|install)/.test(s.instruction));
  assert.ok(install?.cached, `the dependency install was rebuilt: ${JSON.stringify(install)}`);
});

test('the scenario folder is left as it was: no node_modules, no .git, its .dockerignore in place', () => {
  assert.not.ok(existsSync(join(scenarioDir, 'node_modules')));
  assert.not.ok(existsSync(join(scenarioDir, '.git')));
  assert.ok(existsSync(join(scenarioDir, '.dockerignore')));
});

test.run();
