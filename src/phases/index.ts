// Which handler measures which phase.
import { buildPhase } from './build.ts';
import type { PhaseHandler, RunContext, SampleSlot } from './phase.ts';

export function createPhase(ctx: RunContext, slot: SampleSlot): PhaseHandler {
  switch (slot.phase) {
    case 'build-cold':
    case 'build-warm':
    case 'build-warm-src':
    case 'build-warm-deps':
      return buildPhase(ctx, slot, slot.phase);
    default:
      throw new Error(`phase ${slot.phase} has no handler`);
  }
}
