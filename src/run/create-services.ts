// Wires the run's options to the services it may start: each is started the first time a phase asks for it.
import type { Engine } from '../engine/engine.ts';
import { startEmbeddedRegistry } from '../registry/embedded.ts';
import { externalRegistry } from '../registry/external.ts';
import { buildingEngineTarget, canStartEmbeddedTarget, externalTarget, startEmbeddedTarget } from '../registry/target-engine.ts';
import { EnvironmentError } from '../errors.ts';
import { createScanner } from '../scan/create-scanner.ts';
import { FINDINGS_CSV_COLUMNS, findingsRows } from '../scan/findings-rows.ts';
import type { RunOptions } from './options.ts';
import { RunServices } from './services.ts';

export function createServices(options: RunOptions, engine: Engine, runId: string, _signal: AbortSignal): RunServices {
  return new RunServices({
    registry: () => (options.registry === 'embedded' ? startEmbeddedRegistry(runId) : externalRegistry(options.registry, options.registryInsecure, runId)),
    pullTarget: async () => {
      if (options.pullTarget !== 'embedded') return externalTarget(options.pullTarget);
      const why = await canStartEmbeddedTarget();
      return why ? buildingEngineTarget(engine, why) : startEmbeddedTarget(runId);
    },
    scanner: async () => {
      const scanner = await createScanner(options.scanner, { vulnDb: options.vulnDb, trivyArgs: options.scannerArgs, grypeArgs: options.scannerArgs });
      if (!scanner) throw new EnvironmentError('--scanner none: the scan phase has no scanner; drop --phase scan or choose a scanner');
      const v = await scanner.version();
      return { name: scanner.name, version: v.version, dbDate: v.db_date, notes: scanner.notes, scan: (ref, signal, read) => scanner.scan(ref, engine, signal, read) };
    },
    findingRows: findingsRows,
    findingColumns: FINDINGS_CSV_COLUMNS,
  });
}
