// Ctrl-C while the output goes through a pipe (issue 13): `npm run bench -- ... 2>&1 | tee LOG` and `... | head -n 1`.
// The Ctrl-C kills tee along with stagebench; head is gone after its line. Every later write of stagebench then fails
// (EPIPE); the run must still stop its registry and engine, remove its images and folders, and leave the resume
// command in the run folder. `stagebench clean --dry-run` must then find nothing.
//
// The pipeline runs under bash in a session of its own, started by node: node's children start with SIGINT at its
// default disposition (a background job of a script would ignore it, and so would not die as tee does in a terminal).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESUME_FILE } from '../../../src/commands/run.ts';
import { ROOT, hasStackTrace } from '../../support/cli.ts';
import { removeLabelledImages } from '../../support/docker.ts';
import { cleanupAfter, setupBefore } from '../../support/setup.ts';
import { Folders, LABEL, cleanCli, completeDataLines, leftoversOf, nothingLeft, processesWith, quickPushScenario, runIdIn, until } from './support.ts';

const dirs = new Folders();
let root = '';
let token = '';
const runIds: string[] = [];
const groups: number[] = [];

setupBefore(test, () => {
  root = dirs.make('faults-pipe');
  // b's build sleeps long enough to be in flight when the Ctrl-C comes.
  token = quickPushScenario(root, 'piped', { a: 1, b: 30 });
});

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** `npm run bench -- ARGS 2>&1 | SINK` in a new session; resolves with bash's exit once it ends. */
function pipeline(args: string[], sink: string): { pid: number; exited: Promise<number | null> } {
  const line = `npm run bench -- ${args.map(quote).join(' ')} 2>&1 | ${sink}`;
  const child = spawn('bash', ['-c', line], { cwd: ROOT, detached: true, stdio: 'ignore', env: process.env });
  groups.push(child.pid!);
  return { pid: child.pid!, exited: new Promise((resolve) => child.on('close', (code) => resolve(code))) };
}

async function interruptThroughPipe(label: string, sink: (dir: string) => string): Promise<void> {
  const out = join(dirs.make(`faults-pipe-${label}`), 'run');
  const p = pipeline(['--scenarios', root, '--phase', 'build-cold,push-cold', '--iterations', '1', '--out', out], sink(out));
  const runId = await until('run.json', () => runIdIn(out), 120_000);
  runIds.push(runId);
  await until("variant a's push (the embedded registry is up)", () => completeDataLines(join(out, 'samples.csv')) >= 2, 240_000);
  await until('the build of variant b in flight', () => processesWith(`${token}-b`).length > 0, 120_000);
  process.kill(-p.pid, 'SIGINT');
  await p.exited;
  await until(`stagebench of run ${runId} to end`, () => processesWith(out).length === 0, 120_000);
  await until(`the in-flight build step of run ${runId} to end`, () => processesWith(`${token}-b`).length === 0, 30_000).catch(() => undefined);

  const left = await leftoversOf(runId);
  assert.ok(nothingLeft(left), `left behind by run ${runId} (${label}): ${JSON.stringify(left, null, 1)}`);
  const hint = join(out, RESUME_FILE);
  assert.ok(existsSync(hint), `${hint}: the resume command must be in the run folder when no terminal shows it`);
  assert.match(readFileSync(hint, 'utf8'), `stagebench run --resume ${out}`);
  const clean = await cleanCli(['--dry-run']);
  assert.is(clean.code, 0, clean.stderr);
  assert.not.match(clean.stdout, runId, `clean --dry-run finds leftovers of run ${runId}:\n${clean.stdout}`);
}

test('Ctrl-C of `npm run bench -- ... 2>&1 | tee LOG`: tee dies first; the run still cleans up and leaves its resume command', async () => {
  let log = '';
  await interruptThroughPipe('tee', (out) => {
    log = `${out}.log`;
    return `tee ${quote(log)}`;
  });
  assert.not.ok(hasStackTrace(readFileSync(log, 'utf8')), readFileSync(log, 'utf8'));
});

test('Ctrl-C of `npm run bench -- ... | head -n 1`: head left long ago; the run still cleans up and leaves its resume command', async () => {
  await interruptThroughPipe('head', () => 'head -n 1 >/dev/null');
});

cleanupAfter(test, async () => {
  for (const g of groups) {
    try {
      process.kill(-g, 'SIGKILL');
    } catch {
      // ended
    }
  }
  for (const id of runIds) await removeLabelledImages(LABEL, id);
  dirs.remove();
});

test.run();
