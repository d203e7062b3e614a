// Bad input through the real CLI: an unknown scenario, variant or phase, a scenario.json that fails validation, a
// missing Dockerfile. Each exits 2 with a message that names the file or value, no stack trace, and no run folder.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { hasStackTrace, runCli, type CliResult } from '../../support/cli.ts';
import { makeScenario, scenarioJson } from '../../support/scenario-folder.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';
import { cleanupAfter } from '../../support/setup.ts';

// Made on first use, inside a test: a folder made at import time would be removed by another file's cleanup.
let made: { root: string; good: string } | undefined;
function folders(): { root: string; good: string } {
  if (!made) {
    const root = tempDir('badinput');
    made = { root, good: join(root, 'good') };
    makeScenario(made.good, 'demo');
  }
  return made;
}

cleanupAfter(test, removeTempDirs);

/** Runs `stagebench run ARGS --out OUT` and checks what every bad input must give: exit 2, no trace, no run. */
async function refused(args: string[]): Promise<CliResult> {
  const out = join(tempDir('badinput-out'), 'run');
  const r = await runCli(['run', ...args, '--iterations', '1', '--out', out]);
  assert.is(r.code, 2, `exit code of ${args.join(' ')}\n${r.stderr}`);
  assert.not.ok(hasStackTrace(r.stderr), r.stderr);
  assert.not.ok(/internal error/.test(r.stderr), r.stderr);
  assert.match(r.stderr, /^stagebench: error: /m);
  assert.not.ok(existsSync(out), 'no run folder is made for bad input');
  return r;
}

test('unknown scenario: exit 2, naming it and the scenarios there are', async () => {
  const r = await refused(['--scenarios', folders().good, '--scenario', 'no-such-app', '--phase', 'build-cold']);
  assert.match(r.stderr, /'no-such-app'/);
  assert.match(r.stderr, /demo/);
});

test('a scenario given as a path: exit 2, naming it', async () => {
  const r = await refused(['--scenarios', folders().good, '--scenario', '../demo', '--phase', 'build-cold']);
  assert.match(r.stderr, /'\.\.\/demo'/);
});

test('unknown variant: exit 2, naming it and the variants there are', async () => {
  const r = await refused(['--scenarios', folders().good, '--scenario', 'demo', '--variant', 'chiselled', '--phase', 'build-cold']);
  assert.match(r.stderr, /--variant 'chiselled'/);
  assert.match(r.stderr, /single/);
});

test('unknown phase: exit 2, naming it and the phases there are', async () => {
  const r = await refused(['--scenarios', folders().good, '--scenario', 'demo', '--phase', 'build-cold,build-hot']);
  assert.match(r.stderr, /--phase 'build-hot'/);
  assert.match(r.stderr, /build-warm-src/);
});

test('unknown option: exit 2, naming it', async () => {
  const r = await refused(['--scenarios', folders().good, '--fast']);
  assert.match(r.stderr, /--fast/);
});

test('a scenario.json that fails validation: exit 2, naming the file and each problem', async () => {
  const bad = join(folders().root, 'invalid');
  const json = scenarioJson('demo', { single: { dockerfile: 'Dockerfile.single' } }) as Record<string, any>;
  json.colour = 'blue';
  json.smoke.status = 'two hundred';
  makeScenario(bad, 'demo', { json });
  const r = await refused(['--scenarios', bad, '--phase', 'build-cold']);
  assert.ok(r.stderr.includes(join(bad, 'demo', 'scenario.json')), r.stderr);
  assert.match(r.stderr, /'colour'/);
  assert.match(r.stderr, /smoke\.status/);
});

test('a scenario.json that is not JSON: exit 2, naming the file', async () => {
  const bad = join(folders().root, 'not-json');
  makeScenario(bad, 'demo', { json: '{"name": "demo",,}' });
  const r = await refused(['--scenarios', bad, '--scenario', 'demo', '--phase', 'build-cold']);
  assert.ok(r.stderr.includes(join(bad, 'demo', 'scenario.json')), r.stderr);
  assert.match(r.stderr, /not valid JSON/);
});

test('a missing Dockerfile: exit 2, naming it', async () => {
  const bad = join(folders().root, 'no-dockerfile');
  const dir = makeScenario(bad, 'demo');
  rmSync(join(dir, 'Dockerfile.single'));
  const r = await refused(['--scenarios', bad, '--scenario', 'demo', '--phase', 'build-cold']);
  assert.match(r.stderr, /Dockerfile\.single' does not exist/);
});

test('a --scenarios folder that does not exist: exit 2, naming it', async () => {
  const missing = join(folders().root, 'nowhere');
  const r = await refused(['--scenarios', missing, '--phase', 'build-cold']);
  assert.ok(r.stderr.includes(missing), r.stderr);
});

test.run();
