// The live-runs folder under a shared temp folder (issue 13): private to the user, links refused, records created
// exclusively, and a record's name (never its content) deciding what `clean` removes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError } from '../../../src/errors.ts';
import { forgetRun, liveRunsDir, recordedRuns, registerRun } from '../../../src/run/live-runs.ts';

const made: string[] = [];
function base(): string {
  const d = mkdtempSync(join(tmpdir(), 'stagebench-test-liveruns-'));
  made.push(d);
  return d;
}
const run = (runId: string) => ({ runId, pid: process.pid, engine: 'unix:///x.sock', started: '2026-01-01T00:00:00Z' });

test('the folder is per user and made private (0700)', () => {
  const dir = liveRunsDir(base());
  assert.match(dir, new RegExp(`stagebench-runs-${process.getuid!()}$`));
  const unregister = registerRun(run('20260101-000000-abcd'), dir);
  assert.is(statSync(dir).mode & 0o777, 0o700);
  assert.equal(recordedRuns(dir).map((r) => [r.runId, r.alive]), [['20260101-000000-abcd', true]]);
  unregister();
  assert.equal(recordedRuns(dir), []);
});

test('an existing folder left world-writable (0777) is narrowed to 0700', () => {
  const dir = liveRunsDir(base());
  mkdirSync(dir);
  chmodSync(dir, 0o777);
  registerRun(run('20260101-000000-abcd'), dir)();
  assert.is(statSync(dir).mode & 0o777, 0o700);
});

test('a folder that is a symbolic link is refused, and nothing is written through it', () => {
  const b = base();
  const target = join(b, 'elsewhere');
  mkdirSync(target);
  symlinkSync(target, liveRunsDir(b));
  assert.throws(() => registerRun(run('20260101-000000-abcd'), liveRunsDir(b)), (e: unknown) => e instanceof EnvironmentError && /symbolic link/.test((e as Error).message));
  assert.not.ok(existsSync(join(target, '20260101-000000-abcd.json')));
});

test('a link placed at the record path is not written through', () => {
  const b = base();
  const dir = liveRunsDir(b);
  mkdirSync(dir, { mode: 0o700 });
  const victim = join(b, 'victim.txt');
  writeFileSync(victim, 'precious');
  symlinkSync(victim, join(dir, '20260101-000000-abcd.json'));
  assert.throws(() => registerRun(run('20260101-000000-abcd'), dir), (e: unknown) => e instanceof EnvironmentError);
  assert.is(readFileSync(victim, 'utf8'), 'precious');
});

test("a record whose content names another run id ('../victim') makes clean remove only the record itself", () => {
  const b = base();
  const dir = liveRunsDir(b);
  mkdirSync(dir, { mode: 0o700 });
  const victim = join(b, 'victim.json');
  writeFileSync(victim, 'precious');
  writeFileSync(join(dir, '20260101-000000-abcd.json'), JSON.stringify({ runId: '../victim', pid: 2 ** 22 + 1, engine: '', started: '' }));
  const runs = recordedRuns(dir);
  assert.equal(runs.map((r) => [r.runId, r.alive]), [['20260101-000000-abcd', false]]);
  for (const r of runs) forgetRun(r.runId, dir);
  assert.ok(existsSync(victim), 'the file outside the folder is untouched');
  assert.not.ok(existsSync(join(dir, '20260101-000000-abcd.json')));
});

test('a record with pid 0 or no pid is not alive (pid 0 would signal our own process group)', () => {
  const dir = liveRunsDir(base());
  mkdirSync(dir, { mode: 0o700 });
  writeFileSync(join(dir, '20260101-000000-abcd.json'), JSON.stringify({ pid: 0 }));
  writeFileSync(join(dir, '20260101-000000-abce.json'), 'null');
  assert.equal(recordedRuns(dir).map((r) => r.alive), [false, false]);
});

test.after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

test.run();
