// Order statistics of plain number arrays. Percentiles interpolate linearly between the two nearest ranks (the
// method numpy and R call type 7), so p50 of an even count is the mean of the middle pair.

/** Ascending copy; the input stays as it was. */
export function sortedAscending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** The p-th fraction (0..1) of an ascending, non-empty array. */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Median, or null for no values. */
export function median(values: readonly number[]): number | null {
  return values.length === 0 ? null : percentileOfSorted(sortedAscending(values), 0.5);
}
