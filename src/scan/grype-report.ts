// Grype's JSON output read into findings (pure; grype.ts runs the tool). Grype writes title-case severities
// (Critical ... Low, Negligible, Unknown); the last two are kept as their own severities and counted apart.
import type { Finding } from '../types.ts';
import { normalizeSeverity } from './severity.ts';

export type GrypeOutcome = { ok: true; findings: Finding[]; db_date: string } | { ok: false; error: string };

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** The database build time a report carries: descriptor.db.built (schema 5) or descriptor.db.status.built (6). */
function reportDbDate(doc: Obj): string {
  const db = obj(obj(doc.descriptor).db);
  return text(db.built) || text(obj(db.status).built);
}

/** Reads a Grype JSON report. Grype lists matches only, never all packages, so package counts stay unknown. */
export function parseGrypeReport(json: string): GrypeOutcome {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (err) {
    return { ok: false, error: `Grype's output is not JSON (${(err as Error).message}): ${json.slice(0, 200)}` };
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return { ok: false, error: 'not a Grype JSON report: expected an object with "matches"' };
  }
  const report = doc as Obj;
  if (!('matches' in report) && !('descriptor' in report)) {
    return { ok: false, error: 'not a Grype JSON report: it has neither "matches" nor "descriptor"' };
  }
  const matches = Array.isArray(report.matches) ? report.matches : [];
  const findings: Finding[] = [];
  for (const m of matches) {
    const vuln = obj(obj(m).vulnerability);
    const artifact = obj(obj(m).artifact);
    const fix = obj(vuln.fix);
    const versions = Array.isArray(fix.versions) ? fix.versions.filter((v): v is string => typeof v === 'string') : [];
    const locations = Array.isArray(artifact.locations) ? artifact.locations : [];
    findings.push({
      kind: 'vulnerability',
      id: text(vuln.id),
      package: text(artifact.name),
      version: text(artifact.version),
      fixed_version: versions.join(', '),
      severity: normalizeSeverity(vuln.severity),
      path: text(obj(locations[0]).path),
    });
  }
  return { ok: true, findings, db_date: reportDbDate(report) };
}

/** `grype version -o json` ({ application, version, ... }). */
export function parseGrypeVersion(output: string): string {
  try {
    return text(obj(JSON.parse(output)).version);
  } catch {
    return /^Version:\s*(\S+)/m.exec(output)?.[1] ?? '';
  }
}

/** `grype db status -o json` ({ schemaVersion, built, path, valid }). */
export function parseGrypeDbStatus(output: string): string {
  try {
    return text(obj(JSON.parse(output)).built);
  } catch {
    return /^Built:\s*(.+)$/m.exec(output)?.[1]?.trim() ?? '';
  }
}
