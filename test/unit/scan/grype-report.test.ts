// Grype JSON reports: matches with title-case severities onto the four columns, Negligible and Unknown kept
// and counted apart, fix versions, empty and null matches, and the version and database status commands.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseGrypeDbStatus, parseGrypeReport, parseGrypeVersion } from '../../../src/scan/grype-report.ts';
import { vulnCounts } from '../../../src/scan/severity.ts';
import type { ScanResult } from '../../../src/types.ts';

function match(id: string, severity: string, name: string, version: string, fixed: string[], path: string) {
  return {
    vulnerability: { id, dataSource: `https://example.invalid/${id}`, namespace: 'debian:distro:debian:12', severity, fix: { versions: fixed, state: fixed.length ? 'fixed' : 'not-fixed' } },
    relatedVulnerabilities: [],
    matchDetails: [{ type: 'exact-direct-match', matcher: 'dpkg-matcher' }],
    artifact: { id: 'abc', name, version, type: name === 'semver' ? 'npm' : 'deb', locations: [{ path, layerID: 'sha256:1' }], language: '', purl: '' },
  };
}

const report = {
  matches: [
    match('CVE-2023-4911', 'High', 'libc6', '2.36-9+deb12u1', ['2.36-9+deb12u3'], '/var/lib/dpkg/status'),
    match('CVE-2011-3374', 'Negligible', 'apt', '2.6.1', [], '/var/lib/dpkg/status'),
    match('CVE-2022-0563', 'Low', 'util-linux', '2.38.1-5+b1', [], '/var/lib/dpkg/status'),
    match('GHSA-c2qf-rxjj-qqgw', 'Medium', 'semver', '7.5.1', ['7.5.2'], '/app/node_modules/semver/package.json'),
    match('CVE-2024-0001', 'Critical', 'zlib1g', '1:1.2.13.dfsg-1', ['1:1.2.13.dfsg-2', '1:1.3-1'], '/var/lib/dpkg/status'),
    match('CVE-2024-0002', 'Unknown', 'perl-base', '5.36.0-7', [], '/var/lib/dpkg/status'),
  ],
  source: { type: 'image', target: { userInput: 'stagebench/express-api:single' } },
  distro: { name: 'debian', version: '12' },
  descriptor: { name: 'grype', version: '0.74.0', db: { built: '2024-01-30T01:28:02Z', schemaVersion: 5, location: '/root/.cache/grype/db/5' } },
};

test('matches become findings with package, version, fix versions and location', () => {
  const r = parseGrypeReport(JSON.stringify(report));
  if (!r.ok) throw new Error(r.error);
  assert.is(r.findings.length, 6);
  assert.equal(r.findings[0], {
    kind: 'vulnerability', id: 'CVE-2023-4911', package: 'libc6', version: '2.36-9+deb12u1',
    fixed_version: '2.36-9+deb12u3', severity: 'high', path: '/var/lib/dpkg/status',
  });
  assert.is(r.findings[4].fixed_version, '1:1.2.13.dfsg-2, 1:1.3-1');
  assert.is(r.findings[1].fixed_version, '');
  assert.is(r.db_date, '2024-01-30T01:28:02Z');
});

test('title-case severities map onto the four columns; Negligible and Unknown are counted apart', () => {
  const r = parseGrypeReport(JSON.stringify(report));
  if (!r.ok) throw new Error(r.error);
  const result: ScanResult = {
    scanner: 'grype', scanner_version: '0.74.0', db_date: '', vulns_checked: true, packages_os: null, packages_npm: null, findings: r.findings,
  };
  assert.equal(vulnCounts(result), {
    vulns_critical: 1, vulns_high: 1, vulns_medium: 1, vulns_low: 1, vulns_negligible: 1, vulns_unknown: 1,
  });
});

test('a clean image (matches empty, or null) has no findings', () => {
  const empty = parseGrypeReport(JSON.stringify({ ...report, matches: [] }));
  const nul = parseGrypeReport(JSON.stringify({ ...report, matches: null }));
  assert.ok(empty.ok && empty.findings.length === 0);
  assert.ok(nul.ok && nul.findings.length === 0);
});

test('the schema 6 database date sits under descriptor.db.status', () => {
  const r = parseGrypeReport(JSON.stringify({ ...report, descriptor: { name: 'grype', version: '0.92.2', db: { status: { schemaVersion: 'v6.0.2', built: '2025-06-08T04:14:57Z' } } } }));
  assert.ok(r.ok && r.db_date === '2025-06-08T04:14:57Z');
});

test('not a Grype report: a failure value', () => {
  const r = parseGrypeReport(JSON.stringify({ SchemaVersion: 2, Results: [] }));
  assert.is(r.ok, false);
  const t = parseGrypeReport('1 error occurred: failed to catalog');
  assert.is(t.ok, false);
});

test('grype version -o json and grype db status -o json', () => {
  assert.is(parseGrypeVersion(JSON.stringify({ application: 'grype', version: '0.92.2', supportedDbSchema: 6 })), '0.92.2');
  assert.is(parseGrypeDbStatus(JSON.stringify({ schemaVersion: 'v6.0.2', built: '2025-06-08T04:14:57Z', path: '/x', valid: true })), '2025-06-08T04:14:57Z');
  assert.is(parseGrypeDbStatus('Location:  /root/.cache/grype/db/5\nBuilt:     2024-01-30 01:28:02 +0000 UTC\nSchema:    5\n'), '2024-01-30 01:28:02 +0000 UTC');
});

test('without a database every count is unknown, not zero', () => {
  const r: ScanResult = { scanner: 'builtin', scanner_version: '0', db_date: '', vulns_checked: false, packages_os: 1, packages_npm: 1, findings: [] };
  assert.equal(Object.values(vulnCounts(r)), [null, null, null, null, null, null]);
});

test.run();
