// The disk fills while a run writes its rows (issue 8, "Faults"): --out on a 32 KiB tmpfs (at 16 KiB, run.json and the CSV headers in 4 KiB blocks
// left no room for a row once run.json grew this round: 0 rows, seen in CI and reproduced). The user must get a clear
// message naming the file and saying the rows so far are intact, a non-zero exit and no stack trace; the rows that
// were written must still read back, so that the run can be compared or resumed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSamples, readSteps } from '../../../src/results/read.ts';
import type { SampleRow } from '../../../src/types.ts';
import { hasStackTrace } from '../../support/cli.ts';
import { removeLabelledImages } from '../../support/docker.ts';
import { cleanupAfter, setupBefore } from '../../support/setup.ts';
import { spawnCaptured } from '../../support/spawn.ts';
import { Folders, LABEL, exitOf, foldersOf, killHarness, leftoversOf, quickPushScenario, runIdIn, startHarness, until, type Harness } from './support.ts';
import { liveRunsDir } from '../../../src/run/live-runs.ts';

// Long names make long rows: the 32 KiB fill after a few samples.
const name = `disk-${'x'.repeat(100)}`;
const variant = `v${'y'.repeat(60)}`;
const dirs = new Folders();
let root = '';
let mnt = '';
let out = '';

setupBefore(test, () => {
  root = dirs.make('faults-disk');
  quickPushScenario(root, name, { [variant]: 0 });
  mnt = join(root, 'mnt');
  out = join(mnt, 'run');
});
let mounted = false;
let h: Harness | undefined;
let runId = '';
let result: { code: number | null; stderr: string } | undefined;

test('a full disk while writing rows: non-zero exit, a message naming the file and that the rows so far are intact', async () => {
  mkdirSync(mnt);
  const m = await spawnCaptured('mount', ['-t', 'tmpfs', '-o', 'size=32k', 'tmpfs', mnt]);
  assert.is(m.code, 0, `mount: ${m.stderr}`);
  mounted = true;
  h = startHarness(['run', '--scenarios', root, '--phase', 'build-warm', '--iterations', '200', '--out', out]);
  runId = await until('run.json', () => runIdIn(out), 60_000);
  const { code } = await exitOf(h, 240_000);
  result = { code, stderr: h.stderr() };
  assert.ok(code !== 0 && code !== null, `exit ${code}\n${h.stderr()}`);
  assert.not.ok(hasStackTrace(h.stderr()), h.stderr());
  const error = /^stagebench: error: (.*)$/m.exec(h.stderr())?.[1] ?? '';
  const file = /cannot write (\S+?)\.? /.exec(error)?.[1] ?? '';
  assert.match(error, /the disk is full/, h.stderr());
  assert.ok(file.startsWith(`${out}/`), `the message names the file: ${error}`);
  assert.match(error, /Every row written before this one is intact/);
});

let rows: SampleRow[] = [];

test('the rows written before the disk filled read back: samples.csv ends with a whole row', () => {
  assert.ok(result, 'the run');
  const text = readFileSync(join(out, 'samples.csv'), 'utf8');
  // On a full disk a write can be short without an error: the row in hand must then not stay in the file in part.
  assert.ok(text.endsWith('\n'), `samples.csv ends inside a row: ...${JSON.stringify(text.slice(-120))}`);
  rows = readSamples(out);
  assert.ok(rows.length >= 1, 'some samples were measured before the disk filled');
  assert.ok(rows.every((r) => r.ok && r.variant === variant), JSON.stringify(rows.map((r) => [r.iteration, r.ok, r.error])));
});

test('steps.csv holds the steps of the written samples only (a resumed run would write them again)', () => {
  assert.ok(result, 'the run');
  // The whole lines of samples.csv, read by hand so that a half-written last line (tested above) does not hide this.
  const lines = readFileSync(join(out, 'samples.csv'), 'utf8').split('\n').slice(0, -1);
  const at = lines[0].split(',').indexOf('iteration');
  const written = new Set(lines.slice(1).map((l) => Number(l.split(',')[at])));
  const orphans = readSteps(out).filter((s) => !written.has(s.iteration)).map((s) => s.iteration);
  assert.equal([...new Set(orphans)], [], 'steps of samples that have no row');
});

test('the run leaves nothing behind: no half-written .tmp file in the results, no temp folders, images or record', async () => {
  assert.ok(result, 'the run');
  assert.equal(readdirSync(out).filter((f) => f.endsWith('.tmp')), []);
  const left = await leftoversOf(runId);
  assert.equal([left.images, left.containers, left.folders, left.record], [[], [], [], false], JSON.stringify(left));
  assert.not.ok(existsSync(join(liveRunsDir(), `${runId}.json`)));
  assert.equal(foldersOf(runId), []);
});

cleanupAfter(test, async () => {
  killHarness(h);
  if (mounted) await spawnCaptured('umount', ['-l', mnt]);
  if (runId) await removeLabelledImages(LABEL, runId);
  dirs.remove();
});

test.run();
