// --shard I/N: N runners (a CI matrix) split the scenario x variant matrix between them, without overlap and
// without gaps, each computing its share on its own from the same inputs.
import { UsageError } from './errors.ts';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new UsageError(
      `--shard takes I/N with 1 <= I <= N (this runner's share I of N runners, e.g. 1/3), not '${text}'`,
    );
  }
  return { index, count };
}

// Code-point order, not localeCompare: every runner must sort alike whatever its locale.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * This shard's cells: the cells sorted by scenario then variant, every count-th one starting at index - 1.
 * Round-robin rather than contiguous blocks, so that the variants of a large scenario spread over the runners.
 */
export function selectShard<T extends { scenario: string; variant: string }>(cells: readonly T[], shard: Shard): T[] {
  return [...cells]
    .sort((a, b) => compareText(a.scenario, b.scenario) || compareText(a.variant, b.variant))
    .filter((_, i) => i % shard.count === shard.index - 1);
}
