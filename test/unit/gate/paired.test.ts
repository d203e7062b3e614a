// The paired timing gate of run --against: per-round ratios, warm-up left out, Holm across rows, the smallest
// detectable change per row, and a current side that fails or times out where the baseline did not fails the gate.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareRuns } from '../../../src/gate/compare-runs.ts';
import { DEFAULT_PAIRED_OPTIONS, DEFAULT_ROUNDS } from '../../../src/gate/defaults.ts';
import { pairedGate, type RoundPair } from '../../../src/gate/paired.ts';
import type { SampleRow } from '../../../src/types.ts';
import { random, sampleRow } from './fixtures.ts';

/** 1 warm-up round and `rounds` analysed ones of one row: +-10% uniform noise per side, times factor on the current. */
function rounds(seed: number, factor = 1, count = DEFAULT_ROUNDS): RoundPair[] {
  const rnd = random(seed);
  return Array.from({ length: count + 1 }, (_, k) => ({ round: k + 1, baseline: 1000 * (0.9 + 0.2 * rnd()), current: 1000 * factor * (0.9 + 0.2 * rnd()) }));
}

test('an unchanged run of 18 rows: nothing slower', () => {
  const gate = pairedGate(Array.from({ length: 18 }, (_, i) => rounds(i + 1)), DEFAULT_PAIRED_OPTIONS);
  assert.is(gate.filter((g) => g.verdict === 'slower').length, 0);
  assert.ok(gate.every((g) => g.pairs === DEFAULT_ROUNDS && g.ratio_low !== null && g.ratio_low < 1.1));
});

test('one row 50% slower among 18: that row alone is slower, its interval around 1.5', () => {
  const rows = Array.from({ length: 18 }, (_, i) => rounds(i + 1, i === 7 ? 1.5 : 1));
  const gate = pairedGate(rows, DEFAULT_PAIRED_OPTIONS);
  assert.equal(gate.map((g, i) => (g.verdict === 'slower' ? i : -1)).filter((i) => i >= 0), [7]);
  const row = gate[7];
  assert.ok((row.ratio as number) > 1.35 && (row.ratio as number) < 1.65, String(row.ratio));
  assert.ok((row.ratio_low as number) > 1.2 && (row.ratio_high as number) < 1.8);
  // Holm: the smallest p of 18 is multiplied by 18.
  assert.ok(Math.abs((row.p_holm as number) - Math.min(1, (row.p_value as number) * 18)) < 1e-12);
});

test('the warm-up round is measured but never analysed', () => {
  const row = rounds(3);
  row[0] = { round: 1, baseline: 1000, current: 9000 };
  const [g] = pairedGate([row], DEFAULT_PAIRED_OPTIONS);
  assert.is(g.pairs, DEFAULT_ROUNDS);
  assert.is(g.verdict, 'same');
});

test('a current sample that failed where the baseline did not fails the row, also in the warm-up round', () => {
  const row = rounds(4);
  row[5] = { ...row[5], current: null };
  assert.is(pairedGate([row], DEFAULT_PAIRED_OPTIONS)[0].verdict, 'failed');
  const warm = rounds(4);
  warm[0] = { ...warm[0], current: null };
  assert.is(pairedGate([warm], DEFAULT_PAIRED_OPTIONS)[0].verdict, 'failed');
  // Both sides failed in that round: not the change's doing.
  const both = rounds(4);
  both[5] = { ...both[5], current: null, baseline: null };
  assert.is(pairedGate([both], DEFAULT_PAIRED_OPTIONS)[0].verdict, 'same');
});

test('the smallest detectable change: none with 4 rounds among 18 rows, finite and smaller with more rounds', () => {
  const few = pairedGate(Array.from({ length: 18 }, (_, i) => rounds(i + 1, 1, 4)), DEFAULT_PAIRED_OPTIONS);
  assert.ok(few.every((g) => g.mdc_pct === Infinity));
  const at12 = pairedGate([rounds(1, 1, 12)], DEFAULT_PAIRED_OPTIONS)[0].mdc_pct as number;
  const at30 = pairedGate([rounds(1, 1, 30)], DEFAULT_PAIRED_OPTIONS)[0].mdc_pct as number;
  assert.ok(Number.isFinite(at12) && at30 < at12, `${at12} ${at30}`);
});

/** The two sides of one run --against as samples: round 1 the warm-up. */
function sides(current: (round: number) => Partial<SampleRow>): { baseline: SampleRow[]; current: SampleRow[] } {
  const rnd = random(9);
  const make = (runId: string, over: (r: number) => Partial<SampleRow>) => Array.from({ length: DEFAULT_ROUNDS + 1 }, (_, k) =>
    sampleRow({ run_id: runId, phase: 'build-warm-src', iteration: k + 1, duration_ms: 2000 * (0.95 + 0.1 * rnd()), ...over(k + 1) }));
  return { baseline: make('run-a', () => ({})), current: make('run-b', current) };
}

test('compare of a paired run: a timed-out current sample fails the gate; a clean one passes', () => {
  const opts = { threshold_pct: 5, paired: { warmup_rounds: 1 } };
  const timedOut = sides((r) => (r === 6 ? { ok: false, duration_ms: null, error: 'timed out after 600 s (--timeout)' } : {}));
  const result = compareRuns(timedOut.baseline, timedOut.current, opts);
  assert.is(result.mode, 'paired');
  assert.is(result.timing[0].verdict, 'failed');
  assert.is(result.timing[0].current_failed, 1);
  assert.is(result.failed, true);
  const clean = sides(() => ({}));
  const ok = compareRuns(clean.baseline, clean.current, opts);
  assert.is(ok.timing[0].verdict, 'same');
  assert.is(ok.timing[0].pairs, DEFAULT_ROUNDS);
  assert.is(ok.failed, false);
  const slow = sides(() => ({ duration_ms: 3000 }));
  const flagged = compareRuns(slow.baseline, slow.current, opts);
  assert.is(flagged.timing[0].verdict, 'slower');
  assert.is(flagged.failed, true);
});

test.run();
