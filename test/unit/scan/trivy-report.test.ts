// Trivy JSON reports as Trivy writes them: SchemaVersion 2 with Results, Packages from --list-all-pkgs,
// Vulnerabilities null or absent, Results absent on a clean image, and the bare array of versions before 0.20.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseTrivyReport, parseTrivyVersion } from '../../../src/scan/trivy-report.ts';

const v2Report = {
  SchemaVersion: 2,
  ArtifactName: 'stagebench/express-api:single',
  ArtifactType: 'container_image',
  Metadata: { OS: { Family: 'debian', Name: '12.5' } },
  Results: [
    {
      Target: 'stagebench/express-api:single (debian 12.5)',
      Class: 'os-pkgs',
      Type: 'debian',
      Packages: [
        { ID: 'libssl3@3.0.11-1~deb12u2', Name: 'libssl3', Version: '3.0.11-1~deb12u2', SrcName: 'openssl' },
        { ID: 'zlib1g@1:1.2.13.dfsg-1', Name: 'zlib1g', Version: '1:1.2.13.dfsg-1' },
        { ID: 'bash@5.2.15-2+b2', Name: 'bash', Version: '5.2.15-2+b2' },
      ],
      Vulnerabilities: [
        {
          VulnerabilityID: 'CVE-2024-0727',
          PkgID: 'libssl3@3.0.11-1~deb12u2',
          PkgName: 'libssl3',
          InstalledVersion: '3.0.11-1~deb12u2',
          FixedVersion: '3.0.13-1~deb12u1',
          Status: 'fixed',
          Severity: 'MEDIUM',
        },
        {
          VulnerabilityID: 'CVE-2023-45853',
          PkgName: 'zlib1g',
          InstalledVersion: '1:1.2.13.dfsg-1',
          Status: 'will_not_fix',
          Severity: 'CRITICAL',
        },
      ],
    },
    {
      Target: 'Node.js',
      Class: 'lang-pkgs',
      Type: 'node-pkg',
      Packages: [
        { Name: 'express', Version: '4.18.2', FilePath: 'app/node_modules/express/package.json' },
        { Name: 'ip', Version: '2.0.0', FilePath: 'usr/local/lib/node_modules/npm/node_modules/ip/package.json' },
      ],
      Vulnerabilities: [
        {
          VulnerabilityID: 'CVE-2023-42282',
          PkgName: 'ip',
          PkgPath: 'usr/local/lib/node_modules/npm/node_modules/ip/package.json',
          InstalledVersion: '2.0.0',
          FixedVersion: '2.0.1, 1.1.9',
          Severity: 'LOW',
        },
        { VulnerabilityID: 'GHSA-xxxx-yyyy-zzzz', PkgName: 'express', InstalledVersion: '4.18.2', Severity: 'UNKNOWN' },
      ],
    },
    { Target: 'app/package-lock.json', Class: 'lang-pkgs', Type: 'npm', Vulnerabilities: null },
  ],
};

test('SchemaVersion 2: every vulnerability of every result, with fixed version and package path', () => {
  const r = parseTrivyReport(JSON.stringify(v2Report), true);
  if (!r.ok) throw new Error(r.error);
  assert.is(r.findings.length, 4);
  assert.equal(r.findings[0], {
    kind: 'vulnerability', id: 'CVE-2024-0727', package: 'libssl3', version: '3.0.11-1~deb12u2',
    fixed_version: '3.0.13-1~deb12u1', severity: 'medium', path: '',
  });
  assert.is(r.findings[1].fixed_version, '');
  assert.is(r.findings[1].severity, 'critical');
  assert.is(r.findings[2].path, 'usr/local/lib/node_modules/npm/node_modules/ip/package.json');
  assert.is(r.findings[2].severity, 'low');
  assert.is(r.findings[3].severity, 'unknown');
});

test('Packages from --list-all-pkgs: OS packages and Node packages counted apart', () => {
  const r = parseTrivyReport(JSON.stringify(v2Report), true);
  if (!r.ok) throw new Error(r.error);
  assert.is(r.packages_os, 3);
  assert.is(r.packages_npm, 2);
});

test('no Packages anywhere: counts are unknown unless all packages were asked for', () => {
  const noPkgs = { ...v2Report, Results: v2Report.Results.map(({ Packages: _p, ...rest }) => rest) };
  const asked = parseTrivyReport(JSON.stringify(noPkgs), true);
  const notAsked = parseTrivyReport(JSON.stringify(noPkgs), false);
  if (!asked.ok || !notAsked.ok) throw new Error('parse failed');
  assert.is(asked.packages_os, 0);
  assert.is(notAsked.packages_os, null);
  assert.is(notAsked.packages_npm, null);
  assert.is(notAsked.findings.length, 4);
});

test('Vulnerabilities null and absent: no findings, no error', () => {
  const doc = {
    SchemaVersion: 2,
    Results: [
      { Target: 'x (debian 12.5)', Class: 'os-pkgs', Type: 'debian', Vulnerabilities: null, Packages: [{ Name: 'a', Version: '1' }] },
      { Target: 'Node.js', Class: 'lang-pkgs', Type: 'node-pkg' },
    ],
  };
  const r = parseTrivyReport(JSON.stringify(doc), true);
  if (!r.ok) throw new Error(r.error);
  assert.equal(r.findings, []);
  assert.is(r.packages_os, 1);
  assert.is(r.packages_npm, 0);
});

test('Results absent (a clean image): an empty result', () => {
  const r = parseTrivyReport(JSON.stringify({ SchemaVersion: 2, ArtifactName: 'scratch-app', ArtifactType: 'container_image' }), true);
  if (!r.ok) throw new Error(r.error);
  assert.equal(r.findings, []);
  assert.is(r.packages_os, 0);
});

test('the bare array of Trivy before 0.20: results without Class, told apart by Type', () => {
  const old = [
    { Target: 'php-app/composer.lock', Vulnerabilities: null },
    {
      Target: 'trivy-ci-test (alpine 3.7.1)',
      Type: 'alpine',
      Vulnerabilities: [
        { VulnerabilityID: 'CVE-2018-16840', PkgName: 'curl', InstalledVersion: '7.61.0-r0', FixedVersion: '7.61.1-r1', Severity: 'HIGH' },
      ],
    },
  ];
  const r = parseTrivyReport(JSON.stringify(old), false);
  if (!r.ok) throw new Error(r.error);
  assert.is(r.findings.length, 1);
  assert.is(r.findings[0].id, 'CVE-2018-16840');
  assert.is(r.findings[0].severity, 'high');
  assert.is(r.packages_os, null);
});

test('not a report: a failure value that says why, never an empty success', () => {
  const notJson = parseTrivyReport('FATAL image scan error', true);
  assert.is(notJson.ok, false);
  if (!notJson.ok) assert.match(notJson.error, /not JSON/);
  const other = parseTrivyReport(JSON.stringify({ matches: [] }), true);
  assert.is(other.ok, false);
  if (!other.ok) assert.match(other.error, /neither SchemaVersion nor Results/);
});

test('trivy version --format json: version and the database date', () => {
  const v = parseTrivyVersion(JSON.stringify({
    Version: '0.50.1',
    VulnerabilityDB: { Version: 2, NextUpdate: '2024-04-20T12:00:00Z', UpdatedAt: '2024-04-20T06:00:00Z', DownloadedAt: '2024-04-20T07:00:00Z' },
  }));
  assert.equal(v, { version: '0.50.1', db_date: '2024-04-20T06:00:00Z' });
  assert.equal(parseTrivyVersion(JSON.stringify({ Version: '0.50.1' })), { version: '0.50.1', db_date: '' });
});

test('trivy --version text of old versions', () => {
  const v = parseTrivyVersion('Version: 0.18.3\nVulnerability DB:\n  Type: Full\n  Version: 1\n  UpdatedAt: 2021-05-21 06:05:39 +0000 UTC\n');
  assert.is(v.version, '0.18.3');
  assert.is(v.db_date, '2021-05-21 06:05:39 +0000 UTC');
});

test.run();
