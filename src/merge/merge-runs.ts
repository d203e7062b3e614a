// stagebench merge: reads run folders, plans the merged run, writes it to a new folder.
import { existsSync } from 'node:fs';
import { makeFolder, writeFileAtomic } from '../output/write-file.ts';
import { join } from 'node:path';
import { loadRun } from '../compare/load-run.ts';
import { UsageError } from '../errors.ts';
import { csvDocument } from '../results/csv.ts';
import { readSteps } from '../results/read.ts';
import { FINDING_COLUMNS, SAMPLE_COLUMNS, STEP_COLUMNS, SUMMARY_COLUMNS } from '../types.ts';
import { VERSION } from '../version.ts';
import { planMerge, type MergedRun, type MergeInput } from './plan-merge.ts';
import { readFindings } from '../report/read-findings.ts';

export function readMergeInput(dir: string): MergeInput {
  const run = loadRun(dir);
  return { label: dir, samples: run.samples, steps: readSteps(run.dir), findings: readFindings(run.dir) ?? [], info: run.info };
}

export function writeMergedRun(merged: MergedRun, outDir: string): void {
  if (existsSync(join(outDir, 'samples.csv'))) {
    throw new UsageError(`merge: ${outDir} already holds a run (samples.csv); give --out a new folder or remove it first`);
  }
  const what = 'stagebench merge --out';
  makeFolder(outDir, what);
  writeFileAtomic(join(outDir, 'samples.csv'), csvDocument(SAMPLE_COLUMNS, merged.samples as unknown as Record<string, unknown>[]), what);
  writeFileAtomic(join(outDir, 'steps.csv'), csvDocument(STEP_COLUMNS, merged.steps as unknown as Record<string, unknown>[]), what);
  writeFileAtomic(join(outDir, 'findings.csv'), csvDocument(FINDING_COLUMNS, merged.findings as unknown as Record<string, unknown>[]), what);
  writeFileAtomic(join(outDir, 'summary.csv'), csvDocument(SUMMARY_COLUMNS, merged.summary as unknown as Record<string, unknown>[]), what);
  writeFileAtomic(join(outDir, 'run.json'), `${JSON.stringify(merged.info, null, 2)}\n`, what);
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
