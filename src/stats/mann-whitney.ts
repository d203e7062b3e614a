// Two-sided Mann-Whitney U test (Wilcoxon rank-sum): does one set of durations tend to be larger than the other?
// It assumes no distribution, which suits build times (skewed, with the odd slow outlier).
//
// Method:
// - exact, whenever the orderings can be counted in a double: the permutation distribution of the smaller side's
//   rank sum over all C(n1+n2, k) equally likely splits of the pooled mid-ranks, ties included (equal durations
//   share their mean rank, as they do in the observed sum). p = P(|S - E[S]| >= |S_obs - E[S]|). Without ties
//   this is the classic exact test (2 * P(U <= min(U1, U2)), capped at 1). Ranks are doubled so every sum is a
//   whole number; the bound C(n1+n2, k) <= 2^53 keeps every count exact.
// - otherwise the normal approximation, with the tie correction of the variance and a continuity correction of 0.5,
//   as in most statistics packages.
// The approximation over-states the evidence at small n with ties (3 vs 3 of [1000 x3] vs [1100 x3]: 0.047 against
// the exact 0.1), which made the gate call 'slower' what the data cannot show: hence exact whenever countable.

import { twoSidedNormalP } from './normal.ts';

export interface MannWhitneyResult {
  /** U of the first sample: pairs (x, y) with x > y, ties counting one half. */
  u: number;
  p: number;
  method: 'exact' | 'normal';
  /**
   * The smallest p this test could have given for these sample sizes and this pattern of ties (the most extreme
   * split). When it is not below alpha, no data of this shape can be significant.
   */
  minP: number;
}

/** Largest number of orderings counted exactly: every count stays a whole number a double holds. */
const MAX_EXACT_ORDERINGS = 2 ** 53;
/** Bound on the work of the counting (cells visited), so a huge-n comparison falls back instantly. */
const MAX_EXACT_WORK = 5e7;

/** Ranks 1..n of the pooled values, ties sharing their mean rank; also the sizes of the tie groups. */
function rank(values: readonly number[]): { ranks: number[]; tieSizes: number[] } {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(values.length);
  const tieSizes: number[] = [];
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && order[end + 1].v === order[start].v) end++;
    const meanRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k].i] = meanRank;
    if (end > start) tieSizes.push(end - start + 1);
    start = end + 1;
  }
  return { ranks, tieSizes };
}

/** C(n, k) as a double (exact while below 2^53). */
export function binomial(n: number, k: number): number {
  const m = Math.min(k, n - k);
  if (m < 0) return 0;
  let c = 1;
  for (let i = 1; i <= m; i++) c = (c * (n - m + i)) / i;
  return Math.round(c);
}

/**
 * How many of the C(n1+n2, n1) equally likely orderings give each U = 0..n1*n2 (no ties). Built as the product
 * over i = 1..n1 of (1 - q^(n2+i)) / (1 - q^i); after each step the array holds [n2+i choose i]_q, so every
 * intermediate value is a whole number no larger than the final total.
 */
export function uCounts(n1: number, n2: number): number[] {
  const size = n1 * n2 + 1;
  const c = new Array<number>(size).fill(0);
  c[0] = 1;
  for (let i = 1; i <= n1; i++) {
    const up = n2 + i;
    for (let k = size - 1; k >= up; k--) c[k] -= c[k - up];
    for (let k = i; k < size; k++) c[k] += c[k - i];
  }
  return c;
}

/** Exact two-sided p for an observed U without ties. */
export function exactPValue(u: number, n1: number, n2: number): number {
  const counts = uCounts(n1, n2);
  const total = counts.reduce((a, b) => a + b, 0);
  const tail = Math.min(u, n1 * n2 - u);
  let below = 0;
  for (let k = 0; k <= Math.floor(tail); k++) below += counts[k];
  return Math.min(1, (2 * below) / total);
}

/**
 * The smallest two-sided p that samples of these sizes can reach at all with the exact test (fully separated, no
 * ties): 2 / C(n1+n2, n1), capped at 1. Ties only make it larger.
 */
export function smallestPossibleP(n1: number, n2: number): number {
  if (n1 <= 0 || n2 <= 0) return 1;
  return Math.min(1, 2 / binomial(n1 + n2, n1));
}

/**
 * The fewest ok samples on one side that let the exact test reach p < alpha against `other` samples on the other
 * side (other omitted: the same count on both sides). For adaptive sampling: below this, no result can be 'slower'.
 * 5% needs 4 per side (2/70), 1% needs 5 (2/252); against 10 baseline samples 5% needs 2 (2/66).
 * null when alpha is not above 0 or no count up to `limit` reaches it.
 */
export function minSamplesPerSide(alpha: number, other?: number, limit = 1000): number | null {
  if (!(alpha > 0)) return null;
  for (let n = 1; n <= limit; n++) {
    if (smallestPossibleP(n, other ?? n) < alpha) return n;
  }
  return null;
}

/**
 * Counts of the doubled rank sum of a k-subset of `ranks2` (doubled mid-ranks, whole numbers): counts[s] is how many
 * of the C(N, k) subsets sum to s.
 */
function subsetSumCounts(ranks2: readonly number[], k: number): number[] {
  const maxSum = [...ranks2].sort((a, b) => b - a).slice(0, k).reduce((a, b) => a + b, 0);
  // rows[j][s]: subsets of size j of the ranks seen so far with sum s.
  const rows = Array.from({ length: k + 1 }, () => new Array<number>(maxSum + 1).fill(0));
  rows[0][0] = 1;
  for (const r of ranks2) {
    for (let j = k; j >= 1; j--) {
      const to = rows[j];
      const from = rows[j - 1];
      for (let s = maxSum; s >= r; s--) if (from[s - r] !== 0) to[s] += from[s - r];
    }
  }
  return rows[k];
}

function exactWithTies(ranks: readonly number[], n1: number, n2: number): { p: number; minP: number } {
  const n = n1 + n2;
  // Count the smaller side: |S1 - E[S1]| = |S2 - E[S2]|, as S1 + S2 is fixed.
  const firstSmaller = n1 <= n2;
  const k = firstSmaller ? n1 : n2;
  const ranks2 = ranks.map((r) => Math.round(r * 2));
  const side = firstSmaller ? ranks2.slice(0, n1) : ranks2.slice(n1);
  const observed = side.reduce((a, b) => a + b, 0);
  const mean2 = k * (n + 1); // E[2 * S] = 2 * k * (n + 1) / 2
  const counts = subsetSumCounts(ranks2, k);
  const total = counts.reduce((a, b) => a + b, 0);
  const dev = Math.abs(observed - mean2);
  let tail = 0;
  let maxDev = 0;
  for (let s = 0; s < counts.length; s++) {
    if (counts[s] === 0) continue;
    const d = Math.abs(s - mean2);
    if (d >= dev) tail += counts[s];
    if (d > maxDev) maxDev = d;
  }
  let extreme = 0;
  for (let s = 0; s < counts.length; s++) if (counts[s] !== 0 && Math.abs(s - mean2) >= maxDev) extreme += counts[s];
  return { p: Math.min(1, tail / total), minP: Math.min(1, extreme / total) };
}

function exactIsCountable(n1: number, n2: number): boolean {
  const n = n1 + n2;
  const k = Math.min(n1, n2);
  return binomial(n, k) <= MAX_EXACT_ORDERINGS && n * k * (2 * n * k + 1) <= MAX_EXACT_WORK;
}

export function mannWhitney(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('the Mann-Whitney test needs at least one value on each side');
  const { ranks, tieSizes } = rank([...x, ...y]);
  const r1 = ranks.slice(0, n1).reduce((a, b) => a + b, 0);
  const u = r1 - (n1 * (n1 + 1)) / 2;
  if (exactIsCountable(n1, n2)) return { u, method: 'exact', ...exactWithTies(ranks, n1, n2) };
  const n = n1 + n2;
  const tieTerm = tieSizes.reduce((a, t) => a + (t ** 3 - t), 0) / (n * (n - 1));
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm);
  // Every value equal: no evidence of any difference.
  if (variance <= 0) return { u, p: 1, method: 'normal', minP: 1 };
  const pAt = (dev: number) => Math.min(1, twoSidedNormalP(Math.max(0, dev - 0.5) / Math.sqrt(variance)));
  return { u, p: pAt(Math.abs(u - (n1 * n2) / 2)), method: 'normal', minP: pAt((n1 * n2) / 2) };
}
