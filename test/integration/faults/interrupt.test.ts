// Ctrl-C and SIGTERM against a real run, then --resume (issue 8, "Interrupts"). The run is interrupted while its
// embedded registry is up and a build is in flight; afterwards its rows must be whole, and nothing of it may be
// left: labelled containers or images, registry or engine processes, temp folders, its record. (A second Ctrl-C is
// in killed-run.test.ts: it leaves things for `stagebench clean`.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readSamples } from '../../../src/results/read.ts';
import { SAMPLE_COLUMNS, type SampleRow } from '../../../src/types.ts';
import { hasStackTrace } from '../../support/cli.ts';
import { removeLabelledImages } from '../../support/docker.ts';
import { cleanupAfter, setupBefore } from '../../support/setup.ts';
import {
  Folders, LABEL, completeDataLines, exitOf, killHarness, leftoversOf, nothingLeft, processesWith, quickPushScenario, runIdIn,
  startHarness, until, type Harness,
} from './support.ts';

const PHASES = 'build-cold,build-warm,push-cold';
const dirs = new Folders();
let root = '';
let token = '';
let cwd = '';
let out = '';
const started: Harness[] = [];
const runIds: string[] = [];

setupBefore(test, () => {
  root = dirs.make('faults-interrupt');
  // a: a short build; b: a build long enough that it is in flight when the signal comes.
  token = quickPushScenario(root, 'quick', { a: 1, b: 2 });
  // The interrupted run works in a folder of its own with a relative --out, as a user does: the paths it prints
  // are relative to it.
  cwd = dirs.make('faults-interrupt-cwd');
  out = join(cwd, 'run');
});

function run(args: string[], opts: { cwd?: string; group?: boolean } = {}): Harness {
  const h = startHarness(['run', '--scenarios', root, ...args], opts);
  started.push(h);
  return h;
}

const key = (r: SampleRow) => `${r.variant}/${r.phase}/${r.iteration}`;

/** Every line of samples.csv is a whole row: the file ends with a newline and each line has every column. */
function assertWholeRows(file: string): SampleRow[] {
  const text = readFileSync(file, 'utf8');
  assert.ok(text.endsWith('\n'), `samples.csv ends inside a row:\n${text.slice(-300)}`);
  const rows = readSamples(file);
  assert.is(text.split('\n').length - 2, rows.length, 'each line is one row (no row spans lines here)');
  for (const r of rows) {
    assert.ok(SAMPLE_COLUMNS.every((c) => c in r), `row lacks columns: ${JSON.stringify(r)}`);
    assert.ok(r.run_id && r.time && r.phase && r.iteration >= 1, `row not filled in: ${JSON.stringify(r)}`);
  }
  return rows;
}

/** A sample abandoned by the interrupt must not be written, not even as a failed row. */
function assertNoAbandonedRow(rows: SampleRow[]): void {
  for (const r of rows) assert.not.match(r.error, /interrupt|abort|SIGINT|SIGTERM/i, `a row records the abandoned sample: ${key(r)}: ${r.error}`);
}

async function assertNothingLeft(runId: string): Promise<void> {
  // Give a build the engine was still cancelling a moment to end, then look.
  await until(`the in-flight build step of run ${runId} to end`, () => processesWith(token).length === 0, 15_000).catch(() => undefined);
  const left = await leftoversOf(runId);
  assert.ok(nothingLeft(left), `left behind by run ${runId}: ${JSON.stringify(left, null, 1)}`);
}

// ---- SIGINT to the process group (a terminal's Ctrl-C) while the registry is up and a build runs -------------

let sigint: { code: number | null; stderr: string; rowsAtSignal: number; runId: string; fileAtExit: string } | undefined;

test('Ctrl-C (SIGINT to the process group) mid-run: exit 130, whole rows, the partial results and --resume named', async () => {
  const h = run(['--phase', PHASES, '--iterations', '2', '--out', 'run'], { cwd, group: true });
  const runId = await until('run.json', () => runIdIn(out), 60_000);
  runIds.push(runId);
  // Variant a's pushes start the registry; it stays up while variant b builds.
  await until('the embedded registry of the run', () => processesWith(runId).some((p) => /registry/.test(p.cmd)), 120_000);
  await until('a build step of variant b in flight', () => processesWith(`${token}-b`).length > 0, 60_000);
  const rowsAtSignal = completeDataLines(join(out, 'samples.csv'));
  process.kill(-h.pid, 'SIGINT');
  const { code } = await exitOf(h, 60_000);
  sigint = { code, stderr: h.stderr(), rowsAtSignal, runId, fileAtExit: readFileSync(join(out, 'samples.csv'), 'utf8') };

  assert.is(code, 130, h.stderr());
  assert.not.ok(hasStackTrace(h.stderr()), h.stderr());
  assert.ok(rowsAtSignal >= 6, `variant a's 6 samples were written before the signal (saw ${rowsAtSignal})`);
  const rows = assertWholeRows(join(out, 'samples.csv'));
  assertNoAbandonedRow(rows);
  assert.ok(rows.length < 12, 'the run was interrupted before its end');
  assert.ok(rows.every((r) => r.run_id === runId));
  const m = /(\d+) finished sample\(s\) kept in (\S+)\/samples\.csv\. Continue with: stagebench run --resume (\S+)/.exec(h.stderr());
  assert.ok(m, `stderr names the partial results and the resume command:\n${h.stderr()}`);
  assert.is(Number(m![1]), rows.length, 'the count printed is the rows in the file');
  assert.is(resolve(cwd, m![2]), out);
  assert.is(resolve(cwd, m![3]), out);
});

test('after Ctrl-C nothing of the run is left: containers, images, registry, engine, folders, record', async () => {
  assert.ok(sigint, 'the interrupted run');
  await assertNothingLeft(sigint!.runId);
});

test('the resume command stagebench printed, run as printed, continues the run', async () => {
  assert.ok(sigint, 'the interrupted run');
  const printed = /Continue with: stagebench (.+)$/m.exec(sigint!.stderr)?.[1].trim().split(/\s+/) ?? [];
  const h = startHarness(printed, { cwd });
  started.push(h);
  const { code } = await exitOf(h, 240_000);
  // The printed command names no options: the resumed run must take the interrupted run's selection from its
  // run.json, not the defaults (./scenarios, every phase, 5 iterations).
  assert.is(code, 0, `'stagebench ${printed.join(' ')}' in ${cwd}:\n${h.stderr()}`);
});

test('--resume with the same options finishes the missing samples: every sample exactly once, earlier rows untouched', async () => {
  assert.ok(sigint, 'the interrupted run');
  const h = run(['--phase', PHASES, '--iterations', '2', '--resume', out]);
  const { code } = await exitOf(h, 240_000);
  const rows = assertWholeRows(join(out, 'samples.csv'));
  // Exit 1 only for samples another run on the shared engine disturbed (its cold builds prune the build cache),
  // which the harness rightly records as not warm or not cold.
  const failed = rows.filter((r) => !r.ok);
  assert.ok(code === 0 || (code === 1 && failed.every((r) => /^not (warm|cold):/.test(r.error))), `exit ${code}:\n${h.stderr()}`);
  const text = readFileSync(join(out, 'samples.csv'), 'utf8');
  assert.ok(text.startsWith(sigint!.fileAtExit), 'the rows of the interrupted run are kept as they were');
  const keys = rows.map(key).sort();
  const expected = ['a', 'b'].flatMap((v) => PHASES.split(',').flatMap((p) => [1, 2].map((i) => `${v}/${p}/${i}`))).sort();
  assert.equal(keys, expected);
  assert.ok(rows.every((r) => r.run_id === sigint!.runId), 'resumed rows carry the run id of the run they continue');
  await assertNothingLeft(sigint!.runId);
});

// ---- SIGTERM to stagebench alone (kill PID, a CI job cancelled) during a build ---------------------------------

test('SIGTERM to stagebench alone mid-build: exit 143, whole rows, nothing left', async () => {
  const dir = join(dirs.make('faults-sigterm'), 'run');
  const h = run(['--variant', 'b', '--phase', 'build-cold', '--iterations', '3', '--out', dir]);
  const runId = await until('run.json', () => runIdIn(dir), 60_000);
  runIds.push(runId);
  await until('the first row', () => completeDataLines(join(dir, 'samples.csv')) >= 1, 120_000);
  await until('the second build in flight', () => processesWith(`${token}-b`).length > 0, 60_000);
  h.child.kill('SIGTERM');
  const { code } = await exitOf(h, 60_000);
  assert.is(code, 143, h.stderr());
  assert.not.ok(hasStackTrace(h.stderr()), h.stderr());
  assert.match(h.stderr(), /SIGTERM/);
  const rows = assertWholeRows(join(dir, 'samples.csv'));
  assert.ok(rows.length >= 1 && rows.length < 3, `rows: ${rows.length}`);
  assertNoAbandonedRow(rows);
  assert.match(h.stderr(), /Continue with: stagebench run --resume /);
  await assertNothingLeft(runId);
});

cleanupAfter(test, async () => {
  for (const h of started) killHarness(h);
  for (const id of runIds) await removeLabelledImages(LABEL, id);
  dirs.remove();
});

test.run();
