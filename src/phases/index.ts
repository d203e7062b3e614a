// Which handler measures which phase: the catalogue (src/phase-catalogue.ts) names a handler kind per phase, this
// table maps each kind to its factory.
import { phaseInfo, type PhaseHandlerKind } from '../phase-catalogue.ts';
import type { PhaseName } from '../types.ts';
import { buildPhase } from './build.ts';
import { contextPhase } from './context.ts';
import { ciPhase } from './ci.ts';
import type { PhaseHandler, RunContext, SampleSlot } from './phase.ts';
import { registryPhase } from './push-pull.ts';
import { scanPhase } from './scan.ts';
import { startPhase } from './run.ts';

const HANDLERS: Record<PhaseHandlerKind, (ctx: RunContext, slot: SampleSlot, phase: PhaseName) => PhaseHandler> = {
  build: (ctx, slot, phase) => buildPhase(ctx, slot, phase),
  registry: (ctx, slot, phase) => registryPhase(ctx, slot, phase),
  scan: (ctx, slot) => scanPhase(ctx, slot),
  start: (ctx, slot) => startPhase(ctx, slot),
  context: (ctx, slot, phase) => contextPhase(ctx, slot, phase),
  ci: (ctx, slot, phase) => ciPhase(ctx, slot, phase),
};

export function createPhase(ctx: RunContext, slot: SampleSlot): PhaseHandler {
  return HANDLERS[phaseInfo(slot.phase).handler](ctx, slot, slot.phase);
}
