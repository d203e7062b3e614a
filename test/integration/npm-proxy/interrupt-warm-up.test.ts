// The npm proxy's warm-up interrupted: a Ctrl-C leaves nothing (proxy process, its private folder, the run's other
// folders and record); a kill -9 leaves the proxy running, and `stagebench clean --dry-run` names it and its folder,
// then `stagebench clean` removes them. The warm-up of express-api's lockfile takes long enough to interrupt.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from '../../../src/run/live-runs.ts';
import { ROOT, runCli, type CliResult } from '../../support/cli.ts';
import { cleanupAfter, setupBefore } from '../../support/setup.ts';
import { exitOf, Folders, killHarness, leftoversOf, nothingLeft, runIdIn, startHarness, until, type Harness } from '../faults/support.ts';
import { TEST_CACHE } from './support.ts';

const dirs = new Folders();
const started: Harness[] = [];
let out = '';

setupBefore(test, () => {
  out = dirs.make('npmproxy-interrupt');
});

cleanupAfter(test, () => {
  for (const h of started) killHarness(h);
  dirs.remove();
});

/** The pid the run's proxy folder records (Verdaccio renames its process, so its command line does not name the folder). */
function proxyPid(runId: string): number {
  const dir = readdirSync(tmpdir()).find((n) => n.startsWith(`stagebench-npm-${runId}-`));
  try {
    return dir ? Number(readFileSync(join(tmpdir(), dir, 'proxy.pid'), 'utf8').trim()) : 0;
  } catch {
    return 0;
  }
}

function warmingRun(dir: string): Harness {
  const h = startHarness(
    ['run', '--scenarios', join(ROOT, 'scenarios'), '--scenario', 'express-api', '--variant', 'multi', '--phase', 'build-cold', '--iterations', '1', '--npm-registry', 'local', '--out', dir],
    { group: true, env: { STAGEBENCH_CACHE: TEST_CACHE } },
  );
  started.push(h);
  return h;
}

test('Ctrl-C during the warm-up: exit 130, and the proxy, its folder and the run leave nothing', async () => {
  const dir = join(out, 'ctrl-c');
  const h = warmingRun(dir);
  await until('the warm-up to start', () => /warming it \(untimed\)/.test(h.stderr() + h.stdout()), 20 * 60_000, 200);
  const runId = runIdIn(dir) ?? '';
  assert.ok(proxyPid(runId) > 0, 'the proxy runs during the warm-up');
  process.kill(-h.pid, 'SIGINT');
  const exit = await exitOf(h, 60_000);
  assert.is(exit.code, 130, h.stderr());
  const left = await leftoversOf(runId);
  assert.ok(nothingLeft(left), JSON.stringify(left, null, 1));
});

let dryRun: CliResult | undefined;

test('kill -9 during the warm-up leaves the proxy running; clean --dry-run names it and its folder, clean removes them', async () => {
  const dir = join(out, 'kill');
  const h = warmingRun(dir);
  await until('the warm-up to start', () => /warming it \(untimed\)/.test(h.stderr() + h.stdout()), 20 * 60_000, 200);
  const runId = runIdIn(dir) ?? '';
  process.kill(h.pid, 'SIGKILL');
  await exitOf(h, 30_000);
  // The warm-up's own npm child may outlive the harness a moment; the proxy outlives it for good.
  const pid = proxyPid(runId);
  assert.ok(pid > 0 && isAlive(pid), 'the proxy outlives the killed run');
  dryRun = await runCli(['clean', '--dry-run']);
  assert.is(dryRun.code, 0, dryRun.stderr);
  assert.match(dryRun.stdout, new RegExp(`would remove process ${pid} .*verdaccio.*npm proxy of .*stagebench-npm-${runId}-`));
  assert.match(dryRun.stdout, new RegExp(`would remove folder .*stagebench-npm-${runId}-\\w{6} \\(run ${runId}\\)`));
  const clean = await runCli(['clean']);
  assert.is(clean.code, 0, clean.stderr);
  await until('the proxy to stop', () => !isAlive(pid), 30_000);
  const left = await leftoversOf(runId);
  assert.ok(nothingLeft(left), JSON.stringify(left, null, 1));
});

test.run();
