// The defaults of the timing gate of `run --against`, chosen with bench/gate-simulation.ts (docs/gate.md).
import type { PairedOptions } from './paired.ts';

/** Analysed rounds per side when --iterations is not given: even, so the ABBA order puts each side first as often. */
export const DEFAULT_ROUNDS = 12;

/** Rounds measured first and left out of the analysis (one per side). */
export const WARMUP_ROUNDS = 1;

export const DEFAULT_PAIRED_OPTIONS: PairedOptions = { alpha: 0.05, threshold_pct: 5, warmup_rounds: WARMUP_ROUNDS };
