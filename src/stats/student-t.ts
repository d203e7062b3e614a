// The two-sided critical value of Student's t distribution, computed rather than read from a table so that every
// degree of freedom gets its exact value (tables stop at 30 and interpolate).
//
// For whole degrees of freedom v the probability that |T| < t has a closed form (Abramowitz & Stegun 26.7.3) in
// theta = atan(t / sqrt(v)); it rises with theta, so bisection on theta in (0, pi/2) finds the quantile.

/** P(|T| < t) for v degrees of freedom, written as a function of theta = atan(t / sqrt(v)). */
function centralProbability(theta: number, v: number): number {
  const s = Math.sin(theta);
  const c2 = Math.cos(theta) ** 2;
  if (v % 2 === 0) {
    // sin(theta) * (1 + 1/2 c^2 + 1*3/(2*4) c^4 + ... up to c^(v-2))
    let term = 1;
    let sum = 1;
    for (let k = 1; k <= (v - 2) / 2; k++) {
      term *= (c2 * (2 * k - 1)) / (2 * k);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return s * sum;
  }
  // (2/pi) (theta + sin(theta) cos(theta) (1 + 2/3 c^2 + 2*4/(3*5) c^4 + ... up to c^(v-3)))
  let term = 1;
  let sum = v === 1 ? 0 : 1;
  for (let k = 1; k <= (v - 3) / 2; k++) {
    term *= (c2 * 2 * k) / (2 * k + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return (2 / Math.PI) * (theta + s * Math.cos(theta) * sum);
}

/** t such that P(|T| < t) = confidence, for df >= 1 whole degrees of freedom. */
export function studentTCritical(df: number, confidence = 0.95): number {
  if (!Number.isInteger(df) || df < 1) throw new RangeError(`degrees of freedom must be a whole number >= 1, not ${df}`);
  let lo = 0;
  let hi = Math.PI / 2;
  // 200 halvings reach the spacing of doubles near pi/2 long before the loop ends; the loop stops when it does.
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (mid === lo || mid === hi) break;
    if (centralProbability(mid, df) < confidence) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(df) * Math.tan((lo + hi) / 2);
}
