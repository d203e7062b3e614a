// Planning a run: scenarios and variants after --scenario, --variant and --shard.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseRunOptions } from '../../../src/run/options.ts';
import { makeScenario, slimDockerfile } from '../../support/scenario-folder.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';
import { setupBefore, cleanupAfter } from '../../support/setup.ts';

// `uvu -r tsx` loads test files as CommonJS, and src/commands/run.ts reaches execa (ESM-only, through
// src/tools/exec.ts), which a require() cannot load: a dynamic import goes through the ESM loader instead.
let planRun: typeof import('../../../src/commands/run.ts').planRun;
// The UsageError class of that same module graph (the CommonJS copy is another class).
let UsageError: typeof import('../../../src/errors.ts').UsageError;
setupBefore(test, async () => {
  ({ planRun } = await import('../../../src/commands/run.ts'));
  ({ UsageError } = await import('../../../src/errors.ts'));
});
cleanupAfter(test, removeTempDirs);

function root(): string {
  const dir = tempDir('plan');
  const v = (names: string[]) => Object.fromEntries(names.map((n) => [n, { dockerfile: slimDockerfile('true') }]));
  makeScenario(dir, 'alpha', { variants: v(['single', 'multi', 'distroless']) });
  makeScenario(dir, 'beta', { variants: v(['single', 'multi', 'distroless', 'single-bad-order']) });
  return dir;
}

function plan(argv: string[], dir = root()) {
  return planRun(parseRunOptions(['--scenarios', dir, ...argv])).map((p) => ({ scenario: p.scenario.name, variants: p.variants }));
}

test('no selection: every scenario with the article\'s three variants, single-bad-order once for layer order; --full every variant, in scenario.json order', () => {
  assert.equal(plan([]), [
    { scenario: 'alpha', variants: ['single', 'multi', 'distroless'] },
    { scenario: 'beta', variants: ['single', 'multi', 'distroless', 'single-bad-order'] },
  ]);
  assert.equal(plan(['--quick']), [
    { scenario: 'alpha', variants: ['single', 'multi', 'distroless'] },
    { scenario: 'beta', variants: ['single', 'multi', 'distroless'] },
  ]);
  assert.equal(plan(['--full']), [
    { scenario: 'alpha', variants: ['single', 'multi', 'distroless'] },
    { scenario: 'beta', variants: ['single', 'multi', 'distroless', 'single-bad-order'] },
  ]);
});

test('a scenario with none of the article\'s three variants runs all of its own by default', () => {
  const dir = root();
  makeScenario(dir, 'gamma', { variants: { broken: { dockerfile: slimDockerfile('false') }, good: { dockerfile: slimDockerfile('true') } } });
  assert.equal(plan(['--scenario', 'gamma'], dir), [{ scenario: 'gamma', variants: ['broken', 'good'] }]);
  assert.equal(plan(['--scenario', 'gamma', '--quick'], dir), [{ scenario: 'gamma', variants: ['broken', 'good'] }]);
});

test('--scenario and --variant narrow the plan; variant order stays the scenario\'s', () => {
  assert.equal(plan(['--scenario', 'beta', '--variant', 'distroless,single']), [{ scenario: 'beta', variants: ['single', 'distroless'] }]);
});

test('a variant only some scenarios have: the others run without it, and drop out when nothing is left', () => {
  assert.equal(plan(['--variant', 'single-bad-order']), [{ scenario: 'beta', variants: ['single-bad-order'] }]);
});

/** The message of the UsageError that planning with these arguments throws. */
function usageError(argv: string[]): string {
  try {
    plan(argv);
  } catch (err) {
    assert.instance(err, UsageError);
    return (err as Error).message;
  }
  assert.unreachable(`planning ${argv.join(' ')} should have thrown`);
  return '';
}

test('an unknown variant is a UsageError naming it and listing the known ones', () => {
  const message = usageError(['--scenario', 'alpha', '--variant', 'single,chiselled']);
  assert.match(message, /--variant 'chiselled'/);
  assert.match(message, /single, multi, distroless/);
});

test('phases the default plan does not measure: a UsageError saying how to measure them', () => {
  assert.match(usageError(['--variant', 'multi', '--phase', 'context']), /the default plan measures none of the phases asked .*add --full or --iterations N/);
  assert.equal(plan(['--variant', 'multi', '--phase', 'context', '--iterations', '2']), [
    { scenario: 'alpha', variants: ['multi'] },
    { scenario: 'beta', variants: ['multi'] },
  ]);
});

test('shards split the scenario x variant cells without overlap and without gaps', () => {
  const dir = root();
  const cells = (argv: string[]) => plan(argv, dir).flatMap((p) => p.variants.map((v) => `${p.scenario}/${v}`));
  const all = cells([]);
  const parts = [1, 2, 3].map((i) => cells(['--shard', `${i}/3`]));
  assert.equal(parts.flat().sort(), [...all].sort());
  for (const p of parts) assert.ok(p.length >= 2 && p.length <= 3, `balanced: ${p.join(', ')}`);
});

test.run();
