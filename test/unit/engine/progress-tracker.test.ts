// Push and pull progress events: which layers moved and which were already there.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ProgressTracker, parseProgressSize } from '../../../src/engine/progress.ts';

function track(events: Array<Record<string, unknown>>): ProgressTracker {
  const t = new ProgressTracker();
  for (const e of events) t.event(e);
  return t;
}

test('push: Pushed counts as transferred; "Layer already exists" and "Mounted from" as skipped', () => {
  const s = track([
    { status: 'The push refers to repository [127.0.0.1:5000/stagebench/demo]' },
    { status: 'Preparing', id: 'aaaaaaaaaaaa' },
    { status: 'Preparing', id: 'bbbbbbbbbbbb' },
    { status: 'Preparing', id: 'cccccccccccc' },
    { status: 'Waiting', id: 'aaaaaaaaaaaa' },
    { status: 'Pushing', id: 'aaaaaaaaaaaa', progressDetail: { current: 512, total: 1000 } },
    { status: 'Pushing', id: 'aaaaaaaaaaaa', progressDetail: { current: 1000, total: 1000 } },
    { status: 'Pushed', id: 'aaaaaaaaaaaa', progressDetail: {} },
    { status: 'Layer already exists', id: 'bbbbbbbbbbbb', progressDetail: {} },
    { status: 'Mounted from stagebench/other', id: 'cccccccccccc', progressDetail: {} },
    { status: 'single: digest: sha256:0123 size: 1234' },
  ]).summary();
  assert.equal(s.transferredIds, ['aaaaaaaaaaaa']);
  assert.equal(s.skippedIds.sort(), ['bbbbbbbbbbbb', 'cccccccccccc']);
  assert.is(s.transferred, 1);
  assert.is(s.skipped, 2);
  assert.is(s.bytes, 1000);
});

test('pull: "Pull complete" counts as transferred, "Already exists" as skipped', () => {
  const s = track([
    { status: 'Pulling from stagebench/demo', id: 'single' },
    { status: 'Already exists', id: '111111111111', progressDetail: {} },
    { status: 'Pulling fs layer', id: '222222222222', progressDetail: {} },
    { status: 'Downloading', id: '222222222222', progressDetail: { current: 100, total: 2048 } },
    { status: 'Download complete', id: '222222222222', progressDetail: {} },
    { status: 'Extracting', id: '222222222222', progressDetail: { current: 2048, total: 2048 } },
    { status: 'Pull complete', id: '222222222222', progressDetail: {} },
    { status: 'Digest: sha256:0123' },
    { status: 'Status: Downloaded newer image for 127.0.0.1:5000/stagebench/demo:single' },
  ]).summary();
  assert.equal(s.transferredIds, ['222222222222']);
  assert.equal(s.skippedIds, ['111111111111']);
  assert.is(s.bytes, 2048);
});

test('a layer still pending at the end counts neither way', () => {
  const s = track([{ status: 'Preparing', id: 'dddddddddddd' }, { status: 'Waiting', id: 'dddddddddddd' }]).summary();
  assert.is(s.transferred, 0);
  assert.is(s.skipped, 0);
});

test('ids that are not 12 hex characters (tags, repositories, full digests) are ignored', () => {
  const s = track([
    { status: 'Pushed', id: 'single' },
    { status: 'Pull complete', id: 'latest' },
    { status: 'Pushed', id: 'AAAAAAAAAAAA' },
    { status: 'Pushed', id: 'aaaaaaaaaaa' },
    { status: 'Pushed', id: 'aaaaaaaaaaaaa' },
    { status: 'Already exists', id: 'sha256:aaaaaaaaaaaa' },
    { status: 'Pushed' },
    { status: 'Pushed', id: 123456789012 },
  ]).summary();
  assert.is(s.transferred, 0);
  assert.is(s.skipped, 0);
  assert.is(s.bytes, 0);
});

test('bytes sum the largest total seen per transferred layer, skipped layers add nothing', () => {
  const s = track([
    { status: 'Pushing', id: 'aaaaaaaaaaaa', progressDetail: { current: 10, total: 300 } },
    { status: 'Pushing', id: 'aaaaaaaaaaaa', progressDetail: { current: 20, total: 500 } },
    { status: 'Pushed', id: 'aaaaaaaaaaaa' },
    { status: 'Pushing', id: 'bbbbbbbbbbbb', progressDetail: { current: 10, total: 7000 } },
    { status: 'Layer already exists', id: 'bbbbbbbbbbbb' },
  ]).summary();
  assert.is(s.bytes, 500);
});

test('parseProgressSize: docker progress sizes in powers of 1000', () => {
  assert.is(parseProgressSize('512B'), 512);
  assert.is(parseProgressSize('1.5kB'), 1500);
  assert.is(parseProgressSize(' 12.5MB '), 12_500_000);
  assert.is(parseProgressSize('2GB'), 2e9);
  assert.is(parseProgressSize('twelve'), undefined);
});

test.run();
