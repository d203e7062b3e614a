// OSV range matching: SEMVER for npm, ECOSYSTEM with Debian's order, introduced/fixed/last_affected/limit
// events, versions lists, ecosystems with a release, and the record's severity.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { COMPARE, matchAdvisory, rangeMatch } from '../../../src/scan/builtin/osv-match.ts';
import { parseOsvRecord, type Advisory } from '../../../src/scan/builtin/osv-record.ts';

function advisory(doc: unknown): Advisory {
  const a = parseOsvRecord(doc);
  if (typeof a === 'string') throw new Error(a);
  return a;
}

const semver = COMPARE.npm;
const deb = COMPARE.Debian;

test('introduced 0 and fixed: affected below the fix, not at or above it', () => {
  const r = { type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] };
  assert.equal(rangeMatch('4.17.20', r, semver), { fixed: '4.17.21' });
  assert.equal(rangeMatch('1.0.0', r, semver), { fixed: '4.17.21' });
  assert.is(rangeMatch('4.17.21', r, semver), undefined);
  assert.is(rangeMatch('5.0.0', r, semver), undefined);
});

test('several introduced/fixed pairs in one range, in any order', () => {
  const r = { type: 'SEMVER', events: [{ fixed: '7.5.2' }, { introduced: '7.0.0' }, { fixed: '6.3.1' }, { introduced: '6.0.0' }, { fixed: '5.7.2' }, { introduced: '0' }] };
  assert.equal(rangeMatch('5.7.1', r, semver), { fixed: '5.7.2' });
  assert.is(rangeMatch('5.7.2', r, semver), undefined);
  assert.equal(rangeMatch('6.3.0', r, semver), { fixed: '6.3.1' });
  assert.is(rangeMatch('6.3.1', r, semver), undefined);
  assert.equal(rangeMatch('7.5.1', r, semver), { fixed: '7.5.2' });
  assert.is(rangeMatch('7.5.2', r, semver), undefined);
});

test('last_affected is inclusive; limit bounds the range; prereleases order before their release', () => {
  const last = { type: 'ECOSYSTEM', events: [{ introduced: '1.0.0' }, { last_affected: '1.4.0' }] };
  assert.equal(rangeMatch('1.4.0', last, semver), { fixed: '' });
  assert.is(rangeMatch('1.4.1', last, semver), undefined);
  assert.is(rangeMatch('0.9.9', last, semver), undefined);
  const limited = { type: 'SEMVER', events: [{ introduced: '0' }, { limit: '2.0.0' }] };
  assert.ok(rangeMatch('1.9.9', limited, semver));
  assert.is(rangeMatch('2.0.0', limited, semver), undefined);
  const pre = { type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] };
  assert.ok(rangeMatch('2.0.0-rc.1', pre, semver));
});

test('GIT ranges and unorderable versions match nothing', () => {
  assert.is(rangeMatch('1.0.0', { type: 'GIT', events: [{ introduced: '0' }, { fixed: 'abc123' }] }, semver), undefined);
  assert.is(rangeMatch('not-a-version', { type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }, semver), undefined);
});

test('Debian ranges use dpkg order: ~ before the release, epochs first', () => {
  const r = { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.13-1~deb12u1' }] };
  assert.equal(rangeMatch('3.0.11-1~deb12u2', r, deb), { fixed: '3.0.13-1~deb12u1' });
  assert.is(rangeMatch('3.0.13-1~deb12u1', r, deb), undefined);
  assert.is(rangeMatch('3.0.13-1', r, deb), undefined);
  const epoch = { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1:1.2.13.dfsg-2' }] };
  assert.ok(rangeMatch('1:1.2.13.dfsg-1', epoch, deb));
  assert.is(rangeMatch('1:1.3.dfsg-1', epoch, deb), undefined);
  // A plain semver comparison would call 2.36-9+deb12u10 older than 2.36-9+deb12u4.
  const glibc = { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.36-9+deb12u7' }] };
  assert.ok(rangeMatch('2.36-9+deb12u4', glibc, deb));
  assert.is(rangeMatch('2.36-9+deb12u10', glibc, deb), undefined);
});

const GHSA = {
  schema_version: '1.4.0',
  id: 'GHSA-35jh-r3h4-6jhm',
  modified: '2024-02-20T10:00:00Z',
  aliases: ['CVE-2021-23337'],
  summary: 'Command Injection in lodash',
  affected: [
    {
      package: { ecosystem: 'npm', name: 'lodash', purl: 'pkg:npm/lodash' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }],
      database_specific: { source: 'https://example.invalid' },
    },
  ],
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' }],
  database_specific: { severity: 'HIGH', github_reviewed: true },
};

test('an npm record matches by name and version, with severity from its CVSS vector', () => {
  const a = advisory(GHSA);
  assert.equal(matchAdvisory(a, { ecosystem: 'npm', name: 'lodash', version: '4.17.20' }), { id: 'GHSA-35jh-r3h4-6jhm', severity: 'high', fixed: '4.17.21' });
  assert.is(matchAdvisory(a, { ecosystem: 'npm', name: 'lodash', version: '4.17.21' }), undefined);
  assert.is(matchAdvisory(a, { ecosystem: 'npm', name: 'lodash-es', version: '4.17.20' }), undefined);
  assert.is(matchAdvisory(a, { ecosystem: 'Debian', name: 'lodash', version: '4.17.20' }), undefined);
});

test('a versions list matches exactly the versions it names', () => {
  const a = advisory({ id: 'MAL-2024-1', affected: [{ package: { ecosystem: 'npm', name: 'evil-pkg' }, versions: ['1.0.1', '1.0.3'] }] });
  assert.ok(matchAdvisory(a, { ecosystem: 'npm', name: 'evil-pkg', version: '1.0.3' }));
  assert.is(matchAdvisory(a, { ecosystem: 'npm', name: 'evil-pkg', version: '1.0.2' }), undefined);
  assert.is(a.severity, 'unknown');
});

test('Debian:12 records apply to a Debian 12 image only; plain Debian and an unknown release match all', () => {
  const a = advisory({
    id: 'DEBIAN-CVE-2024-0727',
    affected: [
      { package: { ecosystem: 'Debian:11', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.1.1w-0+deb11u2' }] }] },
      { package: { ecosystem: 'Debian:12', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.13-1~deb12u1' }] }] },
    ],
  });
  const pkg = { ecosystem: 'Debian' as const, name: 'openssl', version: '3.0.11-1~deb12u2' };
  assert.equal(matchAdvisory(a, pkg, '12')?.fixed, '3.0.13-1~deb12u1');
  assert.is(matchAdvisory(a, pkg, '13'), undefined);
  assert.equal(matchAdvisory(a, pkg)?.fixed, '3.0.13-1~deb12u1');
  const any = advisory({ id: 'DSA-0000-1', affected: [{ package: { ecosystem: 'Debian', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.13-1' }] }] }] });
  assert.ok(matchAdvisory(any, pkg, '12'));
});

test('severity: the highest CVSS v3 rating, else database_specific.severity (MODERATE is medium), else unknown', () => {
  assert.is(advisory({ ...GHSA, severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N' }, { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }] }).severity, 'critical');
  assert.is(advisory({ ...GHSA, severity: undefined, database_specific: { severity: 'MODERATE' } }).severity, 'medium');
  assert.is(advisory({ ...GHSA, severity: [{ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N' }], database_specific: { severity: 'LOW' } }).severity, 'low');
  assert.is(advisory({ ...GHSA, severity: undefined, database_specific: undefined }).severity, 'unknown');
});

test('records that cannot be used say why', () => {
  assert.match(String(parseOsvRecord({ summary: 'x' })), /no "id"/);
  assert.match(String(parseOsvRecord({ id: 'X-1' })), /no "affected"/);
  assert.match(String(parseOsvRecord({ id: 'X-2', affected: [], withdrawn: '2024-01-01T00:00:00Z' })), /withdrawn/);
});

test.run();
