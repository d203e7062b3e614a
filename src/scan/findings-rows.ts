// Rows of results/RUN_ID/findings.csv: the required FINDING_COLUMNS, then `count` (how many files a grouped
// finding stands for, 1 otherwise).
import { FINDING_COLUMNS, type ScanResult } from '../types.ts';
import type { CountedFinding } from './scanner.ts';

export const FINDINGS_CSV_COLUMNS = [...FINDING_COLUMNS, 'count'] as const;

export type FindingRow = Record<(typeof FINDINGS_CSV_COLUMNS)[number], string | number>;

export function findingsRows(scenario: string, variant: string, result: ScanResult): FindingRow[] {
  return result.findings.map((f: CountedFinding) => ({
    scenario,
    variant,
    scanner: result.scanner,
    kind: f.kind,
    id: f.id,
    package: f.package,
    version: f.version,
    fixed_version: f.fixed_version,
    severity: f.severity,
    path: f.path,
    count: f.count ?? 1,
  }));
}
