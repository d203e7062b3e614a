// Nobody let in (issue 8, "Security"): while a push and a pull run, the embedded registry listens on loopback only,
// the deploy-target engine on no TCP port, and both keep their files in folders only their owner can enter. A run
// folder handed to --resume is input too: a run id in its run.json that is a formula must not reach a spreadsheet as
// one, and one that is a path must not lead the harness outside its temp folder.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { hasStackTrace } from '../../support/cli.ts';
import { removeLabelledImages } from '../../support/docker.ts';
import { cleanupAfter, setupBefore } from '../../support/setup.ts';
import {
  Folders, LABEL, exitOf, foldersOf, killHarness, processesWith, quickPushScenario, rawCsvCells, runIdIn, startHarness, until, type Harness,
} from './support.ts';

const dirs = new Folders();
let root = '';

setupBefore(test, () => {
  root = dirs.make('faults-security');
  quickPushScenario(root, 'quick', { a: 0 });
});
const harnesses: Harness[] = [];
const runIds: string[] = [];

function run(args: string[]): Harness {
  const h = startHarness(['run', '--scenarios', root, '--variant', 'a', ...args]);
  harnesses.push(h);
  return h;
}

/** Listening TCP sockets of a process, as "ADDR:PORT" in /proc/net/tcp's hex form; undefined if it has gone. */
function listening(pid: number): string[] | undefined {
  try {
    const inodes = new Set(
      readdirSync(`/proc/${pid}/fd`).map((fd) => {
        try {
          return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        } catch {
          return undefined;
        }
      }).filter(Boolean),
    );
    const out: string[] = [];
    for (const table of ['tcp', 'tcp6']) {
      for (const line of readFileSync(`/proc/${pid}/net/${table}`, 'utf8').split('\n').slice(1)) {
        const f = line.trim().split(/\s+/);
        // local_address is f[1], st f[3] (0A = LISTEN), inode f[9]
        if (f[3] === '0A' && inodes.has(f[9])) out.push(f[1]);
      }
    }
    return out;
  } catch {
    return undefined;
  }
}

const LOOPBACK = /^(0100007F|00000000000000000000000001000000):[0-9A-F]{4}$/;

/** Starts a run into ROOT/NAME and waits for its run id. */
async function started(name: string, args: string[]): Promise<{ h: Harness; out: string; runId: string }> {
  const out = join(root, name);
  const h = run([...args, '--out', out]);
  const runId = await until('run.json', () => runIdIn(out), 60_000);
  runIds.push(runId);
  return { h, out, runId };
}

test('during push and pull: the registry listens on loopback only, the second engine on no TCP port, both folders 0700', async () => {
  const { h, runId } = await started('push-pull', ['--phase', 'push-cold,pull-cold', '--iterations', '3']);
  // Everything is read at one moment while both run: their folders exist only as long as the run lives.
  const seen = await until('the registry and the second engine of the run, answering', () => {
    const ps = processesWith(runId);
    const registry = ps.find((p) => /registry/.test(p.cmd));
    const engine = ps.find((p) => /^dockerd /.test(p.cmd));
    const folders = foldersOf(runId).filter((f) => /stagebench-(registry|target)-/.test(f));
    const target = folders.find((f) => /stagebench-target-/.test(f));
    if (!registry || !engine || !target || folders.length < 2 || !existsSync(join(target, 'docker.sock'))) return undefined;
    const regSockets = listening(registry.pid);
    const engineSockets = listening(engine.pid);
    if (!regSockets?.length || !engineSockets) return undefined;
    try {
      const modes = folders.map((f) => ({ f: basename(f), mode: (statSync(f).mode & 0o777).toString(8), uid: statSync(f).uid }));
      return { regSockets, engineSockets, target, modes, engineCmd: engine.cmd };
    } catch {
      return undefined;
    }
  }, 180_000, 50);
  await exitOf(h, 180_000);

  assert.ok(seen.regSockets.every((a) => LOOPBACK.test(a)), `registry listens on: ${seen.regSockets.join(', ')}`);
  assert.equal(seen.engineSockets, [], 'the second engine listens on no TCP port');
  assert.ok(seen.engineCmd.includes(`-H unix://${seen.target}/docker.sock`), `its socket lies in its own folder: ${seen.engineCmd}`);
  for (const m of seen.modes) assert.equal([m.mode, m.uid], ['700', 0], `${m.f}: mode ${m.mode}, owner ${m.uid}`);
});

/** A copy of a finished run folder whose run.json says `runId` and whose samples.csv has no rows yet. */
function craftedRun(base: string, name: string, runId: string): string {
  const dir = join(root, name);
  cpSync(base, dir, { recursive: true });
  const info = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...info, run_id: runId }));
  writeFileSync(join(dir, 'samples.csv'), `${readFileSync(join(base, 'samples.csv'), 'utf8').split('\n')[0]}\n`);
  writeFileSync(join(dir, 'steps.csv'), `${readFileSync(join(base, 'steps.csv'), 'utf8').split('\n')[0]}\n`);
  return dir;
}

let baseRun = '';
const SAME = ['--phase', 'build-warm', '--iterations', '1'];

async function finishedRun(): Promise<string> {
  if (baseRun) return baseRun;
  const { h, out } = await started('base', SAME);
  const { code } = await exitOf(h, 120_000);
  assert.ok(code === 0 || code === 1, h.stderr());
  baseRun = out;
  return out;
}

test('--resume of a run whose run id is a formula: refused, or written so that a spreadsheet shows it as text', async () => {
  const dir = craftedRun(await finishedRun(), 'formula', '=1+2');
  runIds.push('=1+2');
  const h = run([...SAME, '--resume', dir]);
  const { code } = await exitOf(h, 120_000);
  assert.not.ok(hasStackTrace(h.stderr()), h.stderr());
  if (code === 2) return;
  assert.ok(code === 0 || code === 1, h.stderr());
  const cells = rawCsvCells(readFileSync(join(dir, 'samples.csv'), 'utf8'));
  assert.ok(cells.includes("'=1+2"), 'the run id cell carries the guard');
  assert.not.ok(cells.includes('=1+2'), 'no cell is the bare formula');
});

test('--resume of a run whose run id is a path: exit 2 naming it, nothing made outside the temp folder', async () => {
  const escaped = `x/../../${basename(root)}/escaped`;
  const dir = craftedRun(await finishedRun(), 'path', escaped);
  const h = run([...SAME, '--resume', dir]);
  const { code } = await exitOf(h, 120_000);
  // The run id goes into the run record's and the workspace's paths: one from run.json must be checked first.
  assert.is(code, 2, h.stderr());
  assert.not.ok(hasStackTrace(h.stderr()), h.stderr());
  assert.ok(h.stderr().includes(escaped) || h.stderr().includes(join(dir, 'run.json')), h.stderr());
  assert.equal(readdirSync(root).filter((n) => n.startsWith('escaped')), []);
});

cleanupAfter(test, async () => {
  for (const h of harnesses) killHarness(h);
  for (const id of runIds) await removeLabelledImages(LABEL, id);
  dirs.remove();
});

test.run();
