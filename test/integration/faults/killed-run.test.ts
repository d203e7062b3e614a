// Runs that could not clean up after themselves, then `stagebench clean` (issue 8, "Everything the harness creates
// carries a label"): a run killed with kill -9 while its embedded registry and deploy-target engine are up, and a run
// stopped by a second Ctrl-C. --dry-run lists what they left and removes nothing; clean removes all of it (labelled
// images, the registry and engine processes, their folders and mounts, the run records).
//
// clean removes the leftovers of every run it finds, so these runs use an engine and a temp folder (TMPDIR) of their
// own: clean must not touch what other people's runs on the shared engine are using.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { hasStackTrace } from '../../support/cli.ts';
import { cleanupAfter, setupBefore } from '../../support/setup.ts';
import { spawnCaptured } from '../../support/spawn.ts';
import {
  Folders, PrivateEngine, cleanCli, exitOf, killHarness, leftoversOf, mountsUnder, nothingLeft, processesWith, quickPushScenario, runIdIn,
  startHarness, until, type Harness, type Leftovers,
} from './support.ts';

const dirs = new Folders();
let root = '';
let base = '';
let engine: PrivateEngine;
const env = () => ({ DOCKER_HOST: engine.host, TMPDIR: base });
const harnesses: Harness[] = [];
const runIds: string[] = [];
let engineUp = false;

setupBefore(test, () => {
  root = dirs.make('faults-kill9');
  quickPushScenario(root, 'quick', { a: 1 });
  // Short: the deploy-target engine's containerd socket lies four levels below it, in the 108 bytes a socket path has.
  base = dirs.make('/tmp/sbk');
  engine = new PrivateEngine(dirs.make('fe'));
});

async function privateEngine(): Promise<void> {
  if (engineUp) return;
  await engine.start();
  await engine.load('stagebench-offline/node:20-slim');
  engineUp = true;
}

function run(args: string[]): Harness {
  const h = startHarness(['run', '--scenarios', root, '--variant', 'a', ...args], { env: env() });
  harnesses.push(h);
  return h;
}

/** Starts a run into ROOT/NAME on the private engine and waits until its registry runs. */
async function withRegistry(name: string, args: string[]): Promise<{ h: Harness; runId: string }> {
  await privateEngine();
  const out = join(root, name);
  const h = run([...args, '--out', out]);
  const runId = await until('run.json', () => runIdIn(out), 60_000);
  runIds.push(runId);
  await until('the embedded registry of the run', () => processesWith(runId).some((p) => /registry/.test(p.cmd)), 120_000);
  return { h, runId };
}

const left = (runId: string) => leftoversOf(runId, { host: engine.host, base });
let killed: { runId: string; left: Leftovers } | undefined;

test('kill -9 while the registry and the deploy-target engine run leaves them behind', async () => {
  const { h, runId } = await withRegistry('killed', ['--phase', 'push-cold,pull-cold', '--iterations', '3']);
  await until('the second engine of the run', () => processesWith(runId).some((p) => /dockerd/.test(p.cmd)), 180_000);
  h.child.kill('SIGKILL');
  const { signal } = await exitOf(h, 10_000);
  assert.is(signal, 'SIGKILL');
  const l = await left(runId);
  killed = { runId, left: l };
  // What the tests below rely on: there is something to clean.
  assert.ok(l.images.length > 0, `the run's labelled image is still there: ${JSON.stringify(l)}`);
  // The registry outlives the run. The second engine may not: its output goes through a pipe to stagebench (see
  // the report), and it dies of the broken pipe at its next log line; its folder stays either way.
  assert.ok(l.processes.some((p) => /registry/.test(p.cmd)), `the registry still runs: ${JSON.stringify(l.processes)}`);
  assert.ok(l.folders.some((f) => /stagebench-registry-/.test(f)) && l.folders.some((f) => /stagebench-target-/.test(f)), JSON.stringify(l.folders));
  assert.ok(l.record, 'the record of the killed run is still there');
});

test('clean --dry-run lists every leftover of the killed run and removes nothing', async () => {
  assert.ok(killed, 'the killed run');
  const { runId, left: l } = killed!;
  const r = await cleanCli(['--dry-run'], env());
  assert.is(r.code, 0, r.stderr);
  for (const id of l.images) assert.ok(r.stdout.includes(`would remove image ${id.slice(0, 12)} (run ${runId})`), `image ${id}:\n${r.stdout}`);
  const after = await left(runId);
  // A second engine dying of its broken pipe meanwhile is not listed: the processes alive before and after are.
  const steady = l.processes.filter((p) => after.processes.some((a) => a.pid === p.pid));
  assert.ok(steady.some((p) => /registry/.test(p.cmd)), 'the registry lives on untouched by --dry-run');
  for (const p of steady) assert.ok(r.stdout.includes(`would remove process ${p.pid} `), `process ${p.pid} ${p.cmd}:\n${r.stdout}`);
  for (const f of l.folders) assert.ok(r.stdout.includes(`would remove folder ${f} (run ${runId})`), `folder ${f}:\n${r.stdout}`);
  assert.ok(r.stdout.includes(`would remove record run ${runId} `), r.stdout);
  assert.equal(after.images.sort(), l.images.sort(), 'images untouched');
  assert.equal(after.folders.sort(), l.folders.sort(), 'folders untouched');
  assert.ok(after.record);
});

test('clean removes it all: images, registry and engine processes, folders, mounts, the record', async () => {
  assert.ok(killed, 'the killed run');
  const { runId, left: l } = killed!;
  const r = await cleanCli([], env());
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`removed image \\w+ \\(run ${runId}\\)`));
  const after = await left(runId);
  assert.ok(nothingLeft(after), `still there after clean: ${JSON.stringify(after, null, 1)}`);
  assert.equal(mountsUnder(l.folders), [], "no mount is left under the run's folders");
  const again = await cleanCli(['--dry-run'], env());
  assert.not.ok(again.stdout.includes(runId), `a second look finds nothing of the run:\n${again.stdout}`);
});

test('a second Ctrl-C stops at once, saying so; clean then removes what the run left', async () => {
  // The second press must come while the first one's cleanup is still going on. With only a registry up the cleanup
  // can end within the 400 ms below (CI saw 26 ms), and a SIGINT reaching a process that is already exiting kills it
  // without a word. Stopping the deploy-target engine takes seconds, so the run is interrupted once that is up.
  const { h, runId } = await withRegistry('twice', ['--phase', 'push-cold,pull-cold', '--iterations', '5']);
  await until('the second engine of the run', () => processesWith(runId).some((p) => /dockerd/.test(p.cmd)), 180_000);
  h.child.kill('SIGINT');
  // A copy of one Ctrl-C relayed by npm comes within moments (250 ms) and is not a second Ctrl-C (run.ts,
  // SAME_SIGNAL_MS); a person's second press comes later, while the first one's cleanup is still going on. The
  // second is sent 400 ms after the run has said it heard the first: on a loaded machine (CI, load 9) two presses
  // 400 ms apart reached a busy event loop together, were handled as one relayed press, and no message came.
  await until('the run to hear the first Ctrl-C', () => h.stderr().includes('abandoning the sample in flight'), 30_000, 20);
  await new Promise((r) => setTimeout(r, 400));
  h.child.kill('SIGINT');
  const { code } = await exitOf(h, 30_000);
  assert.is(code, 130, h.stderr());
  assert.match(h.stderr(), /SIGINT again: stopping now, without cleaning up\. 'stagebench clean' removes what is left/, h.stderr());
  assert.not.ok(hasStackTrace(h.stderr()), h.stderr());
  const before = await left(runId);
  assert.ok(before.record, 'the run record stays, so that clean can tell the run is gone');
  const c = await cleanCli([], env());
  assert.is(c.code, 0, c.stderr);
  const after = await left(runId);
  assert.ok(nothingLeft(after), `still there after clean: ${JSON.stringify(after, null, 1)}`);
});

cleanupAfter(test, async () => {
  for (const h of harnesses) killHarness(h);
  for (const id of runIds) {
    for (const p of processesWith(id)) process.kill(p.pid, 'SIGKILL');
  }
  for (const m of mountsUnder([base]).sort((a, b) => b.length - a.length)) await spawnCaptured('umount', ['-l', m]);
  await engine?.remove();
  dirs.remove();
});

test.run();
