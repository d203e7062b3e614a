// Wires the run's options to the services it may start.
import type { Engine } from '../engine/engine.ts';
import type { RunOptions } from './options.ts';
import { RunServices } from './services.ts';

export function createServices(_options: RunOptions, _engine: Engine, _runId: string, _signal: AbortSignal): RunServices {
  return new RunServices({});
}
