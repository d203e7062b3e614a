// Types of a comparison of two runs. Timing rows use the contract's CompareRow; exact figures (sizes,
// vulnerability counts) get their own rows, because "faster"/"slower" and a p-value mean nothing for them.
import type { CompareRow, RunInfo } from '../types.ts';
import type { ExactMetric } from './exact.ts';

/** 'not checked': the current run measured the cell but this figure is unknown by design (findings without a database). */
export type SizeVerdict = 'bigger' | 'smaller' | 'same' | 'new' | 'missing' | 'not checked';

/**
 * A timing row: the contract's columns, and for the paired gate of one `run --against` run its per-round figures
 * (change_pct is then the median ratio's change and p_value the Holm-adjusted one).
 */
export interface TimingRow extends CompareRow {
  /** Analysed rounds with both sides ok (paired), or ok samples of the current side (separate runs). */
  pairs: number | null;
  /** Median ratio current / baseline (Hodges-Lehmann) and its exact 95% interval. */
  ratio: number | null;
  ratio_low: number | null;
  ratio_high: number | null;
  /** The one-sided signed-rank p before Holm's correction. */
  p_raw: number | null;
  /** Smallest slowdown, percent, the row would have flagged 80% of the time; Infinity: it could flag none. */
  mdc_pct: number | null;
  /** Samples of the current side that failed where the baseline's did not. */
  current_failed: number;
}
export interface SizeCompareRow {
  scenario: string;
  variant: string;
  metric: ExactMetric;
  /** Phase the value comes from (the current run's, or the baseline's for a missing row). */
  phase: string;
  baseline: number | null;
  current: number | null;
  /** null when the baseline is 0 (any growth is infinite) or one side lacks the value. */
  change_pct: number | null;
  verdict: SizeVerdict;
}

export interface CompareOptions {
  /**
   * A timing change smaller than this, in percent, is `same` however significant. Between two runs it must cover the
   * drift of the machine from one run to the next, which no test inside one run sees (docs/measurements.md, "The gate's error rates").
   */
  threshold_pct: number;
  /** A size or medium/low finding count that grows by more than this, in percent, is `bigger` (they are exact). */
  size_threshold_pct: number;
  /** Significance level of the Mann-Whitney test. */
  alpha: number;
  /** Rows whose current samples all failed pass instead of failing (a run narrowed on purpose). */
  allow_missing: boolean;
  /** Rows of the baseline outside the current run's plan fail the gate (by default they are named, once per phase). */
  whole_baseline: boolean;
  /** Between separate runs, timing verdicts count in the exit code (by default they are indicative only). */
  gate_timings: boolean;
  /** Set for the two sides of one `run --against` run: its timings are paired by round. */
  paired?: { warmup_rounds: number };
}

/** A row the baseline measured and the current run did not: why. */
export interface MissingRow {
  name: string;
  /** 'failed': the current run has samples of it, none ok; 'not run': it has none. */
  reason: 'failed' | 'not run';
}

/** What a side of the comparison is: its label (the path given) and its run.json if it has one. */
export interface RunSide {
  label: string;
  run_ids: string[];
  info?: RunInfo;
}

export interface CompareResult {
  options: CompareOptions;
  baseline: RunSide;
  current: RunSide;
  timing: TimingRow[];
  /** 'paired': the two sides of one run --against, analysed per round; 'separate': two runs, timings indicative. */
  mode: 'paired' | 'separate';
  /** Whether timing verdicts count in `failed`. */
  timing_gated: boolean;
  /** One line per phase: baseline rows outside the current run's plan. */
  not_run: Array<{ phase: string; rows: number }>;
  sizes: SizeCompareRow[];
  /** Things that make the comparison less trustworthy: other engine, other CPU count, too few samples. */
  warnings: string[];
  /** Some timing is slower or some figure bigger, beyond the threshold. */
  regressed: boolean;
  /** Rows of the baseline the current run did not measure (timings and figures). */
  missing: MissingRow[];
  /**
   * The gate's answer: regressed, or the current run did not measure what the baseline measured (missing rows,
   * or no ok sample at all) without allow_missing.
   */
  failed: boolean;
}

/**
 * compare's defaults, for two runs taken at different times. The timing threshold comes from the A/A experiment in
 * docs/measurements.md ("The gate's error rates"): between runs of one checkout on one machine the medians drift far
 * more than a 5% threshold covers. Below that, use `run --against`, whose two halves share one run's drift.
 */
export const DEFAULT_COMPARE_OPTIONS: CompareOptions = {
  threshold_pct: 20, size_threshold_pct: 5, alpha: 0.05, allow_missing: false, whole_baseline: false, gate_timings: false,
};

/**
 * For timings taken in one run, side by side (the report's variant against variant): no drift between runs to
 * cover, so the threshold is the smallest change worth a sentence.
 */
export const SAME_RUN_OPTIONS: CompareOptions = { ...DEFAULT_COMPARE_OPTIONS, threshold_pct: 5 };
