// The gate never passes a run that measured nothing or less than the baseline, never trusts a malformed cell, and
// judges ties and vulnerability counts as the issue (12) asks.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareCommand } from '../../../src/commands/compare.ts';
import { compareRuns } from '../../../src/gate/compare-runs.ts';
import { formatCsv } from '../../../src/gate/format-csv.ts';
import { UsageError } from '../../../src/errors.ts';
import { parseCsv } from '../../../src/results/csv.ts';
import { SAMPLE_COLUMNS } from '../../../src/types.ts';
import { cli } from './cli.ts';
import { generateRun, runInfo, sampleRow, tempDir, writeRunFolder } from './fixtures.ts';

const root = tempDir();
const baselineRows = generateRun({ runId: 'run-a', seed: 1, iterations: 6 });
const baseline = writeRunFolder(join(root, 'baseline'), baselineRows);

/** Runs the compare command in this process: its exit code and what it wrote to standard error. */
async function compare(argv: string[]): Promise<{ code: number; stderr: string }> {
  const lines: string[] = [];
  const error = console.error;
  const log = console.log;
  const write = process.stdout.write.bind(process.stdout);
  console.error = (...a: unknown[]) => void lines.push(a.join(' '));
  console.log = () => undefined;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return { code: await compareCommand.run(argv), stderr: lines.join('\n') };
  } finally {
    console.error = error;
    console.log = log;
    process.stdout.write = write;
  }
}

async function usageErrorOf(argv: string[]): Promise<UsageError> {
  try {
    await compare(argv);
  } catch (err) {
    assert.instance(err, UsageError);
    return err as UsageError;
  }
  throw new Error('compare did not refuse the input');
}

test('a current run whose samples.csv has only a header: exit 1 (real CLI); rows outside its plan are said once per phase', () => {
  const empty = join(root, 'empty');
  writeRunFolder(empty, [], runInfo({ run_id: 'run-e' }));
  const r = cli(['compare', baseline, empty]);
  assert.is(r.status, 1, r.stderr);
  assert.match(r.stdout, /^build-warm: \d+ baseline row\(s\) outside the current run's plan/m);
  assert.match(r.stdout, /gate failed/);
});

test('a current run whose every sample failed: exit 1, the rows named as failed where the baseline did not fail', async () => {
  const failed = baselineRows.map((s) => ({ ...s, run_id: 'run-f', ok: false, error: 'build failed', duration_ms: null }));
  const dir = writeRunFolder(join(root, 'failed'), failed, runInfo({ run_id: 'run-f' }));
  const r = await compare([baseline, dir]);
  assert.is(r.code, 1);
  assert.match(r.stderr, /express-api\/multi\/build-warm: 6 current sample\(s\) failed where the baseline's did not/);
});

test('a narrowed current run passes, its missing rows said once per phase; --whole-baseline fails on them', async () => {
  const narrowed = generateRun({ runId: 'run-n', seed: 2, iterations: 6 }).filter((s) => s.scenario === 'express-api');
  const dir = writeRunFolder(join(root, 'narrowed'), narrowed, runInfo({ run_id: 'run-n' }));
  assert.is((await compare([baseline, dir])).code, 0);
  const whole = await compare([baseline, dir, '--whole-baseline']);
  assert.is(whole.code, 1);
  assert.match(whole.stderr, /error: next-ssr\/single\/build-cold is in the baseline, not measured by the current run \(not run\)/);
});

test('ties: 3 vs 3 of 1000 ms against 1100 ms is exact p = 0.1, same, and warned as unable to reach alpha', () => {
  const rows = (runId: string, ms: number) => [1, 2, 3].map((i) => sampleRow({ run_id: runId, phase: 'build-warm', iteration: i, duration_ms: ms }));
  const r = compareRuns(rows('a', 1000), rows('b', 1100));
  assert.is(r.timing[0].p_value, 0.1);
  assert.is(r.timing[0].verdict, 'same');
  assert.is(r.failed, false);
  assert.ok(r.warnings.some((w) => /too few ok samples to reach p < 0\.05 .*3 vs 3.*4 ok samples on each side/.test(w)), r.warnings.join('\n'));
});

test('1 vs 60 samples: the exact test can reach 2/61 < 0.05, so a fully separated row is slower', () => {
  const base = Array.from({ length: 60 }, (_, i) => sampleRow({ run_id: 'a', phase: 'build-warm', iteration: i + 1, duration_ms: 1000 + i }));
  const r = compareRuns(base, [sampleRow({ run_id: 'b', phase: 'build-warm', duration_ms: 2000 })]);
  assert.ok(Math.abs((r.timing[0].p_value as number) - 2 / 61) < 1e-12);
  assert.is(r.timing[0].verdict, 'slower');
  assert.not.ok(r.warnings.some((w) => /too few/.test(w)));
});

test('a failed sample that built a bigger image is bigger, not ignored', () => {
  const base = [1, 2].map((i) => sampleRow({ run_id: 'a', iteration: i }));
  const cur = [sampleRow({ run_id: 'b' }), sampleRow({ run_id: 'b', iteration: 2, ok: false, error: 'smoke failed', image_bytes: 300_000_000 })];
  const r = compareRuns(base, cur);
  const row = r.sizes.find((s) => s.metric === 'image_bytes');
  assert.is(row?.verdict, 'bigger');
  assert.is(r.failed, true);
});

test('critical and high findings: any increase is bigger (30 -> 31); medium keeps the threshold', () => {
  const scan = (runId: string, critical: number, high: number, medium: number) =>
    [sampleRow({ run_id: runId, phase: 'scan', vulns_critical: critical, vulns_high: high, vulns_medium: medium, vulns_low: 0 })];
  const r = compareRuns(scan('a', 30, 10, 100), scan('b', 31, 10, 103));
  const verdict = (m: string) => r.sizes.find((s) => s.metric === m)?.verdict;
  assert.is(verdict('vulns_critical'), 'bigger');
  assert.is(verdict('vulns_high'), 'same');
  assert.is(verdict('vulns_medium'), 'same');
  assert.is(r.failed, true);
  assert.is(compareRuns(scan('a', 30, 10, 100), scan('b', 30, 11, 100)).sizes.find((s) => s.metric === 'vulns_high')?.verdict, 'bigger');
});

test('compare --format csv writes p in full (1.08e-5 is not 0)', () => {
  const rows = (runId: string, ms: number) => Array.from({ length: 10 }, (_, i) => sampleRow({ run_id: runId, phase: 'build-warm', iteration: i + 1, duration_ms: ms }));
  const { records } = parseCsv(formatCsv(compareRuns(rows('a', 1000), rows('b', 2000))));
  const timing = records.find((r) => r.metric === 'duration_ms');
  const p = Number(timing?.p_value);
  assert.ok(Math.abs(p - 2 / 184756) < 1e-15, `p_value cell ${timing?.p_value}`);
});

/** A copy of the baseline folder with one cell of samples.csv replaced: line (1 = header) and column name. */
function withCell(name: string, line: number, column: string, value: string): string {
  const dir = writeRunFolder(join(root, name), baselineRows.map((s) => ({ ...s, run_id: 'run-m' })), runInfo({ run_id: 'run-m' }));
  const file = join(dir, 'samples.csv');
  const lines = readFileSync(file, 'utf8').split('\n');
  const index = SAMPLE_COLUMNS.indexOf(column as (typeof SAMPLE_COLUMNS)[number]);
  const cells = lines[line - 1].split(',');
  cells[index] = value;
  lines[line - 1] = cells.join(',');
  writeFileSync(file, lines.join('\n'));
  return dir;
}

test('a malformed cell is exit 2 naming the file, line and column: duration_ms=abc', async () => {
  const dir = withCell('bad-duration', 4, 'duration_ms', 'abc');
  const err = await usageErrorOf([baseline, dir]);
  assert.is(err.exitCode, 2);
  const column = SAMPLE_COLUMNS.indexOf('duration_ms') + 1;
  assert.match(err.message, `${join(dir, 'samples.csv')} line 4, column ${column} (duration_ms): "abc" is not a number`);
});

test('ok=yes is exit 2; ok=TRUE (a spreadsheet round trip) reads as true', async () => {
  const bad = withCell('bad-ok', 3, 'ok', 'yes');
  assert.match((await usageErrorOf([baseline, bad])).message, /line 3, column \d+ \(ok\): "yes" is not true or false/);
  const upper = withCell('upper-ok', 3, 'ok', 'TRUE');
  assert.is((await compare([baseline, upper])).code, 0);
});

test.run();
