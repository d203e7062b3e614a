// --resume: the interrupted run's recorded options, with only --timeout and --keep-images allowed to change.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseRunOptions } from '../../../src/run/options.ts';
import { UsageError } from '../../../src/errors.ts';

// src/commands/run.ts reaches execa; loaded dynamically as plan-run.test.ts does.
const { resumedOptions } = await import('../../../src/commands/run.ts');

const recorded = parseRunOptions(['--scenarios', '/abs/scen', '--phase', 'build-cold,push', '--iterations', '3', '--out', '/abs/out'], '/elsewhere');

test('with --resume alone, the recorded selection is measured, from any folder', () => {
  const o = resumedOptions(recorded, ['--resume', '/abs/out'], '/abs/out');
  assert.is(o.scenariosDir, '/abs/scen');
  assert.equal(o.phases, ['build-cold', 'push-cold', 'push-warm']);
  assert.is(o.iterations, 3);
  assert.is(o.resume, '/abs/out');
  assert.is(o.out, undefined);
});

test('the same options given again are accepted; --timeout may change', () => {
  const o = resumedOptions(recorded, ['--phase', 'build-cold', '--phase', 'push', '--iterations=3', '--timeout', '60', '--resume', '/abs/out'], '/abs/out');
  assert.is(o.timeoutMs, 60_000);
  assert.is(o.iterations, 3);
});

test('an option that differs from the recorded run is a usage error naming it', () => {
  try {
    resumedOptions(recorded, ['--iterations', '5', '--resume', '/abs/out'], '/abs/out');
    assert.unreachable('accepted a different --iterations');
  } catch (err) {
    assert.instance(err, UsageError);
    assert.match((err as Error).message, /--iterations differs from the run being resumed \(3 in \/abs\/out\/run.json\)/);
  }
});

test('--out cannot go with --resume', () => {
  assert.throws(() => resumedOptions(recorded, ['--out', '/x', '--resume', '/abs/out'], '/abs/out'), /--out cannot be given with --resume/);
});

test.run();
