// Paired statistics for the gate: the one-sided Wilcoxon signed-rank test, the Hodges-Lehmann estimate of a
// paired shift with its exact confidence interval, and the smallest shift a row could have detected. Pure.
//
// The gate applies them to per-round log ratios log(current / baseline): a shift of the log ratios is a ratio of
// durations, so "slower by 30%" is a shift of log(1.3) whatever the phase's own duration.
//
// Method:
// - The test statistic is W+, the sum of the ranks of |d| over the positive d (zeros dropped, as Wilcoxon did;
//   equal |d| share their mid-rank). Its null distribution is counted exactly over all 2^n sign patterns of the
//   observed ranks (doubled, so mid-ranks are whole numbers): exact for any n this harness meets, ties included.
//   p = P(W+ >= observed) under the null, one-sided for "current slower".
// - The Hodges-Lehmann estimate is the median of the n(n+1)/2 Walsh averages (d_i + d_j) / 2, i <= j; its
//   two-sided 1 - a interval is [A(k+1), A(M-k)] of the sorted averages, with k the largest count such that
//   P(W+ <= k) <= a / 2 under the untied null (the textbook exact interval, Hollander and Wolfe).
import { erfc } from './normal.ts';
import { sortedAscending } from './quantile.ts';

export interface SignedRankResult {
  /** Non-zero differences the test used. */
  n: number;
  /** Sum of the ranks of the positive differences. */
  wPlus: number;
  /** One-sided p-value for "the differences tend to be positive". */
  p: number;
  /** The smallest one-sided p this n could give (all differences positive): 2^-n without ties. */
  minP: number;
}

/** Mid-ranks of |d| (1-based), equal values sharing their mean rank. */
function midRanks(abs: readonly number[]): number[] {
  const order = abs.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(abs.length);
  for (let s = 0; s < order.length;) {
    let e = s;
    while (e + 1 < order.length && order[e + 1].v === order[s].v) e++;
    const r = (s + 1 + e + 1) / 2;
    for (let k = s; k <= e; k++) ranks[order[k].i] = r;
    s = e + 1;
  }
  return ranks;
}

/** Counts of each doubled W+ over all sign patterns of these (doubled) ranks; index = 2 * W+. */
function signPatternCounts(doubledRanks: readonly number[]): number[] {
  const total = doubledRanks.reduce((a, b) => a + b, 0);
  let counts = new Array<number>(total + 1).fill(0);
  counts[0] = 1;
  let reach = 0;
  for (const r of doubledRanks) {
    const next = counts.slice();
    for (let s = 0; s <= reach; s++) if (counts[s] !== 0) next[s + r] += counts[s];
    counts = next;
    reach += r;
  }
  return counts;
}

/** Above this many differences the exact counts would overflow a double's whole numbers: normal approximation. */
const MAX_EXACT_N = 50;

function normalUpperP(wPlus: number, ranks: readonly number[]): number {
  const n = ranks.length;
  const mean = (n * (n + 1)) / 4;
  const variance = ranks.reduce((a, r) => a + r * r, 0) / 4;
  const z = (wPlus - mean - 0.5) / Math.sqrt(variance);
  return erfc(z / Math.SQRT2) / 2;
}

/** One-sided Wilcoxon signed-rank test that the differences tend to be positive. */
export function signedRankTest(differences: readonly number[]): SignedRankResult {
  const d = differences.filter((x) => x !== 0 && Number.isFinite(x));
  const n = d.length;
  if (n === 0) return { n: 0, wPlus: 0, p: 1, minP: 1 };
  const ranks = midRanks(d.map(Math.abs));
  const wPlus = ranks.reduce((a, r, i) => a + (d[i] > 0 ? r : 0), 0);
  if (n > MAX_EXACT_N) {
    return { n, wPlus, p: Math.min(1, normalUpperP(wPlus, ranks)), minP: Math.min(1, normalUpperP(ranks.reduce((a, b) => a + b, 0), ranks)) };
  }
  const doubled = ranks.map((r) => Math.round(2 * r));
  const counts = signPatternCounts(doubled);
  const all = 2 ** n;
  const observed = Math.round(2 * wPlus);
  let atLeast = 0;
  for (let s = observed; s < counts.length; s++) atLeast += counts[s];
  return { n, wPlus, p: atLeast / all, minP: counts[counts.length - 1] / all };
}

/** P(W+ <= k) for n untied differences, for every k from 0 to n(n+1)/2. */
function untiedLowerTail(n: number): number[] {
  const counts = signPatternCounts(Array.from({ length: n }, (_, i) => i + 1).map((r) => r * 2)).filter((_, i) => i % 2 === 0);
  const all = 2 ** n;
  let acc = 0;
  return counts.map((c) => (acc += c) / all);
}

export interface ShiftEstimate {
  /** Hodges-Lehmann estimate of the shift (median of the Walsh averages). */
  estimate: number;
  /** Exact two-sided interval at the requested level; null ends when n is too small to bound it. */
  low: number | null;
  high: number | null;
  /** The interval's actual coverage (the discrete distribution gives at least the requested level). */
  coverage: number;
}

/** Hodges-Lehmann estimate of a paired shift with its exact distribution-free interval (level e.g. 0.95). */
export function hodgesLehmann(differences: readonly number[], level = 0.95): ShiftEstimate | null {
  const d = differences.filter(Number.isFinite);
  const n = d.length;
  if (n === 0) return null;
  const walsh: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) walsh.push((d[i] + d[j]) / 2);
  const sorted = sortedAscending(walsh);
  const m = sorted.length;
  const mid = (m - 1) / 2;
  const estimate = (sorted[Math.floor(mid)] + sorted[Math.ceil(mid)]) / 2;
  if (n > MAX_EXACT_N) {
    // Normal approximation of the critical count.
    const z = Math.SQRT2 * inverseErfc(1 - level);
    const k = Math.floor(m / 2 - z * Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24));
    return { estimate, low: sorted[Math.max(0, k)], high: sorted[Math.min(m - 1, m - 1 - k)], coverage: level };
  }
  const tail = untiedLowerTail(n);
  const a = (1 - level) / 2;
  // The bound A(k+1) misses the shift from below exactly when W+ <= k: k is the largest count with P(W+ <= k) <= a.
  let cut = 0;
  while (cut < tail.length && tail[cut] <= a) cut++;
  if (cut === 0) return { estimate, low: null, high: null, coverage: 1 };
  const k = cut - 1;
  return { estimate, low: sorted[k], high: sorted[m - 1 - k], coverage: 1 - 2 * tail[k] };
}

/** x with erfc(x) = p, by bisection (0 < p < 2). */
export function inverseErfc(p: number): number {
  let lo = -6;
  let hi = 6;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (erfc(mid) > p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The standard normal quantile of a probability (0 < q < 1). */
export function normalQuantile(q: number): number {
  return -Math.SQRT2 * inverseErfc(2 * q);
}

/** Robust spread of differences: 1.4826 x their median absolute deviation (the sd for normal data). */
export function robustSpread(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const s = sortedAscending(values);
  const med = (s[Math.floor((s.length - 1) / 2)] + s[Math.ceil((s.length - 1) / 2)]) / 2;
  const dev = sortedAscending(values.map((v) => Math.abs(v - med)));
  const mad = (dev[Math.floor((dev.length - 1) / 2)] + dev[Math.ceil((dev.length - 1) / 2)]) / 2;
  return 1.4826 * mad;
}

/**
 * The smallest upward shift of the differences that the one-sided signed-rank test at level alpha detects with the
 * given power, for n pairs whose differences spread by sd: the normal-theory shift scaled by the test's asymptotic
 * efficiency of 3/pi against the t-test. Infinity when even n positive differences cannot reach alpha (2^-n >= alpha).
 */
export function minimumDetectableShift(n: number, sd: number, alpha: number, power = 0.8): number {
  if (n === 0 || 2 ** -n >= alpha) return Infinity;
  const z = normalQuantile(1 - alpha) + normalQuantile(power);
  return (z * sd) / Math.sqrt((n * 3) / Math.PI);
}
