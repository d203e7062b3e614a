// stagebench run options: defaults, lists (repeated and comma), phase groups, and the values each option accepts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { parseRunOptions, resolvePhases } from '../../../src/run/options.ts';
import { PHASES } from '../../../src/types.ts';
import { usageErrorOf } from '../../support/usage-error.ts';

const CWD = '/home/user/project';

test('no options: every field set to its documented default', () => {
  const o = parseRunOptions([], CWD);
  assert.is(o.scenariosDir, join(CWD, 'scenarios'));
  assert.equal(o.scenarios, []);
  // No --variant: the plan takes each scenario's default variants (see plan-run.test.ts).
  assert.equal(o.variants, []);
  assert.equal(o.phases, ['build-cold', 'build-warm', 'build-warm-src', 'push-cold', 'pull-cold', 'scan', 'run']);
  assert.is(o.iterations, undefined);
  assert.equal(o.adaptive, { targetRmePct: 5, maxSamples: 10, budgetMs: 20_000 });
  assert.is(o.warmup, 0);
  assert.is(o.builder, 'buildkit');
  assert.is(o.profile, 'auto');
  assert.is(o.registry, 'embedded');
  assert.is(o.pullTarget, 'embedded');
  assert.is(o.scanner, 'auto');
  assert.is(o.quick, false);
  assert.is(o.shard, undefined);
  assert.is(o.out, undefined);
  assert.is(o.keepImages, false);
});

test('--full: every phase, every variant, 5 samples each, no adaptive sampling', () => {
  const o = parseRunOptions(['--full'], CWD);
  assert.equal(o.variants, []);
  assert.equal(o.phases, [...PHASES]);
  assert.is(o.iterations, 5);
  assert.is(o.adaptive, undefined);
  assert.ok(o.plan.every((p) => p.policy.kind === 'fixed' && p.policy.n === 5));
});

test('adaptive options go with the default plan only', () => {
  assert.is(parseRunOptions(['--max-samples', '6'], CWD).adaptive?.maxSamples, 6);
  assert.throws(() => parseRunOptions(['--full', '--target-rme', '3'], CWD), /adaptive sampling/);
});

test('--quick makes one iteration the default, and an explicit --iterations still wins', () => {
  assert.is(parseRunOptions(['--quick'], CWD).iterations, 1);
  assert.is(parseRunOptions(['--quick', '--iterations', '3'], CWD).iterations, 3);
});

test('repeated options and comma lists add up, blanks dropped', () => {
  const o = parseRunOptions(['--scenario', 'a,b', '--scenario', 'c', '--variant', 'single, multi,', '--variant=distroless'], CWD);
  assert.equal(o.scenarios, ['a', 'b', 'c']);
  assert.equal(o.variants, ['single', 'multi', 'distroless']);
});

test('paths are resolved against the working folder', () => {
  const o = parseRunOptions(['--scenarios', 'mine', '--out', 'out/run1'], CWD);
  assert.is(o.scenariosDir, join(CWD, 'mine'));
  assert.is(o.out, join(CWD, 'out/run1'));
});

test('valid values pass through: builder, profile, registry, pull target, shard, numbers', () => {
  const o = parseRunOptions(
    ['--builder', 'legacy', '--profile', 'offline', '--registry', 'localhost:5000/team', '--pull-target', 'tcp://10.0.0.2:2375',
      '--shard', '2/3', '--iterations', '7', '--warmup', '2', '--scanner', 'none'],
    CWD,
  );
  assert.is(o.builder, 'legacy');
  assert.is(o.profile, 'offline');
  assert.is(o.registry, 'localhost:5000/team');
  assert.is(o.pullTarget, 'tcp://10.0.0.2:2375');
  assert.equal(o.shard, { index: 2, count: 3 });
  assert.is(o.iterations, 7);
  assert.is(o.warmup, 2);
  assert.is(o.scanner, 'none');
});

test('phases: in the contract order, each once, whatever order and repeats the user gave', () => {
  assert.equal(parseRunOptions(['--phase', 'build-warm,build-cold', '--phase', 'build-cold'], CWD).phases, ['build-cold', 'build-warm']);
  assert.equal(resolvePhases(['scan', 'build-cold']), ['build-cold', 'scan']);
});

test('phase groups build, push and pull expand to their phases', () => {
  assert.equal(resolvePhases(['build']), ['build-cold', 'build-warm', 'build-warm-src', 'build-warm-deps']);
  assert.equal(resolvePhases(['push']), ['push-cold', 'push-warm']);
  assert.equal(resolvePhases(['pull']), ['pull-cold', 'pull-warm']);
  assert.equal(resolvePhases(['pull', 'build-cold', 'push-cold']), ['build-cold', 'push-cold', 'pull-cold', 'pull-warm']);
  assert.equal(resolvePhases([]), [...PHASES]);
});

const usageError = (argv: string[]) => usageErrorOf(() => parseRunOptions(argv, CWD), `parseRunOptions(${JSON.stringify(argv)})`);

const BAD: Array<{ argv: string[]; flag: string; value: string }> = [
  { argv: ['--bogus'], flag: '--bogus', value: '--bogus' },
  { argv: ['--phase', 'build-hot'], flag: '--phase', value: 'build-hot' },
  { argv: ['--phase', 'build-cold,nope'], flag: '--phase', value: 'nope' },
  { argv: ['--iterations', '0'], flag: '--iterations', value: '0' },
  { argv: ['--iterations=-1'], flag: '--iterations', value: '-1' },
  { argv: ['--iterations', 'abc'], flag: '--iterations', value: 'abc' },
  { argv: ['--iterations', '2.5'], flag: '--iterations', value: '2.5' },
  { argv: ['--warmup=-3'], flag: '--warmup', value: '-3' },
  { argv: ['--builder', 'bogus'], flag: '--builder', value: 'bogus' },
  { argv: ['--profile', 'cloud'], flag: '--profile', value: 'cloud' },
  { argv: ['--scanner', 'snyk'], flag: '--scanner', value: 'snyk' },
  { argv: ['--registry', 'http://localhost:5000'], flag: '--registry', value: 'http://localhost:5000' },
  { argv: ['--registry', 'https://registry.example/team'], flag: '--registry', value: 'https://registry.example/team' },
  { argv: ['--pull-target', 'localhost:2375'], flag: '--pull-target', value: 'localhost:2375' },
  { argv: ['--pull-target', '/var/run/other.sock'], flag: '--pull-target', value: '/var/run/other.sock' },
  { argv: ['--shard', '3/2'], flag: '--shard', value: '3/2' },
  { argv: ['--shard', '0/2'], flag: '--shard', value: '0/2' },
  { argv: ['--shard', 'two'], flag: '--shard', value: 'two' },
];

for (const { argv, flag, value } of BAD) {
  test(`${argv.join(' ')}: a UsageError naming ${flag} and '${value}'`, () => {
    const err = usageError(argv);
    assert.ok(err.message.includes(flag), `message should name ${flag}: ${err.message}`);
    assert.ok(err.message.includes(value), `message should name '${value}': ${err.message}`);
    assert.is(err.exitCode, 2);
  });
}

// With a space, as users type it, node's parseArgs alone would call '-1' an ambiguous option and not name the value.
test("--iterations -1 (with a space): a UsageError naming --iterations and '-1'", () => {
  const err = usageError(['--iterations', '-1']);
  assert.ok(err.message.includes('--iterations'), err.message);
  assert.ok(err.message.includes("'-1'"), `message should name '-1': ${err.message}`);
});

test('a stray positional argument is a UsageError that names it', () => {
  const err = usageError(['express-api']);
  assert.match(err.message, /express-api/);
  assert.match(err.message, /--scenario/);
});

test('an option that needs a value and got none is a UsageError naming it', () => {
  assert.match(usageError(['--iterations']).message, /--iterations/);
});

test.run();
