// Two-sided Mann-Whitney U test (Wilcoxon rank-sum): does one set of durations tend to be larger than the other?
// It assumes no distribution, which suits build times (skewed, with the odd slow outlier).
//
// Method:
// - exact, when there are no ties and n1 + n2 <= EXACT_MAX_TOTAL: the null distribution of U is counted (the
//   coefficients of the Gaussian binomial [n1+n2 choose n1]), p = 2 * P(U <= min(U1, U2)), capped at 1. The bound
//   keeps every count below C(50, 25) ~ 1.3e14, inside the integers a double holds exactly (2^53 ~ 9e15).
// - otherwise the normal approximation, with the tie correction of the variance and a continuity correction of 0.5,
//   as in most statistics packages.

import { twoSidedNormalP } from './normal.ts';

export const EXACT_MAX_TOTAL = 50;

export interface MannWhitneyResult {
  /** U of the first sample: pairs (x, y) with x > y, ties counting one half. */
  u: number;
  p: number;
  method: 'exact' | 'normal';
}

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

/** The smallest two-sided p that samples of these sizes can reach at all (fully separated, no ties). */
export function smallestPossibleP(n1: number, n2: number): number {
  let combinations = 1;
  for (let k = 1; k <= Math.min(n1, n2); k++) combinations = (combinations * (n1 + n2 - Math.min(n1, n2) + k)) / k;
  return Math.min(1, 2 / combinations);
}

export function mannWhitney(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('the Mann-Whitney test needs at least one value on each side');
  const { ranks, tieSizes } = rank([...x, ...y]);
  const r1 = ranks.slice(0, n1).reduce((a, b) => a + b, 0);
  const u = r1 - (n1 * (n1 + 1)) / 2;
  if (tieSizes.length === 0 && n1 + n2 <= EXACT_MAX_TOTAL) return { u, p: exactPValue(u, n1, n2), method: 'exact' };
  const n = n1 + n2;
  const tieTerm = tieSizes.reduce((a, t) => a + (t ** 3 - t), 0) / (n * (n - 1));
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm);
  // Every value equal: no evidence of any difference.
  if (variance <= 0) return { u, p: 1, method: 'normal' };
  const z = Math.max(0, Math.abs(u - (n1 * n2) / 2) - 0.5) / Math.sqrt(variance);
  return { u, p: Math.min(1, twoSidedNormalP(z)), method: 'normal' };
}
