// Reading findings.csv, which the scan phase writes beside samples.csv: one row per vulnerability or hygiene finding.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import { parseCsv } from '../results/csv.ts';
import { FINDING_COLUMNS, type Finding } from '../types.ts';

/** One row of findings.csv. */
export interface FindingRow extends Finding {
  scenario: string;
  variant: string;
  scanner: string;
}

const KINDS: readonly string[] = ['vulnerability', 'hygiene'];

/** The findings of a run folder, or undefined when the scan phase wrote no findings.csv (it did not run). */
export function readFindings(runDir: string): FindingRow[] | undefined {
  const file = join(runDir, 'findings.csv');
  if (!existsSync(file)) return undefined;
  let parsed: ReturnType<typeof parseCsv>;
  try {
    parsed = parseCsv(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`${file} is not valid CSV: ${(err as Error).message}`);
  }
  const differs = FINDING_COLUMNS.findIndex((c, i) => parsed.header[i] !== c);
  if (differs >= 0) {
    throw new UsageError(
      `${file} is not a stagebench findings file: its header must start with ${FINDING_COLUMNS.join(',')} ` +
        `(first difference at column '${FINDING_COLUMNS[differs]}')`,
    );
  }
  return parsed.records.map((r, i) => {
    if (!KINDS.includes(r.kind)) {
      throw new UsageError(`${file} row ${i + 2}: kind '${r.kind}' is neither 'vulnerability' nor 'hygiene'`);
    }
    return {
      scenario: r.scenario,
      variant: r.variant,
      scanner: r.scanner,
      kind: r.kind as Finding['kind'],
      id: r.id,
      package: r.package,
      version: r.version,
      fixed_version: r.fixed_version,
      severity: r.severity as Finding['severity'],
      path: r.path,
    };
  });
}
