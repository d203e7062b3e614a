// build-ci phases' pure parts: the inline-cache request, the fresh-runner check, and --ci-cache's honest refusal.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ciBuildRequest, notFresh } from '../../../src/phases/ci.ts';
import { parseRunOptions, resolvePhases } from '../../../src/run/options.ts';
import { UsageError } from '../../../src/errors.ts';
import type { BuildRequest } from '../../../src/engine/engine.ts';

const base: BuildRequest = { contextDir: '/c', dockerfile: 'Dockerfile', tag: 't', buildArgs: { NODE: 'n' }, builder: 'buildkit', labels: {} };

test('a CI build writes inline cache metadata and imports only what it is given', () => {
  const push = ciBuildRequest(base);
  assert.equal(push.buildArgs, { NODE: 'n', BUILDKIT_INLINE_CACHE: '1' });
  assert.is(push.cacheFrom, undefined);
  assert.equal(ciBuildRequest(base, ['127.0.0.1:5000/x:multi-ci']).cacheFrom, ['127.0.0.1:5000/x:multi-ci']);
  assert.equal(base.buildArgs, { NODE: 'n' });
});

test('a runner holding build cache or an image of the scenario is not fresh', () => {
  assert.is(notFresh({ cacheRecords: 0, cacheBytes: 0, scenarioImages: 0 }), '');
  assert.match(notFresh({ cacheRecords: 3, cacheBytes: 10, scenarioImages: 0 }), /not a fresh runner: the engine held 3 build cache records/);
  assert.match(notFresh({ cacheRecords: 0, cacheBytes: 0, scenarioImages: 2 }), /2 images of the scenario/);
});

test('the ci group names both phases', () => {
  assert.equal(resolvePhases(['ci']), ['build-ci', 'build-ci-src']);
});

test('--ci-cache registry is refused with the reason, inline is the default', () => {
  assert.is(parseRunOptions([]).ciCache, 'inline');
  assert.is(parseRunOptions(['--ci-cache', 'inline']).ciCache, 'inline');
  try {
    parseRunOptions(['--ci-cache', 'registry']);
    assert.unreachable('registry accepted');
  } catch (err) {
    assert.instance(err, UsageError);
    assert.match((err as Error).message, /no parameter to export one/);
  }
  assert.throws(() => parseRunOptions(['--ci-cache', 'max']), /--ci-cache takes inline or registry/);
});

test.run();
