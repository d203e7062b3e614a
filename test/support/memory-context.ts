// A RunContext on the in-memory engine for phase tests: an offline-like profile, no registry, pull target or scanner.
import type { RunContext } from '../../src/phases/phase.ts';
import type { MemoryEngine } from './memory-engine.ts';

export function memoryContext(engine: MemoryEngine, log: (line: string) => void): RunContext {
  return {
    engine, runId: 'test-run', profile: { name: 'offline', description: '', images: { NODE_SLIM_IMAGE: 'slim:20' } }, builder: 'buildkit',
    signal: new AbortController().signal, timeoutMs: 60_000,
    services: {
      registry: () => Promise.reject(new Error('no registry in this test')),
      pullTarget: () => Promise.reject(new Error('no pull target in this test')),
      scanner: () => Promise.reject(new Error('no scanner in this test')),
    },
    log,
  };
}
