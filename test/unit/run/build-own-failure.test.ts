// Which failed builds mark a variant broken for the rest of the run (issue 16): a step or Dockerfile failure does;
// an interrupt, a timeout, a lost engine or an unreadable context do not, since a later attempt may pass. The reason
// is a value the engine adapter sets where the failure happens; the message text is never read.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BuildFailureReason, BuildOutcome } from '../../../src/engine/engine.ts';
import { isBuildOwnFailure, skippedBecause } from '../../../src/run/runner.ts';

const failedWith = (reason: BuildFailureReason, error = 'any text'): BuildOutcome => ({ ok: false, error, reason, durationMs: 1, contextBytes: 0, steps: [], log: [] });

test('a failing step or a Dockerfile the engine rejects is the build\'s own failure', () => {
  assert.ok(isBuildOwnFailure(failedWith('step failed', 'process "/bin/sh -c false" did not complete successfully: exit code: 1'), false));
  assert.ok(isBuildOwnFailure(failedWith('invalid build', 'scenario.json build.secrets need BuildKit'), false));
});

test('an interrupt, a timeout, a lost engine or an unreadable context is not, whatever the message says', () => {
  assert.not.ok(isBuildOwnFailure(failedWith('step failed', 'exit code: 1'), true));
  assert.not.ok(isBuildOwnFailure(failedWith('timeout', 'exit code: 1'), false));
  assert.not.ok(isBuildOwnFailure(failedWith('network'), false));
  assert.not.ok(isBuildOwnFailure(failedWith('engine error'), false));
  assert.not.ok(isBuildOwnFailure(failedWith('cancelled'), false));
  assert.not.ok(isBuildOwnFailure(failedWith('context unreadable'), false));
  assert.not.ok(isBuildOwnFailure({ ok: true, imageId: 'sha256:x', durationMs: 1, contextBytes: 0, steps: [], log: [] }, false));
});

test('the skipped row names the variant, the phase, and the first line of the cause', () => {
  assert.is(skippedBecause('own', { phase: 'build-cold', cause: 'build failed: exit code: 1\nmore' }), 'skipped: the build of own failed in build-cold (build failed: exit code: 1)');
});

test.run();
