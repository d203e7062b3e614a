// The compiled CLI with no engine: `--help` of the CLI and of every command prints that command's help and exits 0;
// `report` on a recorded run writes report.md and report.html and exits 0 (the report tests under test/unit/report
// check their content in-process; this checks the command a user types).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from '../../../src/commands/index.ts';
import { mainHelp } from '../../../src/commands/main-help.ts';
import { CLAIMS_TITLE } from '../../../src/report/team-tables.ts';
import { hasStackTrace, runCli } from '../../support/cli.ts';
import { cleanupAfter } from '../../support/setup.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';
import { fullRun, writeRunFolder } from '../report/run-folder.ts';

cleanupAfter(test, removeTempDirs);

test('stagebench --help: exit 0, the command list', async () => {
  const r = await runCli(['--help']);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, `${mainHelp()}\n`);
});

test('stagebench COMMAND --help, for every command: exit 0, its own help, nothing on stderr', async () => {
  const names = Object.keys(COMMANDS);
  // Side by side: each is a process start, and none touches anything.
  const results = await Promise.all(names.map((name) => runCli([name, '--help'])));
  for (const [i, name] of names.entries()) {
    const r = results[i];
    assert.is(r.code, 0, `${name} --help: ${r.stderr}`);
    assert.is(r.stderr, '', name);
    assert.is(r.stdout, `${(await COMMANDS[name].load()).help}\n`, name);
  }
});

test('stagebench report RUN_DIR on a recorded run: exit 0, report.md with the claims and report.html', async () => {
  const run = writeRunFolder(join(tempDir('cli-report'), 'run'), fullRun());
  const r = await runCli(['report', run]);
  assert.is(r.code, 0, r.stderr);
  assert.not.ok(hasStackTrace(r.stderr), r.stderr);
  const md = readFileSync(join(run, 'report.md'), 'utf8');
  assert.ok(md.includes(`## ${CLAIMS_TITLE}`), md.slice(0, 500));
  assert.ok(md.includes('## express-api'), 'a section per scenario');
  assert.ok(existsSync(join(run, 'report.html')));
  assert.match(readFileSync(join(run, 'report.html'), 'utf8'), /^<!doctype html>/i);
});

test.run();
