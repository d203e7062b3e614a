// Which failed builds mark a variant broken for the rest of the run (issue 16): a step or Dockerfile failure does;
// an interrupt, a timeout, a lost engine or an unreadable context do not, since a later attempt may pass.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BuildOutcome } from '../../../src/engine/engine.ts';
import { isBuildOwnFailure, skippedBecause } from '../../../src/run/runner.ts';

const failedWith = (error: string): BuildOutcome => ({ ok: false, error, durationMs: 1, contextBytes: 0, steps: [], log: [] });

test('a failing step or a Dockerfile the engine rejects is the build\'s own failure', () => {
  assert.ok(isBuildOwnFailure(failedWith('process "/bin/sh -c false" did not complete successfully: exit code: 1'), false));
  assert.ok(isBuildOwnFailure(failedWith('failed to solve with frontend dockerfile.v0: failed to create LLB definition'), false));
});

test('an interrupt, a timeout, a lost engine or an unreadable context is not', () => {
  assert.not.ok(isBuildOwnFailure(failedWith('exit code: 1'), true));
  assert.not.ok(isBuildOwnFailure(failedWith('timed out after 30 s (--timeout); the build was aborted'), false));
  assert.not.ok(isBuildOwnFailure(failedWith('the build stream broke: socket hang up'), false));
  assert.not.ok(isBuildOwnFailure(failedWith('the engine refused the build: connect ENOENT'), false));
  assert.not.ok(isBuildOwnFailure(failedWith('cannot read the build context /x: EACCES'), false));
  assert.not.ok(isBuildOwnFailure({ ok: true, imageId: 'sha256:x', durationMs: 1, contextBytes: 0, steps: [], log: [] }, false));
});

test('the skipped row names the variant, the phase, and the first line of the cause', () => {
  assert.is(skippedBecause('own', { phase: 'build-cold', cause: 'build failed: exit code: 1\nmore' }), 'skipped: the build of own failed in build-cold (build failed: exit code: 1)');
});

test.run();
