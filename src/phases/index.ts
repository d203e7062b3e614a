// Which handler measures which phase.
import { buildPhase } from './build.ts';
import { contextPhase } from './context.ts';
import { ciPhase } from './ci.ts';
import { registryPhase } from './registry.ts';
import { scanPhase } from './scan.ts';
import { startPhase } from './start.ts';
import type { PhaseHandler, RunContext, SampleSlot } from './phase.ts';

export function createPhase(ctx: RunContext, slot: SampleSlot): PhaseHandler {
  switch (slot.phase) {
    case 'build-cold':
    case 'build-warm':
    case 'build-warm-src':
    case 'build-warm-deps':
      return buildPhase(ctx, slot, slot.phase);
    case 'build-ci':
    case 'build-ci-src':
      return ciPhase(ctx, slot, slot.phase);
    case 'push-cold':
    case 'push-warm':
    case 'pull-cold':
    case 'pull-warm':
      return registryPhase(ctx, slot, slot.phase);
    case 'scan':
      return scanPhase(ctx, slot);
    case 'run':
      return startPhase(ctx, slot);
    case 'build-context-ignored':
    case 'build-context-full':
      return contextPhase(ctx, slot, slot.phase);
    default:
      throw new Error(`phase ${slot.phase} has no handler`);
  }
}
