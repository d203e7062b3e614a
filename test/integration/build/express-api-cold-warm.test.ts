// The express-api scenario's three variants built cold and warm by the real CLI on the real engine, and the rows
// that run writes: samples.csv, steps.csv, summary.csv, run.json. One run, shared by every assertion.
//
// Cold and warm samples are honest only while nobody else builds on the engine, so the test first waits for other
// stagebench runs to end. It builds a copy of scenarios/express-api under a scenario name of its own, with a token
// in package.json: a concurrent express-api run's cold preparation (which removes every image labelled as its
// scenario) then leaves this run's images alone, and every step from `COPY package*.json` on is new to the cache.
// Only the `WORKDIR /app` before it can still be shared with a build someone runs meanwhile. Dockerfiles, sources
// and lockfile are the scenario's own.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRunInfo, readSamples, readSteps, readSummary } from '../../../src/results/read.ts';
import { PHASES, type RunInfo, type SampleRow, type StepRow, type SummaryRow } from '../../../src/types.ts';
import { ROOT, hasStackTrace, runCli, type CliResult } from '../../support/cli.ts';
import { imagesWithLabel, removeLabelledImages } from '../../support/docker.ts';
import { waitForOtherRuns } from '../../support/quiet-engine.ts';
import { copyShippedScenario, uniqueToken } from '../../support/scenario-folder.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';
import { setupBefore, cleanupAfter } from '../../support/setup.ts';

const VARIANTS = ['single', 'multi', 'distroless'] as const;
const token = uniqueToken();
const name = `express-api-core-${token}`;
let scenarioDir: string;
let out: string;
let cli: CliResult;
let samples: SampleRow[];
let steps: StepRow[];
let summary: SummaryRow[];
let info: RunInfo;

setupBefore(test, async () => {
  const root = tempDir('express');
  scenarioDir = copyShippedScenario(ROOT, 'express-api', root, name);
  const pkg = JSON.parse(readFileSync(join(scenarioDir, 'package.json'), 'utf8'));
  writeFileSync(join(scenarioDir, 'package.json'), `${JSON.stringify({ ...pkg, stagebenchTest: token }, null, 2)}\n`);
  out = join(root, 'out');
  const busy = await waitForOtherRuns();
  if (busy.length) console.error(`other stagebench runs still going after the wait (${busy.join(', ')}): cold and warm samples may be disturbed`);
  cli = await runCli(
    ['run', '--scenarios', root, '--scenario', name, '--variant', VARIANTS.join(','), '--phase', 'build-cold,build-warm', '--iterations', '1', '--profile', 'auto', '--out', out],
    // Should node warn (a listener leak, say), the warning shows where it came from.
    { env: { NODE_OPTIONS: '--trace-warnings' } },
  );
  samples = readSamples(out);
  steps = readSteps(out);
  summary = readSummary(out);
  info = readRunInfo(out)!;
});

cleanupAfter(test, async () => {
  // The run removes its own images; this is for a run that crashed before it could.
  await removeLabelledImages('org.stagebench.scenario', name);
  removeTempDirs();
});

const sampleOf = (variant: string, phase: string) => samples.find((r) => r.variant === variant && r.phase === phase);

/** Cold and warm samples are only honest on an engine nobody else builds on meanwhile; the run warns when so. */
function sharedEngineNote(): string {
  return /is using the same engine/.test(cli.stderr) ? ' (another stagebench run shared the engine meanwhile: see its warning on stderr)' : '';
}

test('the run exits 0 and prints the table with the three variants', () => {
  assert.is(cli.code, 0, `${cli.stdout}\n${cli.stderr}`);
  for (const v of VARIANTS) assert.match(cli.stdout, new RegExp(`^${v} `, 'm'));
  assert.not.ok(hasStackTrace(cli.stderr), cli.stderr);
});

test('no warning from node on stderr', () => {
  assert.not.ok(/Warning:/.test(cli.stderr), cli.stderr);
});

test('samples.csv: one ok row per variant and phase, in the plan\'s order', () => {
  assert.equal(samples.map((r) => `${r.variant}/${r.phase}/${r.iteration}`), VARIANTS.flatMap((v) => [`${v}/build-cold/1`, `${v}/build-warm/1`]));
  for (const r of samples) {
    assert.is(r.ok, true, `${r.variant} ${r.phase}: ${r.error}${sharedEngineNote()}`);
    assert.is(r.error, '');
    assert.is(r.scenario, name);
    assert.is(r.run_id, info.run_id);
    assert.is(r.builder, 'buildkit');
    assert.is(r.image, `stagebench/${name}:${r.variant}`);
  }
});

test('cold samples have no cached step; warm samples have every step cached', () => {
  for (const v of VARIANTS) {
    const cold = sampleOf(v, 'build-cold')!;
    const warm = sampleOf(v, 'build-warm')!;
    assert.ok((cold.steps ?? 0) > 0, `${v} cold steps`);
    assert.is(cold.cached_steps, 0, `${v} cold${sharedEngineNote()}`);
    assert.is(warm.steps, cold.steps, `${v}: a warm build has the cold build's steps`);
    assert.is(warm.cached_steps, warm.steps, `${v} warm${sharedEngineNote()}`);
  }
});

test('every sample carries its image facts, context size and duration', () => {
  for (const r of samples) {
    const what = `${r.variant} ${r.phase}`;
    assert.ok((r.image_bytes ?? 0) > 0, `${what} image_bytes`);
    assert.ok((r.layers ?? 0) > 0, `${what} layers`);
    assert.ok((r.context_bytes ?? 0) > 0, `${what} context_bytes`);
    assert.ok((r.duration_ms ?? 0) > 0, `${what} duration_ms`);
    assert.match(r.image_id, /^sha256:[0-9a-f]{64}$/, what);
    assert.ok(r.engine.length > 0 && r.host.length > 0, `${what} engine and host`);
  }
});

test('a warm rebuild gives the very image the cold build made', () => {
  for (const v of VARIANTS) assert.is(sampleOf(v, 'build-warm')!.image_id, sampleOf(v, 'build-cold')!.image_id, v);
});

test('the single-stage image is at least twice the multi-stage one; distroless is smaller than single', () => {
  const size = (v: string) => sampleOf(v, 'build-cold')!.image_bytes!;
  assert.ok(size('single') >= 2 * size('multi'), `single ${size('single')} vs multi ${size('multi')}`);
  assert.ok(size('distroless') < size('single'), `distroless ${size('distroless')} vs single ${size('single')}`);
});

test('the build context leaves out what .dockerignore lists (node_modules, bench-changes)', () => {
  // The scenario's files without the ignored ones are a few hundred kB; with node_modules they would be far more.
  for (const r of samples) assert.ok((r.context_bytes ?? 0) < 5_000_000, `${r.variant} ${r.phase}: ${r.context_bytes}`);
});

test('steps.csv: one row per step of each sample, matching its steps and cached_steps', () => {
  for (const r of samples) {
    const mine = steps.filter((s) => s.variant === r.variant && s.phase === r.phase && s.iteration === r.iteration);
    assert.is(mine.length, r.steps, `${r.variant} ${r.phase} step rows`);
    assert.is(mine.filter((s) => s.cached).length, r.cached_steps, `${r.variant} ${r.phase} cached rows`);
    for (const s of mine) {
      assert.not.match(s.instruction, /^FROM\s/i, `${r.variant}: FROM is not a step`);
      assert.match(s.step, /^\[(\w+ )?\d+\/\d+\]$/, `${r.variant}: step label ${s.step}`);
      assert.is(s.run_id, info.run_id);
    }
  }
});

// BuildKit reports the distroless runner's first step (WORKDIR on its own base) before the builder's, as it does not
// wait for the builder: steps.csv must still follow the Dockerfile's stage order.
test('steps.csv: the multi-stage variants list the builder stage, then the runner stage', () => {
  for (const v of ['multi', 'distroless']) {
    const labels = steps.filter((s) => s.variant === v && s.phase === 'build-cold').map((s) => s.step);
    const firstRunner = labels.findIndex((l) => l.startsWith('[runner '));
    const lastBuilder = labels.map((l) => l.startsWith('[builder ')).lastIndexOf(true);
    assert.ok(lastBuilder >= 0 && firstRunner > lastBuilder, `${v}: ${labels.join(' ')}`);
  }
  const single = steps.filter((s) => s.variant === 'single' && s.phase === 'build-cold').map((s) => s.instruction);
  assert.ok(single.includes('RUN npm install'), single.join(' | '));
  assert.ok(single.includes('RUN npm run build'), single.join(' | '));
});

test('summary.csv: one row per variant and phase, with the sample\'s figures', () => {
  assert.is(summary.length, VARIANTS.length * 2);
  for (const s of summary) {
    const r = sampleOf(s.variant, s.phase)!;
    assert.ok(r, `${s.variant} ${s.phase} has a sample`);
    assert.is(s.n, 1);
    assert.is(s.failed, 0);
    assert.ok(Math.abs((s.median_ms ?? NaN) - (r.duration_ms ?? NaN)) < 0.01, `${s.variant} ${s.phase} median`);
    assert.is(s.image_bytes, r.image_bytes);
    assert.is(s.cached_steps, r.cached_steps);
    assert.is(s.run_id, info.run_id);
  }
});

test('run.json: the profile the run used, recorded as the samples say', () => {
  assert.ok(info.profile.name === 'online' || info.profile.name === 'offline', info.profile.name);
  assert.is(info.profile.chosen_by, 'auto');
  for (const r of samples) assert.is(r.profile, info.profile.name);
  for (const arg of ['NODE_IMAGE', 'NODE_ALPINE_IMAGE', 'DISTROLESS_IMAGE']) {
    assert.ok(info.profile.images[arg]?.ref, `${arg} in run.json`);
    assert.match(info.profile.images[arg].id, /^sha256:/, arg);
  }
  assert.match(cli.stderr, new RegExp(`profile ${info.profile.name} \\(auto`));
  assert.ok(info.finished, 'finished is set');
  assert.is(info.environment.builder, 'buildkit');
  assert.equal(info.command_line.slice(0, 2), ['stagebench', 'run']);
});

test('run.json: for each variant, the docker build line that reproduces it', () => {
  assert.equal(info.builds.map((b) => b.variant), [...VARIANTS]);
  const spec = JSON.parse(readFileSync(join(scenarioDir, 'scenario.json'), 'utf8'));
  for (const b of info.builds) {
    assert.is(b.scenario, name);
    const line = b.docker_build;
    assert.match(line, /^DOCKER_BUILDKIT=1 docker build /, line);
    assert.ok(line.includes(`-f ${scenarioDir}/${spec.variants[b.variant].dockerfile}`), line);
    assert.ok(line.includes(`-t stagebench/${name}:${b.variant}`), line);
    assert.ok(line.endsWith(` ${scenarioDir}`), line);
    for (const [arg, image] of Object.entries(info.profile.images)) assert.ok(line.includes(`--build-arg ${arg}=${image.ref}`), `${arg}: ${line}`);
    assert.is(line.includes('--target runner'), spec.variants[b.variant].target === 'runner', line);
  }
});

test('the run removed the images it built', async () => {
  assert.equal(await imagesWithLabel('org.stagebench.run', info.run_id), []);
});

test('only the requested phases ran', () => {
  assert.equal([...new Set(samples.map((r) => r.phase))], PHASES.filter((p) => p === 'build-cold' || p === 'build-warm'));
});

test.run();
