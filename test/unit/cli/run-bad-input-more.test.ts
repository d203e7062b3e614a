// Bad input through the real CLI (issue 8, "Bad input") that no other test gives the CLI: a symlink out of the
// scenario, --iterations 0 and -1, --shard 3/2, --timeout 0, --resume of what is not a run, --out on a finished
// run. Each must exit 2 with a message that names the file or value, no stack trace, and no run started.
// Covered elsewhere and not repeated here: invalid scenario.json syntax and schema, a missing Dockerfile, a
// scenario given as a path, unknown options and phases (run-bad-input.test.ts beside this one); compare with a
// file that is not a samples file or of schema 2 (test/unit/gate/command.test.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE_COLUMNS } from '../../../src/types.ts';
import { hasStackTrace, runCli, type CliResult } from '../../support/cli.ts';
import { makeScenario, slimDockerfile } from '../../support/scenario-folder.ts';
import { cleanupAfter, setupBefore } from '../../support/setup.ts';
import { Folders } from '../../support/temp-dir.ts';

const dirs = new Folders();
let root = '';
let good = '';
let base: string[] = [];

setupBefore(test, () => {
  root = dirs.make('faults-badinput');
  good = join(root, 'good');
  makeScenario(good, 'demo', { variants: { single: { dockerfile: slimDockerfile('true') } } });
  base = ['--scenarios', good, '--phase', 'build-cold'];
});

/** `stagebench run ARGS`: exit 2, the error line naming `names`, no stack trace, no internal error, no run folder. */
async function refused(args: string[], ...names: string[]): Promise<CliResult> {
  const out = join(dirs.make('faults-badinput-out'), 'run');
  const withOut = args.includes('--resume') || args.includes('--out') ? args : [...args, '--out', out];
  const r = await runCli(['run', ...withOut]);
  assert.is(r.code, 2, `exit code of run ${withOut.join(' ')}\n${r.stderr}`);
  assert.not.ok(hasStackTrace(r.stderr), r.stderr);
  assert.not.match(r.stderr, /internal error/);
  assert.match(r.stderr, /^stagebench: error: /m);
  for (const n of names) assert.ok(r.stderr.includes(n), `the message names ${n}:\n${r.stderr}`);
  assert.not.ok(existsSync(out), 'no run folder is made for bad input');
  return r;
}

test('a symlink in the scenario pointing outside it: exit 2, naming the link and where it points', async () => {
  const bad = join(root, 'symlink');
  const dir = makeScenario(bad, 'demo', { variants: { single: { dockerfile: slimDockerfile('true') } } });
  symlinkSync('/etc', join(dir, 'host-etc'));
  const r = await refused(['--scenarios', bad, '--phase', 'build-cold'], 'host-etc', '/etc');
  assert.match(r.stderr, /outside the scenario folder/);
});

test('a Dockerfile that is a symlink to a file outside the scenario: exit 2, naming it', async () => {
  const bad = join(root, 'dockerfile-link');
  const outside = join(root, 'outside.Dockerfile');
  writeFileSync(outside, slimDockerfile('true'));
  const dir = makeScenario(bad, 'demo', { variants: { single: { dockerfile: slimDockerfile('true'), file: 'Dockerfile.real' } } });
  // scenario.json names Dockerfile.real: it becomes the link.
  rmSync(join(dir, 'Dockerfile.real'));
  symlinkSync(outside, join(dir, 'Dockerfile.real'));
  await refused(['--scenarios', bad, '--phase', 'build-cold'], 'Dockerfile.real', 'outside');
});

test('--iterations 0: exit 2, naming the option and the value', async () => {
  await refused([...base, '--iterations', '0'], '--iterations', "'0'");
});

test('--iterations -1 (as typed, with a space): exit 2, naming the option and the value', async () => {
  await refused([...base, '--iterations', '-1'], '--iterations', "'-1'");
});

test('--shard 3/2: exit 2, naming the option and the value', async () => {
  await refused([...base, '--shard', '3/2'], '--shard', "'3/2'");
});

test('--timeout 0: exit 2, naming the option and the value', async () => {
  await refused([...base, '--timeout', '0'], '--timeout', "'0'");
});

test('--resume of a folder that holds no run: exit 2, naming the folder', async () => {
  const empty = dirs.make('faults-badinput-empty');
  await refused([...base, '--resume', empty], empty);
});

test('--resume of a run whose run.json is not JSON: exit 2, naming run.json', async () => {
  const dir = dirs.make('faults-badinput-broken');
  writeFileSync(join(dir, 'samples.csv'), `${SAMPLE_COLUMNS.join(',')}\n`);
  writeFileSync(join(dir, 'run.json'), '{"run_id": "20250101-000000-abcd",');
  await refused([...base, '--resume', dir], join(dir, 'run.json'));
});

test('--out on a folder that already holds a run: exit 2, naming it and --resume, the run untouched', async () => {
  const dir = dirs.make('faults-badinput-taken');
  const header = `${SAMPLE_COLUMNS.join(',')}\n`;
  writeFileSync(join(dir, 'samples.csv'), header);
  writeFileSync(join(dir, 'run.json'), '{}');
  await refused([...base, '--out', dir], dir, '--resume');
  assert.equal(readdirSync(dir).sort(), ['run.json', 'samples.csv']);
});

test('--scenarios pointing at a file: exit 2, naming it', async () => {
  const file = join(root, 'not-a-folder');
  writeFileSync(file, 'x');
  await refused(['--scenarios', file, '--phase', 'build-cold'], file);
});

cleanupAfter(test, () => dirs.remove());

test.run();
