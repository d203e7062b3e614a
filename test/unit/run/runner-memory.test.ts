// The runner's loop on the in-memory engine: every planned sample becomes a row written at once, a failed build is a
// failed row (the run goes on), run.json records the run, and a resumed run measures only what is missing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readRunInfo, readSamples } from '../../../src/results/read.ts';
import type { ProgressSink } from '../../../src/terminal/progress.ts';
import { parseRunOptions } from '../../../src/run/options.ts';
import { fixedPlan, type SamplePolicy } from '../../../src/run/plan.ts';
import { executeRun, type RunSetup } from '../../../src/run/runner.ts';
import { RunServices } from '../../../src/run/services.ts';
import { loadScenario } from '../../../src/scenario/load.ts';
import { MemoryEngine, type MemoryEngineOptions } from '../../support/memory-engine.ts';
import { makeScenario, slimDockerfile } from '../../support/scenario-folder.ts';
import { cleanupAfter } from '../../support/setup.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

cleanupAfter(test, removeTempDirs);

const quiet: ProgressSink = { start() {}, sampleDone() {}, note() {}, stop() {} };

async function run(args: string[], options: MemoryEngineOptions = {}, dir?: string, engine = new MemoryEngine(options), policy?: SamplePolicy) {
  const root = tempDir('runner-memory');
  const scenario = loadScenario(makeScenario(root, 'demo', {
    variants: { single: { dockerfile: slimDockerfile('echo single') }, multi: { dockerfile: slimDockerfile('echo multi') } },
  }));
  const out = dir ?? join(root, 'run');
  const runOptions = parseRunOptions(args);
  const entries = fixedPlan(runOptions.phases, runOptions.iterations ?? 1).map((e) => (policy ? { ...e, policy } : e));
  const setup: RunSetup = {
    runId: '20260102-030405-abcd', dir: out, options: runOptions, plan: [{ scenario, variants: ['single', 'multi'], entries: { single: entries, multi: entries } }],
    engine, engineInfo: await engine.info(),
    profile: { profile: { name: 'offline', description: '', images: { NODE_SLIM_IMAGE: 'slim:20' } }, chosenBy: 'option', images: {} },
    services: new RunServices({}, () => {}), progress: quiet, signal: new AbortController().signal,
    commit: 'abc', commandLine: ['stagebench', 'run', ...args], version: '0.0.0-test',
  };
  return { result: await executeRun(setup), out, engine };
}

test('every planned sample is a row of samples.csv, in the order measured, with its phase\'s honesty applied', async () => {
  const { result, out } = await run(['--phase', 'build-cold,build-warm', '--iterations', '2', '--warmup', '0']);
  assert.is(result.failed, 0);
  const rows = readSamples(out);
  assert.is(rows.length, 8);
  for (const r of rows.filter((x) => x.phase === 'build-cold')) assert.is(r.cached_steps, 0);
  for (const r of rows.filter((x) => x.phase === 'build-warm')) assert.is(r.cached_steps, r.steps);
  assert.equal([...new Set(rows.map((r) => r.variant))].sort(), ['multi', 'single']);
});

test('a variant whose build fails gives failed rows with the reason; the other variant is still measured', async () => {
  const { result, out } = await run(['--phase', 'build-cold', '--iterations', '1', '--warmup', '0'], {
    failBuild: (req) => (req.tag.endsWith(':multi') ? 'RUN echo multi: exit code 2' : undefined),
  });
  assert.is(result.failed, 1);
  const rows = readSamples(out);
  const multi = rows.find((r) => r.variant === 'multi')!;
  assert.not.ok(multi.ok);
  assert.match(multi.error, /RUN echo multi: exit code 2/);
  assert.ok(rows.find((r) => r.variant === 'single')!.ok);
});

test('run.json records the run id, the options and each scenario\'s reference variant', async () => {
  const { out } = await run(['--phase', 'build-warm', '--iterations', '1', '--warmup', '0']);
  const info = readRunInfo(out)!;
  assert.is(info.run_id, '20260102-030405-abcd');
  assert.equal(info.references, { demo: 'single' });
  assert.is((info.options as { iterations?: number }).iterations, 1);
  assert.ok(readFileSync(join(out, 'summary.csv'), 'utf8').includes('build-warm'));
});

test('a resumed run measures only the samples the folder lacks', async () => {
  const first = await run(['--phase', 'build-warm', '--iterations', '1', '--warmup', '0']);
  const builds = first.engine.builds.length;
  const again = await run(['--phase', 'build-warm', '--iterations', '1', '--warmup', '0'], {}, first.out, first.engine);
  assert.is(again.engine.builds.length, builds, 'no build for samples already in the folder');
  assert.is(readSamples(first.out).length, 2);
});

test('an adaptive phase samples past its minimum until a limit stops it, and summary.csv says which', async () => {
  // A target no spread can meet and a budget no run reaches: only the maximum stops it.
  const { out } = await run(['--phase', 'build-warm', '--warmup', '0'], {}, undefined, undefined,
    { kind: 'adaptive', min: 2, max: 3, targetRmePct: -1, budgetMs: 1e9 });
  const rows = readSamples(out);
  assert.equal(rows.filter((r) => r.variant === 'single').map((r) => r.iteration), [1, 2, 3]);
  assert.equal(rows.filter((r) => r.variant === 'multi').map((r) => r.iteration), [1, 2, 3]);
  const summary = readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n');
  const col = summary[0].split(',').indexOf('stopped_by');
  assert.ok(col >= 0);
  assert.equal(summary.slice(1).map((l) => l.split(',')[col]), ['max', 'max']);
});

test.run();
