// Run ids of runs, tunes and merges: one stamp, and one pattern that clean and --resume recognise.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MADE_RUN_ID, mergedRunId, newRunId, RUN_ID, tuneRunId } from '../../../src/results/run-id.ts';

test('newRunId: UTC date and time, then a random suffix; two ids made at once differ', () => {
  const at = new Date('2026-01-02T03:04:05.678Z');
  const a = newRunId(at);
  const b = newRunId(at);
  assert.match(a, /^20260102-030405-[0-9a-f]{4}$/);
  assert.is.not(a, b);
});

test('newRunId sorts by time: a later run has a later id', () => {
  assert.ok(newRunId(new Date('2026-01-02T03:04:05Z')) < newRunId(new Date('2026-01-02T03:04:06Z')));
  assert.ok(newRunId(new Date('2026-01-02T23:59:59Z')) < newRunId(new Date('2026-01-03T00:00:00Z')));
});

test('tune and merge ids carry the same stamp', () => {
  const at = new Date('2026-01-02T03:04:05.678Z');
  assert.is(tuneRunId('express-api', 'single', at), 'tune-express-api-single-20260102-030405');
  assert.is(mergedRunId(at), '20260102-030405-merged');
});

test('the pattern of made ids matches runs and tunes, and every id passes the --resume check', () => {
  const made = new RegExp(`^${MADE_RUN_ID}$`);
  const at = new Date('2026-01-02T03:04:05Z');
  for (const id of [newRunId(at), tuneRunId('express-api', 'single', at)]) {
    assert.ok(made.test(id), id);
    assert.ok(RUN_ID.test(id), id);
  }
  assert.ok(RUN_ID.test(mergedRunId(at)));
  assert.not.ok(made.test('20260102-030405'));
  assert.not.ok(RUN_ID.test('../etc'));
});

test.run();
