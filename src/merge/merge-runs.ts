// stagebench merge: reads run folders, plans the merged run, writes it to a new folder.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRun } from '../gate/load-run.ts';
import { UsageError } from '../errors.ts';
import { makeFolder } from '../tools/write-file.ts';
import { parseCsv } from '../results/csv.ts';
import { readComposition, readSteps } from '../results/read.ts';
import { ResultWriter } from '../results/writer.ts';
import { RATIO_COLUMN, withSizeRatio } from '../stats/size-ratio.ts';
import type { StepRow } from '../types.ts';
import { VERSION } from '../version.ts';
import { planMerge, type MergedRun, type MergeInput } from './plan-merge.ts';
import { readFindings } from '../report/read-findings.ts';

/** findings.csv with every column it has (readFindings checks it and keeps the contract's columns only). */
function findingsWithAllColumns(runDir: string): { rows: MergeInput['findings']; columns?: string[] } {
  const checked = readFindings(runDir);
  if (checked === undefined) return { rows: [] };
  const { header, records } = parseCsv(readFileSync(join(runDir, 'findings.csv'), 'utf8'));
  return { rows: checked.map((row, i) => ({ ...records[i], ...row })), columns: header };
}

export function readMergeInput(dir: string): MergeInput {
  const run = loadRun(dir);
  const findings = findingsWithAllColumns(run.dir);
  return {
    label: dir, samples: run.samples, steps: readSteps(run.dir), findings: findings.rows, findingColumns: findings.columns,
    composition: readComposition(run.dir), info: run.info,
  };
}

const sampleKey = (r: { run_id: string; scenario: string; variant: string; phase: string; iteration: number }) =>
  `${r.run_id}\u0000${r.scenario}\u0000${r.variant}\u0000${r.phase}\u0000${r.iteration}`;

/** Writes the merged run through the result writer that `run` uses: the same columns, rows and summary. */
export function writeMergedRun(merged: MergedRun, outDir: string): void {
  if (existsSync(join(outDir, 'samples.csv'))) {
    throw new UsageError(`merge: ${outDir} already holds a run (samples.csv); give --out a new folder or remove it first`);
  }
  makeFolder(outDir, 'stagebench merge --out');
  const stepsOf = new Map<string, StepRow[]>();
  for (const s of merged.steps) stepsOf.set(sampleKey(s), [...(stepsOf.get(sampleKey(s)) ?? []), s]);
  const writer = new ResultWriter(outDir);
  try {
    for (const row of merged.samples) writer.sample(row, stepsOf.get(sampleKey(row)) ?? []);
    writer.findingRows(merged.findings, merged.findingColumns);
    if (merged.composition.length > 0) writer.compositionRows(merged.composition);
    writer.summary(withSizeRatio(merged.summary), [RATIO_COLUMN]);
    writer.runInfo(merged.info);
  } finally {
    writer.close();
  }
}

/** Merges run folders into outDir; the rows keep their own run_id, summary.csv and run.json get a new one. */
export function mergeRuns(
  dirs: readonly string[],
  outDir: string,
  opts: { now?: Date; commandLine?: string[] } = {},
): MergedRun {
  const merged = planMerge(dirs.map(readMergeInput), {
    now: opts.now ?? new Date(),
    commandLine: opts.commandLine ?? ['stagebench', 'merge', ...dirs, '--out', outDir],
    version: VERSION,
  });
  writeMergedRun(merged, outDir);
  return merged;
}
