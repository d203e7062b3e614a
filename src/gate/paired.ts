// The timing gate of one `run --against` run: both sides measured round by round, so each round gives one ratio
// current / baseline per row. Per row: the Hodges-Lehmann median ratio with its exact 95% interval, a one-sided
// Wilcoxon signed-rank test of "slower" on the log ratios, and the smallest slowdown the row could have detected.
// Across rows: Holm's correction, so that the whole run, not each row, has the false-alarm rate alpha. Pure.
import { holmAdjust } from '../stats/holm.ts';
import { hodgesLehmann, minimumDetectableShift, robustSpread, signedRankTest } from '../stats/signed-rank.ts';

/** One round's pair of one row: a side's duration, or null when its sample failed (or is absent). */
export interface RoundPair {
  round: number;
  baseline: number | null;
  current: number | null;
}

export interface PairedOptions {
  /** Family-wise significance level across the rows of the run. */
  alpha: number;
  /** A significant change must also exceed this, in percent of the baseline, to be a verdict. */
  threshold_pct: number;
  /** Rounds 1..warmup are measured and shown, never analysed (start-up of the engine, caches, the page cache). */
  warmup_rounds: number;
}

export type PairedVerdict = 'slower' | 'faster' | 'same' | 'failed' | 'too few';

export interface PairedStats {
  /** Analysed rounds where both sides have an ok sample. */
  pairs: number;
  /** Rounds (warm-up included) where the current side failed and the baseline side did not. */
  current_failed: number;
  /** Hodges-Lehmann median ratio current / baseline, and its exact 95% interval (null ends: too few pairs). */
  ratio: number | null;
  ratio_low: number | null;
  ratio_high: number | null;
  /** One-sided signed-rank p-value for "current slower", before and after Holm. */
  p_value: number | null;
  p_holm: number | null;
  /**
   * The smallest slowdown, percent, this row would flag 80% of the time at its pairs, its noise and the strictest
   * Holm level (alpha / rows); Infinity when no data of this size could reach it.
   */
  mdc_pct: number | null;
  verdict: PairedVerdict;
}

/** Log ratios of the analysed rounds where both sides are ok. */
export function logRatios(rounds: readonly RoundPair[], warmup: number): number[] {
  return rounds
    .filter((r) => r.round > warmup && r.baseline !== null && r.current !== null && r.baseline > 0 && r.current > 0)
    .map((r) => Math.log((r.current as number) / (r.baseline as number)));
}

function rowStats(rounds: readonly RoundPair[], opts: PairedOptions, family: number): Omit<PairedStats, 'p_holm' | 'verdict'> {
  const d = logRatios(rounds, opts.warmup_rounds);
  const current_failed = rounds.filter((r) => r.current === null && r.baseline !== null).length;
  const none = { pairs: d.length, current_failed, ratio: null, ratio_low: null, ratio_high: null, p_value: null, mdc_pct: null };
  if (d.length === 0) return none;
  const hl = hodgesLehmann(d, 0.95);
  const spread = robustSpread(d);
  const mdc = spread === null ? Infinity : minimumDetectableShift(d.length, spread, opts.alpha / Math.max(1, family));
  return {
    pairs: d.length,
    current_failed,
    ratio: hl === null ? null : Math.exp(hl.estimate),
    ratio_low: hl?.low === null || hl === null ? null : Math.exp(hl.low),
    ratio_high: hl?.high === null || hl === null ? null : Math.exp(hl.high),
    p_value: signedRankTest(d).p,
    mdc_pct: Number.isFinite(mdc) ? (Math.exp(mdc) - 1) * 100 : Infinity,
  };
}

/**
 * The gate over the rows of one run, in the input's order. A row whose current side failed in a round where the
 * baseline's did not is 'failed' (a change that breaks builds is the worst regression); a row with no analysed pair
 * is 'too few'; else 'slower' when its Holm-adjusted p is below alpha and its median ratio exceeds the threshold,
 * 'faster' when its whole interval lies below 1 - threshold, else 'same'.
 */
export function pairedGate(rows: ReadonlyArray<readonly RoundPair[]>, opts: PairedOptions): PairedStats[] {
  const tested = rows.filter((r) => logRatios(r, opts.warmup_rounds).length > 0).length;
  const stats = rows.map((r) => rowStats(r, opts, tested));
  const withP = stats.map((s, i) => ({ s, i })).filter(({ s }) => s.p_value !== null);
  const adjusted = holmAdjust(withP.map(({ s }) => s.p_value as number));
  const holm = new Map(withP.map(({ i }, k) => [i, adjusted[k]]));
  const limit = 1 + opts.threshold_pct / 100;
  return stats.map((s, i) => {
    const p_holm = holm.get(i) ?? null;
    let verdict: PairedVerdict;
    if (s.current_failed > 0) verdict = 'failed';
    else if (s.pairs === 0 || s.ratio === null) verdict = 'too few';
    else if (p_holm !== null && p_holm < opts.alpha && s.ratio > limit) verdict = 'slower';
    else if (s.ratio_high !== null && s.ratio_high < 1 / limit) verdict = 'faster';
    else verdict = 'same';
    return { ...s, p_holm, verdict };
  });
}
