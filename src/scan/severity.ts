// Severity words of the scanners mapped onto stagebench's, and the vulns_* counts of a scan.
import type { ScanResult, Severity } from '../types.ts';

const WORDS: Record<string, Severity> = {
  critical: 'critical',
  high: 'high',
  important: 'high',
  medium: 'medium',
  moderate: 'medium',
  low: 'low',
  negligible: 'negligible',
  minimal: 'negligible',
  none: 'negligible',
  unknown: 'unknown',
};

/** Trivy's CRITICAL, Grype's Critical, GitHub's MODERATE: each onto one of the six. An unrecognised word is 'unknown'. */
export function normalizeSeverity(text: unknown): Severity {
  if (typeof text !== 'string') return 'unknown';
  return WORDS[text.trim().toLowerCase()] ?? 'unknown';
}

export interface VulnCounts {
  vulns_critical: number | null;
  vulns_high: number | null;
  vulns_medium: number | null;
  vulns_low: number | null;
  /** Not a samples.csv column: counted apart so that nothing is dropped silently. */
  vulns_negligible: number | null;
  vulns_unknown: number | null;
}

/** Vulnerability findings by severity; every count is null when the scan checked no vulnerabilities. */
export function vulnCounts(result: ScanResult): VulnCounts {
  if (!result.vulns_checked) {
    return { vulns_critical: null, vulns_high: null, vulns_medium: null, vulns_low: null, vulns_negligible: null, vulns_unknown: null };
  }
  const n = { critical: 0, high: 0, medium: 0, low: 0, negligible: 0, unknown: 0 };
  for (const f of result.findings) {
    if (f.kind === 'vulnerability') n[f.severity === '' ? 'unknown' : f.severity] += 1;
  }
  return {
    vulns_critical: n.critical,
    vulns_high: n.high,
    vulns_medium: n.medium,
    vulns_low: n.low,
    vulns_negligible: n.negligible,
    vulns_unknown: n.unknown,
  };
}
