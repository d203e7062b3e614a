// The monthly CI minutes from a replay (issue 32): `--replay DIR` makes each pipeline build cost what an average
// replayed commit did, and the assumptions say so; replay.csv is read back with its cells typed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { collectFacts } from '../../../src/report/facts.ts';
import { loadRunData } from '../../../src/report/run-data.ts';
import { describeAssumptions, monthlyWorth } from '../../../src/report/worth.ts';
import { worthAssumptions } from '../../../src/report/worth-options.ts';
import { openReplayCsv } from '../../../src/results/replay-csv.ts';
import { makeRun, writeRunFolder } from './run-folder.ts';

const work = mkdtempSync(join(tmpdir(), 'stagebench-worth-replay-'));
test.after(() => rmSync(work, { recursive: true, force: true }));

test('a replay sets the build cost of the monthly CI minutes, and the assumption says so', () => {
  const csv = openReplayCsv(join(work, 'replay', 'replay.csv'));
  const base = { schema: 1, replay_id: 'r', mode: 'warm', scenario: 'app', round: 1, ok: true, error: '', steps: 4, cached_steps: 3, rebuilt_steps: 1, reinstalled: false, touched_context: true, kinds: 'source', files_changed: 1, context_files: 'a.js', push_bytes: 1, image_bytes: 2, image_id: 'x', rebuilt: '' };
  csv.append({ ...base, position: 1, commit: 'c1', subject: 'a', variant: 'single', duration_ms: 4000 });
  csv.append({ ...base, position: 2, commit: 'c2', subject: 'b', variant: 'single', duration_ms: 8000 });
  csv.close();
  const a = worthAssumptions('report', { replay: join(work, 'replay') });
  assert.equal(a.replay, [{ scenario: 'app', variant: 'single', perCommitMs: 6000, commits: 2 }]);
  const run = makeRun([
    { scenario: 'app', variant: 'single', phase: 'build-warm-src', samples: [60_000] },
    { scenario: 'app', variant: 'single', phase: 'push-warm', samples: [6_000] },
  ]);
  const data = loadRunData(writeRunFolder(join(work, 'run'), run));
  const [single] = monthlyWorth(collectFacts(data), data.samples, a);
  assert.is(single.build?.phase, 'replay');
  assert.is(single.ciMinutes, 1500 * (6000 + 6000) / 60_000);
  assert.match(describeAssumptions(a), /mean build per commit of a replay of 2 real commits/);
});

test('a replay folder without replay.csv is exit 2 naming the file', () => {
  assert.throws(() => worthAssumptions('report', { replay: join(work, 'nothing') }), /nothing: no replay\.csv there/);
});

test.run();
