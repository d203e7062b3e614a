// The split of a size claim into what the stages alone save and what the base swap saves, by the control variant
// (multi-stage on single's base): single/target = single/control x control/target, exactly. Pure.

/**
 * The control of the size split: the multi-stage build with builder and runner on single's base (the full node
 * image). single to it is what the stages alone save; it to multi (or distroless) what the base swap saves.
 */
export const SIZE_CONTROL_VARIANT = 'multi-same-base';

export interface SizeSplit {
  /** single / target: how many times smaller the target is. */
  total: number;
  /** single / control: the stages alone, on the same base. */
  stages: number;
  /** control / target: the base swap (and whatever else the target's runner does differently). */
  base: number;
  /** The share of the bytes saved (single - target) that the stages alone save; the rest is the base swap's. */
  stagesShareOfBytes: number | null;
}

/** The split, or undefined when a size is missing or not positive. */
export function sizeSplit(single: number | null | undefined, control: number | null | undefined, target: number | null | undefined): SizeSplit | undefined {
  if (!single || !control || !target || single <= 0 || control <= 0 || target <= 0) return undefined;
  const saved = single - target;
  return { total: single / target, stages: single / control, base: control / target, stagesShareOfBytes: saved === 0 ? null : (single - control) / saved };
}
