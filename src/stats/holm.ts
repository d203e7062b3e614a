// Holm's step-down correction: adjusted p-values that hold the family-wise error rate (the chance that any row of
// a clean run is flagged) at alpha for any dependence between the rows. Pure.

/** Holm-adjusted p-values, in the input's order: p_(i) x (m - i + 1), made monotone, capped at 1. */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, p * (m - rank)));
    adjusted[i] = running;
  });
  return adjusted;
}
