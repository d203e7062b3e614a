// A RUN step that fails: that sample is failed with the engine's message, the run goes on with the other variant,
// and the CLI exits 1 at the end (issue 2, "Bad input"). Real engine, real CLI.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { readSamples, readSummary } from '../../../src/results/read.ts';
import type { SampleRow } from '../../../src/types.ts';
import { hasStackTrace, runCli, type CliResult } from '../../support/cli.ts';
import { makeScenario, slimDockerfile, uniqueToken } from '../../support/scenario-folder.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';
import { setupBefore, cleanupAfter } from '../../support/setup.ts';

const token = uniqueToken();
const name = `failing-${token}`;
let cli: CliResult;
let out: string;
let rows: SampleRow[];

setupBefore(test, async () => {
  const root = tempDir('failing');
  // The broken variant runs first, so the good one shows that the run went on after the failure. Each step carries
  // the token: new to the engine's cache, so the good variant's cold sample is cold whatever ran before.
  makeScenario(root, name, {
    variants: {
      broken: { dockerfile: slimDockerfile(`echo "broken-step-${token}" >&2 && false`) },
      good: { dockerfile: slimDockerfile(`echo ${token} > /token.txt`) },
    },
  });
  out = join(root, 'out');
  cli = await runCli(['run', '--scenarios', root, '--scenario', name, '--phase', 'build-cold', '--iterations', '1', '--profile', 'auto', '--out', out]);
  rows = readSamples(out);
});

cleanupAfter(test, removeTempDirs);

test('the CLI exits 1 and says a sample failed, without a stack trace', () => {
  assert.is(cli.code, 1, cli.stderr);
  assert.match(cli.stderr, /1 sample\(s\) failed/);
  assert.not.ok(hasStackTrace(cli.stderr), cli.stderr);
});

test('the failing RUN step is a failed sample carrying the engine\'s message', () => {
  const broken = rows.find((r) => r.variant === 'broken');
  assert.ok(broken, JSON.stringify(rows));
  assert.is(broken!.ok, false);
  assert.ok(broken!.error.startsWith('build failed: '), broken!.error);
  // The engine names the command that failed and its exit code; the step's own output follows.
  assert.match(broken!.error, /exit code: 1/);
  assert.ok(broken!.error.includes(`broken-step-${token}`), broken!.error);
});

test('the other variant was still measured, cold and ok', () => {
  const good = rows.find((r) => r.variant === 'good');
  assert.ok(good, JSON.stringify(rows));
  assert.is(good!.ok, true, good!.error);
  assert.is(good!.cached_steps, 0);
  assert.ok((good!.image_bytes ?? 0) > 0);
  assert.ok((good!.duration_ms ?? 0) > 0);
});

test('summary.csv counts the failure and measures only the good variant', () => {
  const summary = readSummary(out);
  const broken = summary.find((r) => r.variant === 'broken');
  const good = summary.find((r) => r.variant === 'good');
  assert.equal([broken?.n, broken?.failed, broken?.median_ms], [0, 1, null]);
  assert.equal([good?.n, good?.failed], [1, 0]);
  assert.ok((good?.median_ms ?? 0) > 0);
});

test.run();
