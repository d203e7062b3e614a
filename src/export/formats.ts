// The export formats, by name: each turns a run's samples into the text of one file.
import type { SampleRow } from '../types.ts';
import { githubActionBenchmark } from './github-action-benchmark.ts';
import { summaryJson } from './summary-json.ts';

export const EXPORT_FORMATS = ['github-action-benchmark', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORTERS: Record<ExportFormat, (samples: readonly SampleRow[]) => string> = {
  'github-action-benchmark': (samples) => `${JSON.stringify(githubActionBenchmark(samples), null, 2)}\n`,
  json: (samples) => `${JSON.stringify(summaryJson(samples), null, 2)}\n`,
};
