// Whether an installed package version is affected by an OSV record, by the evaluation the OSV schema gives
// (events sorted by version; introduced opens, fixed and last_affected close; limit bounds), with semver order for
// npm and dpkg's order for Debian.
import semver from 'semver';
import type { Severity } from '../../types.ts';
import { compareDebianVersions } from './dpkg-version.ts';
import type { Advisory, OsvAffected, OsvEvent, OsvRange } from './osv-record.ts';

export type Ecosystem = 'npm' | 'Debian';

export interface PackageToMatch {
  ecosystem: Ecosystem;
  /** The name advisories use: the npm name, or the Debian source package. */
  name: string;
  /** The version advisories use: for Debian, the source package's version. */
  version: string;
}

export interface Match {
  id: string;
  severity: Severity;
  /** The first fixed version above the installed one, '' when none is known. */
  fixed: string;
}

type Compare = (a: string, b: string) => number;

function compareSemver(a: string, b: string): number {
  const pa = semver.parse(a);
  const pb = semver.parse(b);
  if (!pa || !pb) throw new Error(`not a semver version: ${!pa ? a : b}`);
  return pa.compare(pb);
}

export const COMPARE: Record<Ecosystem, Compare> = { npm: compareSemver, Debian: compareDebianVersions };

function eventVersion(e: OsvEvent): string {
  return e.introduced ?? e.fixed ?? e.last_affected ?? e.limit ?? '';
}

// "0" means "from the first version" and sorts before everything.
function compareEvents(cmp: Compare): (a: OsvEvent, b: OsvEvent) => number {
  return (a, b) => {
    const va = eventVersion(a);
    const vb = eventVersion(b);
    const za = a.introduced === '0';
    const zb = b.introduced === '0';
    if (za || zb) return za && zb ? 0 : za ? -1 : 1;
    return cmp(va, vb);
  };
}

/** Affected by one range: the fixed version to report, or undefined when not affected. */
export function rangeMatch(version: string, range: OsvRange, cmp: Compare): { fixed: string } | undefined {
  if (range.type !== 'SEMVER' && range.type !== 'ECOSYSTEM') return undefined;
  try {
    const events = [...range.events].sort(compareEvents(cmp));
    const limits = events.filter((e) => e.limit !== undefined);
    if (limits.length > 0 && !limits.some((e) => cmp(version, e.limit!) < 0)) return undefined;
    let affected = false;
    for (const e of events) {
      if (e.introduced !== undefined) {
        if (e.introduced === '0' || cmp(version, e.introduced) >= 0) affected = true;
      } else if (e.fixed !== undefined) {
        if (cmp(version, e.fixed) >= 0) affected = false;
      } else if (e.last_affected !== undefined) {
        if (cmp(version, e.last_affected) > 0) affected = false;
      }
    }
    if (!affected) return undefined;
    const fixed = events.find((e) => e.fixed !== undefined && cmp(e.fixed, version) > 0)?.fixed ?? '';
    return { fixed };
  } catch {
    // A version one side cannot order (a git hash in a SEMVER range, a non-semver npm version) matches nothing.
    return undefined;
  }
}

function ecosystemApplies(affected: string, pkg: PackageToMatch, debianRelease: string | undefined): boolean {
  if (pkg.ecosystem === 'npm') return affected === 'npm';
  if (affected === 'Debian') return true;
  if (!affected.startsWith('Debian:')) return false;
  // An image that does not say its release (no /etc/os-release) is matched against every release's records.
  return debianRelease === undefined || affected.slice('Debian:'.length) === debianRelease;
}

function affectedMatch(a: OsvAffected, pkg: PackageToMatch): { fixed: string } | undefined {
  const cmp = COMPARE[pkg.ecosystem];
  for (const r of a.ranges) {
    const m = rangeMatch(pkg.version, r, cmp);
    if (m) return m;
  }
  for (const v of a.versions) {
    try {
      if (v === pkg.version || cmp(v, pkg.version) === 0) return { fixed: '' };
    } catch {
      // an unorderable listed version can still match by its exact text above
    }
  }
  return undefined;
}

/** The record's match for a package, or undefined. One match per record even when several entries apply. */
export function matchAdvisory(adv: Advisory, pkg: PackageToMatch, debianRelease?: string): Match | undefined {
  for (const a of adv.affected) {
    if (a.name !== pkg.name || !ecosystemApplies(a.ecosystem, pkg, debianRelease)) continue;
    const m = affectedMatch(a, pkg);
    if (m) return { id: adv.id, severity: a.severity || adv.severity, fixed: m.fixed };
  }
  return undefined;
}
