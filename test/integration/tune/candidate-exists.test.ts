// Bad input that tune refuses only once it has the engine: the scenario already holds Dockerfile.stagebench-candidate
// (the file tune writes). Exit 2 naming the file and what to do, no stack trace, and no workspace or live-run record
// left. Moved out of test/unit/cli/bad-input-table.test.ts, whose cases all are refused before an engine is needed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { liveRunsDir } from '../../../src/run/live-runs.ts';
import { hasStackTrace, runCli } from '../../support/cli.ts';
import { makeScenario, slimDockerfile } from '../../support/scenario-folder.ts';
import { cleanupAfter } from '../../support/setup.ts';
import { Folders } from '../../support/temp-dir.ts';

const dirs = new Folders();

/** A Dockerfile that copies the whole context before installing: tune has a candidate for it. */
const REORDERABLE = 'ARG NODE_SLIM_IMAGE=node:20-slim\nFROM ${NODE_SLIM_IMAGE}\nWORKDIR /app\nCOPY . .\nRUN npm install\nCMD ["node","app.js"]\n';

test('tune: the scenario already has Dockerfile.stagebench-candidate: exit 2, naming it, nothing left', async () => {
  const root = dirs.make('tune-cand');
  const dir = makeScenario(root, 'demo', { variants: { single: { dockerfile: slimDockerfile('true') } } });
  writeFileSync(join(dir, 'Dockerfile.single'), REORDERABLE);
  writeFileSync(join(dir, 'Dockerfile.stagebench-candidate'), 'FROM scratch\n');
  const r = await runCli(['tune', 'demo', '--scenarios', root]);
  assert.is(r.code, 2, `exit code of stagebench tune\n${r.stderr}`);
  assert.not.ok(hasStackTrace(r.stderr), r.stderr);
  assert.not.match(r.stderr, /internal error/);
  assert.match(r.stderr, /^stagebench: error: /m);
  for (const n of ['Dockerfile.stagebench-candidate', 'rename or remove']) assert.ok(r.stderr.includes(n), `the message names ${n}:\n${r.stderr}`);
  const left = readdirSync(tmpdir()).filter((n) => n.startsWith('stagebench-tune-demo-'));
  assert.equal(left, [], 'no tune workspace is left');
  assert.equal(readdirSync(liveRunsDir()).filter((n) => n.startsWith('tune-demo-')), [], 'no tune live-run record is left');
});

cleanupAfter(test, () => dirs.remove());

test.run();
