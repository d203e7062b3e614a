// A variant whose build fails (issue 16): the failure is recorded once with its cause, in the phase where the build
// ran (timed or while preparing), and every later sample of that variant is a `skipped: the build of VARIANT failed
// in PHASE` row without another build; the other variant is measured; the CLI exits 1. Real engine, real CLI.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { readSamples } from '../../../src/results/read.ts';
import type { SampleRow } from '../../../src/types.ts';
import { runCli, type CliResult } from '../../support/cli.ts';
import { makeScenario, slimDockerfile, uniqueToken } from '../../support/scenario-folder.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';
import { setupBefore, cleanupAfter } from '../../support/setup.ts';

const token = uniqueToken();
const name = `broken-${token}`;
let cli: CliResult;
let rows: SampleRow[];
let prepRows: SampleRow[];

setupBefore(test, async () => {
  const root = tempDir('broken');
  makeScenario(root, name, {
    variants: {
      broken: { dockerfile: slimDockerfile(`echo "broken-step-${token}" >&2 && false`) },
      good: { dockerfile: slimDockerfile(`echo ${token} > /token.txt`) },
    },
  });
  const out = join(root, 'out');
  cli = await runCli(['run', '--scenarios', root, '--scenario', name, '--phase', 'build-cold,build-warm,run', '--iterations', '2', '--profile', 'auto', '--scanner', 'none', '--out', out]);
  rows = readSamples(out);
  // The same broken build met first in a phase that builds untimed, as its preparation.
  const prepOut = join(root, 'prep-out');
  const prepCli = await runCli(['run', '--scenarios', root, '--scenario', name, '--variant', 'broken', '--phase', 'run,scan', '--iterations', '2', '--profile', 'auto', '--scanner', 'builtin', '--out', prepOut]);
  assert.is(prepCli.code, 1, prepCli.stderr);
  prepRows = readSamples(prepOut);
});

cleanupAfter(test, removeTempDirs);

const of = (rs: SampleRow[], variant: string) => rs.filter((r) => r.variant === variant).map((r) => `${r.phase}#${r.iteration}`);

test('the failure is one row with its cause; the rest of the variant is skipped rows, counted as failed', () => {
  assert.is(cli.code, 1, cli.stderr);
  const broken = rows.filter((r) => r.variant === 'broken');
  assert.equal(of(rows, 'broken'), ['build-cold#1', 'build-cold#2', 'build-warm#1', 'build-warm#2', 'run#1', 'run#2']);
  assert.ok(broken.every((r) => !r.ok));
  assert.match(broken[0].error, /^build failed: /);
  assert.ok(broken[0].error.includes(`broken-step-${token}`), broken[0].error);
  for (const r of broken.slice(1)) {
    assert.ok(r.error.startsWith('skipped: the build of broken failed in build-cold ('), r.error);
    // Nothing was built or timed for a skipped row.
    assert.is(r.duration_ms, null);
    assert.is(r.steps, null);
  }
  assert.match(cli.stderr, /6 sample\(s\) failed/);
});

test('the other variant was measured in every phase', () => {
  const good = rows.filter((r) => r.variant === 'good');
  assert.equal(of(rows, 'good'), ['build-cold#1', 'build-cold#2', 'build-warm#1', 'build-warm#2', 'run#1', 'run#2']);
  assert.ok(good.every((r) => r.ok), JSON.stringify(good.filter((r) => !r.ok)));
});

test('a build that fails while a phase prepares: that sample carries the cause, the rest are skipped', () => {
  // Phases run in the contract's order: scan before run.
  assert.equal(prepRows.map((r) => `${r.phase}#${r.iteration}`), ['scan#1', 'scan#2', 'run#1', 'run#2']);
  assert.match(prepRows[0].error, /build failed/);
  assert.ok(prepRows[0].error.includes(`broken-step-${token}`), prepRows[0].error);
  for (const r of prepRows.slice(1)) assert.ok(r.error.startsWith('skipped: the build of broken failed in scan ('), r.error);
});

test.run();
