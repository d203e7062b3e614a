// Wires the run's options to the services it may start: each is started the first time a phase asks for it.
import type { Engine } from '../engine/engine.ts';
import { startEmbeddedRegistry } from '../registry/embedded.ts';
import { externalRegistry } from '../registry/external.ts';
import { externalTarget, startEmbeddedTarget } from '../registry/target-engine.ts';
import type { RunOptions } from './options.ts';
import { RunServices } from './services.ts';

export function createServices(options: RunOptions, _engine: Engine, runId: string, _signal: AbortSignal): RunServices {
  return new RunServices({
    registry: () => (options.registry === 'embedded' ? startEmbeddedRegistry(runId) : externalRegistry(options.registry, options.registryInsecure, runId)),
    pullTarget: () => (options.pullTarget === 'embedded' ? startEmbeddedTarget(runId) : externalTarget(options.pullTarget)),
  });
}
