// build-ci and build-ci-src on the real engine through the CLI, on a tiny scenario with a single-stage and a
// multi-stage variant: every sample is a fresh runner (checked), steps.csv says which steps the registry's inline
// cache served, the end of the run and the report carry the "On a fresh CI runner" section, and nothing is left.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSamples, readSteps } from '../../../src/results/read.ts';
import type { SampleRow, StepRow } from '../../../src/types.ts';
import { hasStackTrace, runCli, type CliResult } from '../../support/cli.ts';
import { imagesWithLabel, removeLabelledImages } from '../../support/docker.ts';
import { waitForOtherRuns } from '../../support/quiet-engine.ts';
import { makeScenario, slimDockerfile, uniqueToken } from '../../support/scenario-folder.ts';
import { cleanupAfter, setupBefore } from '../../support/setup.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

const token = uniqueToken();
const name = `ci-phases-${token}`;
/** The builder's steps come before the runner's, so the inline cache (final stage only) holds none of them. */
const MULTI = [
  'ARG NODE_SLIM_IMAGE=node:20-slim',
  'FROM ${NODE_SLIM_IMAGE} AS builder',
  `RUN echo builder ${token} > /token.txt`,
  'WORKDIR /src',
  'COPY app.js ./',
  'RUN cp app.js built.js',
  'FROM ${NODE_SLIM_IMAGE} AS runner',
  `RUN echo runner ${token} > /token.txt`,
  'WORKDIR /app',
  'COPY --from=builder /src/built.js ./app.js',
  'CMD ["node", "app.js"]',
  '',
].join('\n');

let out: string;
let cli: CliResult;
let samples: SampleRow[];
let steps: StepRow[];
let reportMd: string;

setupBefore(test, async () => {
  const root = tempDir('ci-phases');
  makeScenario(root, name, {
    variants: {
      single: { dockerfile: slimDockerfile(`echo single ${token} > /token.txt`) },
      multi: { dockerfile: MULTI },
    },
  });
  out = join(root, 'out');
  const busy = await waitForOtherRuns();
  if (busy.length) console.error(`other stagebench runs still going after the wait (${busy.join(', ')}): a fresh-runner sample may be disturbed`);
  cli = await runCli(['run', '--scenarios', root, '--scenario', name, '--variant', 'single,multi', '--phase', 'ci', '--iterations', '1', '--profile', 'auto', '--out', out]);
  samples = readSamples(out);
  steps = readSteps(out);
  const md = join(root, 'report.md');
  const r = await runCli(['report', out, '--md', md]);
  assert.is(r.code, 0, r.stderr);
  reportMd = readFileSync(md, 'utf8');
});

cleanupAfter(test, async () => {
  await removeLabelledImages('org.stagebench.scenario', name);
  removeTempDirs();
});

const sample = (variant: string, phase: string) => samples.find((r) => r.variant === variant && r.phase === phase)!;
const stepsOf = (variant: string, phase: string) => steps.filter((r) => r.variant === variant && r.phase === phase);

test('the run exits 0 with one ok sample per variant and CI phase', () => {
  assert.is(cli.code, 0, `${cli.stdout}\n${cli.stderr}`);
  assert.not.ok(hasStackTrace(cli.stderr), cli.stderr);
  assert.equal(samples.map((r) => `${r.variant}/${r.phase}`).sort(), ['multi/build-ci', 'multi/build-ci-src', 'single/build-ci', 'single/build-ci-src']);
  for (const r of samples) assert.is(r.ok, true, `${r.variant} ${r.phase}: ${r.error}`);
});

test('cached_steps counts the steps.csv rows the imported cache served; bytes pulled stay unknown', () => {
  for (const r of samples) {
    const rows = stepsOf(r.variant, r.phase);
    assert.ok(rows.length > 0, `${r.variant} ${r.phase}: no steps`);
    assert.is(r.steps, rows.length);
    assert.is(r.cached_steps, rows.filter((s) => s.cached).length, `${r.variant} ${r.phase}`);
    assert.is(r.transfer_bytes, null);
  }
});

test('single-stage: the registry serves every step; after the source change all but the COPY of the changed file', () => {
  const ci = sample('single', 'build-ci');
  assert.is(ci.cached_steps, ci.steps, JSON.stringify(stepsOf('single', 'build-ci')));
  const src = stepsOf('single', 'build-ci-src');
  assert.equal(src.filter((s) => !s.cached).map((s) => s.instruction), ['COPY app.js ./'], JSON.stringify(src));
});

test('multi-stage: the final stage\'s own step comes from the registry; the source change reruns the builder\'s COPY', () => {
  const ci = stepsOf('multi', 'build-ci');
  const runnerRun = ci.find((s) => s.instruction.startsWith(`RUN echo runner ${token}`));
  assert.ok(runnerRun?.cached, JSON.stringify(ci));
  const src = stepsOf('multi', 'build-ci-src');
  assert.ok(src.some((s) => !s.cached && s.instruction === 'COPY app.js ./'), JSON.stringify(src));
});

test('the end of the run and the report show the "On a fresh CI runner" section for both variants', () => {
  assert.match(cli.stdout, new RegExp(`On a fresh CI runner: ${name}\\nvariant +build-cold +build-ci +build-ci-src +build-warm-src`));
  assert.match(cli.stdout, /\nsingle +not measured +[\d.]+ m?s/);
  assert.match(reportMd, /### On a fresh CI runner\n/);
  // The section's own table: other tables of the report (what it is worth) have a row per variant too.
  const section = reportMd.slice(reportMd.indexOf('### On a fresh CI runner'));
  const row = section.split('\n').find((l) => l.startsWith('| single |'))?.slice(2, -2).split(' | ');
  assert.ok(row, reportMd);
  assert.is(row![1], 'not measured', reportMd);
  assert.is(row![4], 'not measured', reportMd);
  assert.match(row![5], /^(\d+) of \1$/, reportMd);
  assert.match(reportMd, /single, build-ci sample 1: every step came from the imported cache\./);
});

test('nothing of the scenario is left on the engine', async () => {
  assert.equal(await imagesWithLabel('org.stagebench.scenario', name), []);
});

test.run();
