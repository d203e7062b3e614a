// run --against: the order of the sides, each round's command line, rounds joined without clashing, and compare's
// threshold for the two halves of one interleaved run.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { asRound, DEFAULT_ROUNDS, roundArgv, roundOrder } from '../../../src/run/against.ts';
import { isInterleavedPair } from '../../../src/gate/interleaved.ts';
import { planMerge } from '../../../src/merge/plan-merge.ts';
import { parseRunOptions } from '../../../src/run/options.ts';
import { cli } from '../gate/cli.ts';
import { cliCommand } from '../../support/cli.ts';
import { generateRun, runInfo, tempDir, writeRunFolder } from '../gate/fixtures.ts';

test('the warm-up round, then ABBA: current first in odd analysed rounds, baseline first in even ones', () => {
  const c = ['current', 'baseline'];
  const b = ['baseline', 'current'];
  assert.equal([1, 2, 3, 4, 5].map((r) => roundOrder(r, 1)), [b, c, b, c, b]);
  // Over the default rounds each side is first equally often.
  const firsts = Array.from({ length: DEFAULT_ROUNDS }, (_, k) => roundOrder(k + 2, 1)[0]);
  assert.is(firsts.filter((s) => s === 'current').length, DEFAULT_ROUNDS / 2);
});

test('an odd number of rounds is refused with the even one to use (exit 2)', () => {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const r = spawnSync(...cliCommand(['run', '--against', join(root, 'scenarios'), '--iterations', '5']), { cwd: root, encoding: 'utf8' });
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, /even number of rounds \(--iterations 5\).*--iterations 6/);
});

test('a round\'s run: that side\'s scenarios, one sample of each phase, the run\'s other options, no --against', () => {
  const options = parseRunOptions(['--against', '/base/scenarios', '--scenarios', '/cur/scenarios', '--scenario', 'express-api', '--variant', 'multi', '--phase', 'build-warm-src', '--iterations', '7', '--npm-registry', 'direct']);
  assert.is(options.against, '/base/scenarios');
  const base = roundArgv(options, 'baseline', '/out/rounds/1-baseline');
  const cur = roundArgv(options, 'current', '/out/rounds/1-current');
  assert.ok(base.includes('--scenarios=/base/scenarios') && cur.includes('--scenarios=/cur/scenarios'));
  for (const argv of [base, cur]) {
    assert.is(argv[0], 'run');
    assert.ok(argv.includes('--iterations=1') && argv.includes('--scenario=express-api') && argv.includes('--variant=multi') && argv.includes('--npm-registry=direct'), argv.join(' '));
    assert.ok(argv.includes('--phase=build-warm-src'));
    assert.not.ok(argv.some((a) => a.startsWith('--against') || a.startsWith('--iterations=7')), argv.join(' '));
    // What a round runs parses as a plain run.
    assert.is(parseRunOptions(argv.slice(1)).against, undefined);
  }
  assert.is(base.at(-1), '--out=/out/rounds/1-baseline');
});

test('rounds joined per side: each sample numbered by its round, so merge finds no clash', () => {
  const round = (r: number) => asRound({ label: `r${r}`, samples: generateRun({ runId: `run-${r}`, seed: r, iterations: 1 }), steps: [], findings: [], info: runInfo({ run_id: `run-${r}` }) }, r);
  const merged = planMerge([round(1), round(2), round(3)], { now: new Date(0), commandLine: ['stagebench'], version: 't' });
  const its = [...new Set(merged.samples.map((s) => s.iteration))].sort();
  assert.equal(its, [1, 2, 3]);
  assert.is(merged.summary.find((s) => s.phase === 'build-warm')?.n, 3);
});

test('compare: the two halves of one interleaved run default to the same-run threshold; other runs to 20%', () => {
  const root = tempDir();
  const pair = { pair: 'p-1', rounds: 5, baseline_scenarios: '/b', current_scenarios: '/c' };
  const rows = (id: string, seed: number) => generateRun({ runId: id, seed, iterations: 5 });
  const base = writeRunFolder(join(root, 'baseline'), rows('run-a', 1), { ...runInfo({ run_id: 'run-a' }), interleaved: { ...pair, side: 'baseline' } } as never);
  const cur = writeRunFolder(join(root, 'current'), rows('run-b', 2), { ...runInfo({ run_id: 'run-b' }), interleaved: { ...pair, side: 'current' } } as never);
  const other = writeRunFolder(join(root, 'other'), rows('run-c', 3), runInfo({ run_id: 'run-c' }));
  assert.ok(isInterleavedPair({ interleaved: { ...pair, side: 'baseline' } }, { interleaved: { ...pair, side: 'current' } }));
  assert.not.ok(isInterleavedPair({ interleaved: { ...pair, side: 'current' } }, { interleaved: { ...pair, side: 'current' } }));
  assert.not.ok(isInterleavedPair({ interleaved: { ...pair, side: 'baseline' } }, { interleaved: { ...pair, pair: 'p-2', side: 'current' } }));
  assert.match(cli(['compare', base, cur]).stdout, /\(threshold 5%, sizes 5%/);
  assert.match(cli(['compare', base, other]).stdout, /\(threshold 20%, sizes 5%/);
  assert.match(cli(['compare', base, cur, '--threshold', '12']).stdout, /\(threshold 12%, sizes 5%/);
});

test('a round that cannot run stops the whole run with its own exit code (3: no engine), naming the round', () => {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const scenarios = join(root, 'scenarios');
  const args = ['run', '--against', scenarios, '--scenario', 'express-api', '--variant', 'multi', '--phase', 'build-warm', '--npm-registry', 'direct', '--out', join(tempDir(), 'pair')];
  const r = spawnSync(...cliCommand(args), { cwd: root, encoding: 'utf8', env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/stagebench-test.sock' } });
  assert.is(r.status, 3, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stderr, /round 1's baseline run stopped with exit 3/);
});

test.run();
