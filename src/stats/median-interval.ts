// The distribution-free confidence interval of a median: order statistics chosen from the binomial(n, 1/2)
// distribution of how many samples fall below the true median (no assumption about the shape of the durations). Pure.
import { sortedAscending } from './quantile.ts';

/**
 * [x(k), x(n-k+1)] of the sorted values with k the largest rank such that P(Bin(n, 1/2) <= k - 1) <= (1 - level) / 2,
 * so the interval covers the true median with probability at least level; null when n is too small (n < 6 at 95%).
 */
export function medianInterval(values: readonly number[], level = 0.95): { low: number; high: number } | null {
  const n = values.length;
  if (n === 0) return null;
  const a = (1 - level) / 2;
  let cumulative = 0;
  let coefficient = 1;
  let k = 0;
  // cumulative = P(Bin(n, 1/2) <= j); k ends as the count of j with that at most a.
  for (let j = 0; j <= n; j++) {
    if (j > 0) coefficient = (coefficient * (n - j + 1)) / j;
    cumulative += coefficient / 2 ** n;
    if (cumulative > a) break;
    k = j + 1;
  }
  if (k === 0) return null;
  const sorted = sortedAscending(values);
  return { low: sorted[k - 1], high: sorted[n - k] };
}
