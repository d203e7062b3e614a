// Everything a report is made from: the files of one run folder, read once.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readComposition, readRunInfo, readSamples, readSteps, readSummary, resolveRunPath } from '../results/read.ts';
import { summaryRows } from '../stats/summary.ts';
import type { CompositionRow, RunInfo, SampleRow, StepRow, SummaryRow } from '../types.ts';
import { readFindings, type FindingRow } from './read-findings.ts';

export interface RunData {
  /** The run id from run.json, else from the rows, else the folder. */
  runId: string;
  info?: RunInfo;
  samples: SampleRow[];
  summary: SummaryRow[];
  /** summary.csv was missing and the summary was computed from samples.csv. */
  summaryRecomputed: boolean;
  steps: StepRow[];
  /** undefined when the run has no findings.csv. */
  findings?: FindingRow[];
  /** composition.csv; undefined when the run has none. */
  composition?: CompositionRow[];
}

export function loadRunData(runDir: string): RunData {
  const { dir } = resolveRunPath(runDir);
  const samples = readSamples(dir);
  // An interrupted run keeps its samples but may lack the summary written at the end: make it from the samples.
  const summaryMissing = !existsSync(join(dir, 'summary.csv'));
  const summary = summaryMissing ? summaryRows(samples) : readSummary(dir);
  const info = readRunInfo(dir);
  return {
    runId: info?.run_id ?? samples[0]?.run_id ?? summary[0]?.run_id ?? dir,
    info,
    samples,
    summary,
    summaryRecomputed: summaryMissing,
    steps: readSteps(dir),
    findings: readFindings(dir),
    composition: readComposition(dir),
  };
}
