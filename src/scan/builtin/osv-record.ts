// One OSV record (the JSON format osv.dev publishes, https://ossf.github.io/osv-schema/) reduced to what matching
// needs: the affected packages with their ranges and versions, and one severity for the record.
import type { Severity } from '../../types.ts';
import { normalizeSeverity } from '../severity.ts';
import { cvss3BaseScore, cvssRating } from './cvss.ts';

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  /** SEMVER, ECOSYSTEM or GIT (GIT ranges name commits and are not matched). */
  type: string;
  events: OsvEvent[];
}

export interface OsvAffected {
  /** "npm", "Debian", "Debian:12", ... */
  ecosystem: string;
  name: string;
  ranges: OsvRange[];
  versions: string[];
  /** A severity given for this package alone; '' when the record's applies. */
  severity: Severity | '';
}

export interface Advisory {
  id: string;
  modified: string;
  severity: Severity;
  affected: OsvAffected[];
}

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

const RANK: Record<Severity, number> = { critical: 5, high: 4, medium: 3, low: 2, negligible: 1, unknown: 0 };

/** The highest rating among CVSS v3 vectors in an OSV `severity` list; '' when there is none we can score. */
function fromCvss(entries: unknown): Severity | '' {
  let best: Severity | '' = '';
  for (const e of list(entries)) {
    const { type, score } = obj(e);
    if (type !== 'CVSS_V3' || typeof score !== 'string') continue;
    const base = cvss3BaseScore(score);
    if (base === undefined) continue;
    const rating = cvssRating(base);
    const sev: Severity = rating === 'none' ? 'negligible' : rating;
    if (best === '' || RANK[sev] > RANK[best]) best = sev;
  }
  return best;
}

// GitHub writes database_specific.severity (LOW, MODERATE, HIGH, CRITICAL); some databases write it per package.
function fromWord(...holders: unknown[]): Severity | '' {
  for (const h of holders) {
    const word = obj(h).severity;
    if (typeof word === 'string' && normalizeSeverity(word) !== 'unknown') return normalizeSeverity(word);
  }
  return '';
}

function parseEvent(e: unknown): OsvEvent | undefined {
  const o = obj(e);
  for (const key of ['introduced', 'fixed', 'last_affected', 'limit'] as const) {
    if (typeof o[key] === 'string') return { [key]: o[key] };
  }
  return undefined;
}

/** A parsed record, or why it cannot be used (not OSV, withdrawn). */
export function parseOsvRecord(doc: unknown): Advisory | string {
  const o = obj(doc);
  const id = str(o.id);
  if (!id) return 'no "id"';
  if (!Array.isArray(o.affected)) return `${id}: no "affected" list`;
  if (str(o.withdrawn)) return `${id}: withdrawn`;
  const recordSeverity = fromCvss(o.severity) || fromWord(o.database_specific);
  const affected: OsvAffected[] = [];
  for (const a of o.affected) {
    const ao = obj(a);
    const pkg = obj(ao.package);
    const ecosystem = str(pkg.ecosystem);
    const name = str(pkg.name);
    if (!ecosystem || !name) continue;
    const ranges: OsvRange[] = list(ao.ranges).map((r) => ({
      type: str(obj(r).type),
      events: list(obj(r).events).map(parseEvent).filter((e): e is OsvEvent => e !== undefined),
    }));
    const versions = list(ao.versions).filter((v): v is string => typeof v === 'string');
    const severity = fromCvss(ao.severity) || fromWord(ao.database_specific, ao.ecosystem_specific);
    affected.push({ ecosystem, name, ranges, versions, severity });
  }
  return { id, modified: str(o.modified), severity: recordSeverity || 'unknown', affected };
}
