// `stagebench clean` acts only on run folders nobody else could have written: this user's, mode 0700 (as mkdtemp
// makes them). A folder of the right name that another user made in a shared temp folder, with a pid file naming a
// process, neither stops that process nor is removed.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PID_FILE } from '../../../src/npm-proxy/verdaccio.ts';
import { cleanLeftovers, ownPrivateFolder } from '../../../src/run/leftovers.ts';
import { isAlive } from '../../../src/run/live-runs.ts';
import { cleanupAfter } from '../../support/setup.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

cleanupAfter(test, removeTempDirs);

// Run records live in the temp folder: each test keeps its own, leaving other runs' records on this machine alone.
const savedTmp = process.env.TMPDIR;
test.before.each(() => {
  process.env.TMPDIR = tempDir('clean-records');
});
test.after.each(() => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
});

test('a planted npm-proxy folder (mode 0755) with a pid file: the process lives on, the folder stays', async () => {
  const base = tempDir('clean-planted');
  // A process named like the proxy, which clean would otherwise stop.
  const victim = spawn('bash', ['-c', 'exec -a verdaccio sleep 60'], { stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 300));
    const planted = join(base, 'stagebench-npm-20260101-000000-abcd-Xy12Ab');
    mkdirSync(planted, { mode: 0o755 });
    chmodSync(planted, 0o755);
    writeFileSync(join(planted, PID_FILE), `${victim.pid}\n`);
    assert.not.ok(ownPrivateFolder(planted));
    const found = await cleanLeftovers(undefined, { dryRun: false, base });
    assert.equal(found.filter((f) => f.kind !== 'record'), []);
    assert.ok(isAlive(victim.pid!), 'the process named in the planted pid file is alive');
    assert.ok(existsSync(planted));
  } finally {
    victim.kill('SIGKILL');
  }
});

test("this user's own run folder (mode 0700) is still cleaned", async () => {
  const base = tempDir('clean-own');
  const own = join(base, 'stagebench-20260101-000000-abcd-Xy12Ab');
  mkdirSync(own, { mode: 0o700 });
  assert.ok(ownPrivateFolder(own));
  const found = await cleanLeftovers(undefined, { dryRun: false, base });
  assert.ok(found.some((f) => f.kind === 'folder' && f.what === own));
  assert.not.ok(existsSync(own));
});

test.run();
