import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { exactPValue, mannWhitney, minSamplesPerSide, smallestPossibleP, uCounts } from '../../../src/stats/mann-whitney.ts';

const close = (actual: number, expected: number, rel: number) =>
  assert.ok(Math.abs(actual - expected) <= rel * expected, `${actual} is not ${expected} (within ${rel * 100}%)`);

/** Samples without ties whose U (pairs x > y) is exactly u: y = 0..n2-1, each x sits above c_i of the ys. */
function samplesWithU(u: number, n1: number, n2: number): { x: number[]; y: number[] } {
  const y = Array.from({ length: n2 }, (_, j) => j);
  let left = u;
  const x = Array.from({ length: n1 }, (_, i) => {
    const above = Math.min(left, n2);
    left -= above;
    return above - 0.5 + i * 1e-3;
  });
  return { x, y };
}

test('fully separated 3 vs 3: two-sided exact p = 2/C(6,3) = 0.1', () => {
  const r = mannWhitney([1, 2, 3], [4, 5, 6]);
  assert.is(r.method, 'exact');
  assert.is(r.u, 0);
  assert.is(r.p, 0.1);
});

test('fully separated 4 vs 4 and 5 vs 5: 2/70 and 2/252', () => {
  assert.is(mannWhitney([1.1, 2.2, 3.3, 4.4], [5, 6, 7, 8]).p, 2 / 70);
  assert.is(mannWhitney([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]).p, 2 / 252);
});

test('the test is symmetric: swapping the samples changes U to n1*n2 - U, not p', () => {
  const x = [3, 8, 1, 9.5, 4];
  const y = [2, 7, 10, 11, 6, 12];
  const a = mannWhitney(x, y);
  const b = mannWhitney(y, x);
  assert.is(a.u + b.u, 30);
  assert.is(a.p, b.p);
});

test('U counts sum to C(n1+n2, n1) and are symmetric', () => {
  const c = uCounts(4, 6);
  assert.is(c.length, 25);
  assert.is(c.reduce((a, b) => a + b, 0), 210);
  assert.equal(c, [...c].reverse());
  // Largest exact case: C(50, 25) is still a whole number in a double.
  assert.is(uCounts(25, 25).reduce((a, b) => a + b, 0), 126410606437752);
});

// Critical values of U for a two-sided test at 0.05 (the printed Mann-Whitney tables): p(U <= crit) <= 0.05 and
// p(U <= crit + 1) > 0.05.
const CRITICAL: Array<[number, number, number]> = [
  [4, 4, 0], [5, 5, 2], [6, 6, 5], [7, 7, 8], [8, 8, 13], [10, 10, 23], [12, 12, 37], [15, 15, 64], [20, 20, 127],
  [3, 10, 3], [5, 10, 8], [8, 12, 22], [6, 14, 17],
];

test('exact p-values agree with the table of critical values at alpha 0.05', () => {
  for (const [n1, n2, crit] of CRITICAL) {
    const at = samplesWithU(crit, n1, n2);
    const above = samplesWithU(crit + 1, n1, n2);
    const pAt = mannWhitney(at.x, at.y);
    const pAbove = mannWhitney(above.x, above.y);
    assert.is(pAt.u, crit);
    assert.is(pAt.method, 'exact');
    assert.ok(pAt.p <= 0.05, `${n1}x${n2} U=${crit}: p ${pAt.p} should be <= 0.05`);
    assert.ok(pAbove.p > 0.05, `${n1}x${n2} U=${crit + 1}: p ${pAbove.p} should be > 0.05`);
  }
});

test('exact p of a mid-table U: 12 vs 12 with U = 21', () => {
  // 2 * (orderings with U <= 21) / C(24, 12); scipy's exact method gives 0.002316434406890727.
  close(exactPValue(21, 12, 12), 0.002316434406890727, 1e-12);
});

/** Two-sided permutation p by brute force: every split of the pooled values, |U - n1*n2/2| at least the observed. */
function bruteForceP(x: number[], y: number[]): number {
  const pooled = [...x, ...y];
  const n1 = x.length;
  const uOf = (a: number[], b: number[]) => a.reduce((s, v) => s + b.reduce((t, w) => t + (v > w ? 1 : v === w ? 0.5 : 0), 0), 0);
  const dev = Math.abs(uOf(x, y) - (n1 * y.length) / 2);
  let hits = 0;
  let all = 0;
  for (let mask = 0; mask < 1 << pooled.length; mask++) {
    let bits = 0;
    for (let m = mask; m; m >>= 1) bits += m & 1;
    if (bits !== n1) continue;
    const a = pooled.filter((_, i) => mask & (1 << i));
    const b = pooled.filter((_, i) => !(mask & (1 << i)));
    all++;
    if (Math.abs(uOf(a, b) - (n1 * y.length) / 2) >= dev - 1e-9) hits++;
  }
  return hits / all;
}

test('ties: 3 vs 3 of [1000 x3] against [1100 x3] is exact p = 0.1 (not the normal 0.047), and cannot go lower', () => {
  const r = mannWhitney([1000, 1000, 1000], [1100, 1100, 1100]);
  assert.is(r.method, 'exact');
  assert.is(r.p, 0.1);
  assert.is(r.minP, 0.1);
});

test('ties: the exact p equals a brute-force permutation count', () => {
  const cases: Array<[number[], number[]]> = [
    [[1, 2, 2, 3, 4], [3, 4, 5, 5, 6]],
    [[7, 7, 8], [7, 9, 9, 9, 10]],
    [[1, 1, 1, 2], [1, 2, 2, 2, 2, 3]],
    [[5, 6, 6, 6, 8, 8], [6, 6, 7, 8, 9]],
  ];
  for (const [x, y] of cases) {
    const r = mannWhitney(x, y);
    assert.is(r.method, 'exact');
    close(r.p, bruteForceP(x, y), 1e-12);
  }
});

test('all-equal groups of 10: exact p = 2 / C(20, 10)', () => {
  const r = mannWhitney(Array(10).fill(1), Array(10).fill(2));
  assert.is(r.method, 'exact');
  close(r.p, 2 / 184756, 1e-12);
});

test('1 vs 60 is counted exactly: the smallest reachable p is 2/61, below 0.05', () => {
  const r = mannWhitney([5], Array.from({ length: 60 }, (_, i) => i + 10));
  assert.is(r.method, 'exact');
  close(r.p, 2 / 61, 1e-12);
  close(r.minP, 2 / 61, 1e-12);
});

test('ties too many to count (30 vs 30) use the normal approximation with tie and continuity corrections', () => {
  // Two tie groups of 30: var = 900/12 * (61 - 2 * (27000 - 30) / 3540), z = (450 - 0.5) / sqrt(var).
  const r = mannWhitney(Array(30).fill(1), Array(30).fill(2));
  assert.is(r.method, 'normal');
  const variance = (900 / 12) * (61 - (2 * (27000 - 30)) / 3540);
  assert.ok(r.p < 1e-10 && r.p > 0, `p ${r.p}`);
  assert.ok(Math.abs(449.5 / Math.sqrt(variance) - 7.6) < 0.1);
});

test('minimum samples per side for a significance test: 4 at 5%, 5 at 1%, 2 against 10, none for alpha 0', () => {
  assert.is(minSamplesPerSide(0.05), 4);
  assert.is(minSamplesPerSide(0.01), 5);
  assert.is(minSamplesPerSide(0.05, 10), 2);
  assert.is(minSamplesPerSide(0.05, 1), 40);
  assert.is(minSamplesPerSide(0), null);
});

test('30 vs 30 without ties (C(60, 30) too many to count): the normal approximation', () => {
  // 0..29 against 10.5..39.5: U = 190; z = (450 - 190 - 0.5) / sqrt(900 * 61 / 12) = 3.8387.
  const x = Array.from({ length: 30 }, (_, i) => i);
  const y = Array.from({ length: 30 }, (_, i) => i + 10.5);
  const r = mannWhitney(x, y);
  assert.is(r.method, 'normal');
  assert.is(r.u, 190);
  close(r.p, 0.00012477053789099933, 1e-6);
});

test('identical samples give p = 1', () => {
  assert.is(mannWhitney([5, 5, 5], [5, 5, 5]).p, 1);
  assert.is(mannWhitney([1, 2, 3], [1, 2, 3]).p, 1);
});

test('smallest possible p: 3 vs 3 cannot reach 0.05, 4 vs 4 can', () => {
  assert.is(smallestPossibleP(3, 3), 0.1);
  assert.is(smallestPossibleP(4, 4), 2 / 70);
  assert.is(smallestPossibleP(1, 1), 1);
  assert.is(smallestPossibleP(3, 5), 2 / 56);
});

test('an empty side is a programming error', () => {
  assert.throws(() => mannWhitney([], [1]), /at least one value/);
});

test.run();
