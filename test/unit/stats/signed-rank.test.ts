import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { holmAdjust } from '../../../src/stats/holm.ts';
import { hodgesLehmann, minimumDetectableShift, normalQuantile, signedRankTest } from '../../../src/stats/signed-rank.ts';

const close = (actual: number, expected: number, tol: number) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not ${expected} (within ${tol})`);

/** Differences 1..n with the ranks in `negative` made negative: W- is their sum, W+ the rest. */
function withNegatives(n: number, negative: number[]): number[] {
  return Array.from({ length: n }, (_, i) => (negative.includes(i + 1) ? -(i + 1) : i + 1));
}

// Tables of the signed-rank statistic (e.g. Wilcoxon, Katti and Wilcox 1963): lower-tail P(T <= t) for n untied
// differences equals the upper tail P(W+ >= n(n+1)/2 - t) counted here.
test('exact one-sided p matches the published tables', () => {
  // n = 5: all positive is 1/32.
  close(signedRankTest(withNegatives(5, [])).p, 1 / 32, 1e-12);
  // n = 6, T = 2 (ranks 2 negative): P(T <= 2) = 3/64 = 0.0469.
  close(signedRankTest(withNegatives(6, [2])).p, 3 / 64, 1e-12);
  // n = 8, T = 3: 0.0195; T = 5: 0.0391 (the one-sided 5% critical value); T = 6: 0.0547.
  close(signedRankTest(withNegatives(8, [3])).p, 0.0195, 5e-5);
  close(signedRankTest(withNegatives(8, [5])).p, 0.0391, 5e-5);
  close(signedRankTest(withNegatives(8, [6])).p, 0.0547, 5e-5);
  // n = 10, T = 10: 43/1024 = 0.0420, T = 11: 0.0527 (the one-sided 5% critical value is 10).
  close(signedRankTest(withNegatives(10, [10])).p, 43 / 1024, 1e-12);
  close(signedRankTest(withNegatives(10, [5, 6])).p, 54 / 1024, 1e-12);
  // n = 20, T = 60: 0.0487 (critical value 60 at one-sided 5%).
  close(signedRankTest(withNegatives(20, [20, 19, 18, 3])).p, 0.0487, 5e-5);
});

test('all differences negative: p = 1; no differences: p = 1', () => {
  assert.is(signedRankTest([-1, -2, -3]).p, 1);
  assert.is(signedRankTest([]).p, 1);
  assert.is(signedRankTest([0, 0]).n, 0);
});

test('the smallest possible p is 2^-n without ties', () => {
  assert.is(signedRankTest([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).minP, 1 / 1024);
  assert.is(signedRankTest([-1, -2, 3]).minP, 1 / 8);
});

test('ties share their mid-rank and are counted exactly', () => {
  // |d| = 1,1,1 (mid-rank 2 each), two positive: W+ = 4; sign patterns with W+ >= 4: 3 + 1 of 8.
  const r = signedRankTest([1, 1, -1]);
  assert.is(r.wPlus, 4);
  close(r.p, 4 / 8, 1e-12);
});

test('above 50 differences the normal approximation is used and agrees with the exact tail', () => {
  const d = withNegatives(60, Array.from({ length: 20 }, (_, i) => 3 * i + 2));
  const approx = signedRankTest(d).p;
  assert.ok(approx > 0 && approx < 1);
  // W+ = 1830 - W-, mean 915, sd sqrt(60*61*121/24): the z the normal tail must match.
  const wMinus = Array.from({ length: 20 }, (_, i) => 3 * i + 2).reduce((a, b) => a + b, 0);
  const z = (1830 - wMinus - 915 - 0.5) / Math.sqrt((60 * 61 * 121) / 24);
  close(approx, 1 - (0.5 * (1 + erf(z / Math.SQRT2))), 1e-5);
});

function erf(x: number): number {
  // Abramowitz-Stegun 7.1.26, enough for a 1e-5 check of a tail near 0.
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

test('Holm: step-down adjusted p-values, monotone, in the input order', () => {
  const adj = holmAdjust([0.01, 0.04, 0.03, 0.005]);
  [0.03, 0.06, 0.06, 0.02].forEach((e, i) => close(adj[i], e, 1e-12));
  // 0.5 x 2 = 1 comes first, so 0.9 is raised to 1 (monotone).
  assert.equal(holmAdjust([0.5, 0.9]), [1, 1]);
  assert.equal(holmAdjust([0.2, 0.01]), [0.2, 0.02]);
  assert.equal(holmAdjust([]), []);
});

test('Hodges-Lehmann: median of the Walsh averages and the exact interval', () => {
  const six = hodgesLehmann([1, 2, 3, 4, 5, 6]);
  assert.ok(six);
  assert.is(six.estimate, 3.5);
  // n = 6: the 95% interval is the whole Walsh range, coverage 1 - 2/64.
  assert.is(six.low, 1);
  assert.is(six.high, 6);
  close(six.coverage, 1 - 2 / 64, 1e-12);
  const ten = hodgesLehmann([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.ok(ten);
  assert.is(ten.estimate, 5.5);
  // n = 10: k = 8 (P(T <= 8) = 25/1024 <= 0.025): the 9th smallest Walsh average, coverage 1 - 50/1024.
  close(ten.coverage, 1 - 50 / 1024, 1e-12);
  assert.is(ten.low, 3);
  assert.is(ten.high, 8);
  // Too few pairs to bound anything at 95%.
  const five = hodgesLehmann([1, 2, 3, 4, 5]);
  assert.is(five?.low, null);
});

test('minimum detectable shift: infinite when 2^-n cannot reach alpha, shrinking with n', () => {
  assert.is(minimumDetectableShift(4, 0.1, 0.05), Infinity);
  const at10 = minimumDetectableShift(10, 0.1, 0.05 / 18);
  const at20 = minimumDetectableShift(20, 0.1, 0.05 / 18);
  assert.ok(at20 < at10);
  close(normalQuantile(0.975), 1.959964, 1e-5);
});

test.run();
