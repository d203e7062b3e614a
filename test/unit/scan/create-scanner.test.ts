// --scanner resolution: auto takes trivy, then grype, then the built-in scanner; an explicit choice that is not
// installed is an environment error.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EnvironmentError } from '../../../src/errors.ts';
import { createScanner } from '../../../src/scan/create-scanner.ts';

const root = mkdtempSync(join(tmpdir(), 'stagebench-scanner-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

/** A folder holding executables of these names (never run: only found). */
function folderWith(name: string, tools: string[], mode = 0o755): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const t of tools) {
    writeFileSync(join(dir, t), '#!/bin/sh\nexit 0\n');
    chmodSync(join(dir, t), mode);
  }
  return dir;
}

test('auto: trivy first, then grype, then builtin', async () => {
  assert.is((await createScanner('auto', { pathEnv: folderWith('both', ['trivy', 'grype']) })).name, 'trivy');
  assert.is((await createScanner('auto', { pathEnv: folderWith('grype-only', ['grype']) })).name, 'grype');
  assert.is((await createScanner('auto', { pathEnv: folderWith('none', []) })).name, 'builtin');
});

test('PATH is searched in order, and a file that is not executable does not count', async () => {
  const notExec = folderWith('not-exec', ['trivy'], 0o644);
  assert.is((await createScanner('auto', { pathEnv: notExec })).name, 'builtin');
  const grype = folderWith('grype-only', ['grype']);
  assert.is((await createScanner('auto', { pathEnv: `${notExec}:${grype}` })).name, 'grype');
});

test('an explicit trivy or grype that is missing is an EnvironmentError naming --scanner', async () => {
  for (const choice of ['trivy', 'grype'] as const) {
    try {
      await createScanner(choice, { pathEnv: folderWith('empty', []) });
      assert.unreachable('should have thrown');
    } catch (err) {
      assert.instance(err, EnvironmentError);
      assert.match((err as Error).message, `--scanner ${choice}: ${choice} is not on PATH`);
    }
  }
});

test('none is no scanner; builtin, even beside trivy, without a database says it checks no vulnerabilities', async () => {
  assert.is(await createScanner('none'), null);
  const s = await createScanner('builtin', { pathEnv: folderWith('trivy-only', ['trivy']) });
  assert.is(s.name, 'builtin');
  assert.match(s.notes.join('\n'), /no vulnerability database/);
  assert.is((await s.version()).db_date, '');
});

test.run();
