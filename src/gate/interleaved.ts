// The two sides of one `stagebench run --against`: what their run.json record, and how compare recognises them.

/** What run.json of each side records: the pair it belongs to, so that compare knows the sides share one run. */
export interface InterleavedInfo {
  pair: string;
  side: 'baseline' | 'current';
  rounds: number;
  /** Rounds 1..warmup_rounds were measured and are left out of the analysis (absent: run before the gate had them). */
  warmup_rounds?: number;
  baseline_scenarios: string;
  current_scenarios: string;
}

/** The two sides' run.json say they are the two halves of one interleaved run. Pure. */
export function isInterleavedPair(a: unknown, b: unknown): boolean {
  const of = (x: unknown) => (x as { interleaved?: Partial<InterleavedInfo> } | undefined)?.interleaved;
  const ia = of(a);
  const ib = of(b);
  return typeof ia?.pair === 'string' && ia.pair === ib?.pair && ia.side !== ib.side;
}

/** The warm-up rounds a side's run.json records (0 for runs made before warm-up rounds). Pure. */
export function warmupRounds(info: unknown): number {
  const w = (info as { interleaved?: Partial<InterleavedInfo> } | undefined)?.interleaved?.warmup_rounds;
  return typeof w === 'number' && Number.isInteger(w) && w >= 0 ? w : 0;
}
