// Trivy's JSON output read into findings and package counts (pure; trivy.ts runs the tool). Reports are taken as
// Trivy writes them: SchemaVersion 2 ({ Results: [...] }, Results absent on a clean image), the bare array of
// versions before 0.20, and Vulnerabilities or Packages null or absent on any result.
import type { Finding } from '../types.ts';
import type { ScannerVersion } from './scanner.ts';
import { normalizeSeverity } from './severity.ts';

export interface ParsedReport {
  findings: Finding[];
  packages_os: number | null;
  packages_npm: number | null;
}

export type ParseOutcome = ({ ok: true } & ParsedReport) | { ok: false; error: string };

// Result types of OS package databases (Trivy's "os-pkgs" class; reports before 0.20 have Type alone).
const OS_TYPES = new Set([
  'alpine', 'debian', 'ubuntu', 'redhat', 'centos', 'rocky', 'alma', 'amazon', 'oracle', 'photon', 'suse',
  'opensuse', 'opensuse.leap', 'opensuse.tumbleweed', 'sles', 'fedora', 'wolfi', 'chainguard', 'cbl-mariner',
  'azurelinux', 'bottlerocket', 'echo', 'minimos',
]);
const NODE_TYPES = new Set(['node-pkg', 'npm', 'yarn', 'pnpm', 'bun']);

interface TrivyResult {
  Target?: string;
  Class?: string;
  Type?: string;
  Packages?: unknown[] | null;
  Vulnerabilities?: Array<Record<string, unknown>> | null;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function resultsOf(doc: unknown): TrivyResult[] | string {
  if (Array.isArray(doc)) return doc as TrivyResult[];
  if (doc === null || typeof doc !== 'object') return 'the JSON is neither a report object nor an array of results';
  const report = doc as { SchemaVersion?: unknown; Results?: unknown };
  if (report.SchemaVersion === undefined && report.Results === undefined) {
    return 'the JSON object has neither SchemaVersion nor Results';
  }
  if (report.Results === undefined || report.Results === null) return [];
  if (!Array.isArray(report.Results)) return 'Results is not an array';
  return report.Results as TrivyResult[];
}

function isOs(r: TrivyResult): boolean {
  return r.Class === 'os-pkgs' || (r.Class === undefined && OS_TYPES.has(text(r.Type)));
}

function isNode(r: TrivyResult): boolean {
  return NODE_TYPES.has(text(r.Type));
}

/**
 * Reads a Trivy JSON report. Package counts come from Packages (written with --list-all-pkgs); `listedAllPackages`
 * says whether the scan asked for them, so that a report without any Packages means 0 packages rather than unknown.
 */
export function parseTrivyReport(json: string, listedAllPackages: boolean): ParseOutcome {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (err) {
    return { ok: false, error: `Trivy's output is not JSON (${(err as Error).message}): ${json.slice(0, 200)}` };
  }
  const results = resultsOf(doc);
  if (typeof results === 'string') return { ok: false, error: `not a Trivy JSON report: ${results}` };

  const findings: Finding[] = [];
  let os = 0;
  let npm = 0;
  let sawPackages = false;
  for (const r of results) {
    if (r === null || typeof r !== 'object') continue;
    if (Array.isArray(r.Packages)) {
      sawPackages = true;
      if (isOs(r)) os += r.Packages.length;
      else if (isNode(r)) npm += r.Packages.length;
    }
    for (const v of Array.isArray(r.Vulnerabilities) ? r.Vulnerabilities : []) {
      if (v === null || typeof v !== 'object') continue;
      findings.push({
        kind: 'vulnerability',
        id: text(v.VulnerabilityID),
        package: text(v.PkgName),
        version: text(v.InstalledVersion),
        fixed_version: text(v.FixedVersion),
        severity: normalizeSeverity(v.Severity),
        path: text(v.PkgPath),
      });
    }
  }
  const counted = sawPackages || listedAllPackages;
  return { ok: true, findings, packages_os: counted ? os : null, packages_npm: counted ? npm : null };
}

/** `trivy version --format json` ({ Version, VulnerabilityDB: { UpdatedAt } }), or the text form of old versions. */
export function parseTrivyVersion(output: string): ScannerVersion {
  try {
    const doc = JSON.parse(output) as { Version?: unknown; VulnerabilityDB?: { UpdatedAt?: unknown } | null };
    return { version: text(doc.Version), db_date: text(doc.VulnerabilityDB?.UpdatedAt) };
  } catch {
    const version = /^Version:\s*(\S+)/m.exec(output)?.[1] ?? '';
    const dbDate = /UpdatedAt:\s*(\S+(?: \S+)*)/.exec(output)?.[1] ?? '';
    return { version, db_date: dbDate };
  }
}
