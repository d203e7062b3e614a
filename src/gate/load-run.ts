// Reads one side of a comparison or merge: a run folder or a samples.csv, with its run.json when there is one.
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import { readRunInfo, readSamples, resolveRunPath } from '../results/read.ts';
import { SCHEMA, type RunInfo, type SampleRow } from '../types.ts';

export interface LoadedRun {
  /** The path as the user gave it, for messages. */
  label: string;
  dir: string;
  samples: SampleRow[];
  info?: RunInfo;
}

export function loadRun(path: string): LoadedRun {
  const { dir } = resolveRunPath(path);
  const samples = readSamples(path);
  const info = readRunInfo(path);
  if (info !== undefined && info.schema !== SCHEMA) {
    throw new UsageError(
      `${join(dir, 'run.json')} has schema ${String(info.schema)}; this stagebench reads schema ${SCHEMA}. ` +
        'Compare or merge it with the version that wrote it.',
    );
  }
  return { label: path, dir, samples, info };
}

/** The distinct run ids of some samples, in first-seen order. */
export function runIds(samples: readonly SampleRow[]): string[] {
  return [...new Set(samples.map((r) => r.run_id))];
}
