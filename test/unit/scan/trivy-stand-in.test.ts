// The Trivy and Grype adapters against stand-in executables put first on PATH: they print reports in the
// documented formats and record the arguments they were given, so the test checks both what the adapters pass
// (the user's offline options, the image) and what they make of the output.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createScanner } from '../../../src/scan/create-scanner.ts';
import type { ImageSource } from '../../../src/scan/scanner.ts';
import { vulnCounts } from '../../../src/scan/severity.ts';

const dir = mkdtempSync(join(tmpdir(), 'stagebench-standin-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

// The adapters never ask the engine: the tools reach it themselves.
const noEngine: ImageSource = { saveImage: () => Promise.reject(new Error('the engine must not be used')) };

/** A folder holding one executable shell script named `name`, to put first on PATH. */
function standIn(name: string, script: string): string {
  const bin = mkdtempSync(join(dir, `bin-${name}-`));
  writeFileSync(join(bin, name), `#!/bin/sh\n${script}\n`);
  chmodSync(join(bin, name), 0o755);
  return bin;
}

const trivyReport = {
  SchemaVersion: 2,
  ArtifactName: 'stagebench-dev-scan-x:single',
  ArtifactType: 'container_image',
  Results: [
    {
      Target: 'stagebench-dev-scan-x:single (debian 12.5)', Class: 'os-pkgs', Type: 'debian',
      Packages: [{ Name: 'libssl3', Version: '3.0.11-1~deb12u2' }, { Name: 'bash', Version: '5.2.15-2+b2' }],
      Vulnerabilities: [{ VulnerabilityID: 'CVE-2024-0727', PkgName: 'libssl3', InstalledVersion: '3.0.11-1~deb12u2', FixedVersion: '3.0.13-1~deb12u1', Severity: 'MEDIUM' }],
    },
    { Target: 'Node.js', Class: 'lang-pkgs', Type: 'node-pkg', Packages: [{ Name: 'ip', Version: '2.0.0' }], Vulnerabilities: null },
  ],
};
const trivyVersion = { Version: '0.50.1', VulnerabilityDB: { Version: 2, UpdatedAt: '2024-04-20T06:00:00Z' } };

test('trivy: offline options passed through, report and database date read', async () => {
  const args = join(dir, 'trivy-args.txt');
  writeFileSync(join(dir, 'trivy-report.json'), JSON.stringify(trivyReport));
  writeFileSync(join(dir, 'trivy-version.json'), JSON.stringify(trivyVersion));
  const bin = standIn('trivy', [
    `echo "$*" >> '${args}'`,
    `case "$1" in version) cat '${join(dir, 'trivy-version.json')}' ;; image) cat '${join(dir, 'trivy-report.json')}' ;; *) exit 2 ;; esac`,
  ].join('\n'));
  const scanner = await createScanner('auto', {
    pathEnv: `${bin}:${process.env.PATH}`,
    trivyArgs: ['--skip-db-update', '--offline-scan', '--cache-dir', '/var/cache/trivy-offline'],
  });
  assert.is(scanner.name, 'trivy');
  assert.equal(await scanner.version(), { version: '0.50.1', db_date: '2024-04-20T06:00:00Z' });
  const r = await scanner.scan('stagebench-dev-scan-x:single', noEngine);
  assert.is(r.scanner, 'trivy');
  assert.is(r.db_date, '2024-04-20T06:00:00Z');
  assert.is(r.packages_os, 2);
  assert.is(r.packages_npm, 1);
  assert.is(r.findings.length, 1);
  assert.is(vulnCounts(r).vulns_medium, 1);
  const calls = readFileSync(args, 'utf8').trim().split('\n');
  assert.equal(calls, [
    'version --format json --cache-dir /var/cache/trivy-offline',
    'image --format json --quiet --list-all-pkgs --skip-db-update --offline-scan --cache-dir /var/cache/trivy-offline stagebench-dev-scan-x:single',
  ]);
});

test('trivy failing: the scan rejects with the reason, the command and what trivy printed', async () => {
  const bin = standIn('trivy', [
    `case "$1" in version) echo '${JSON.stringify(trivyVersion)}' ;; *) echo 'FATAL	init error: DB error: failed to download vulnerability DB' >&2; exit 1 ;; esac`,
  ].join('\n'));
  const scanner = await createScanner('trivy', { pathEnv: `${bin}:${process.env.PATH}` });
  try {
    await scanner.scan('stagebench-dev-scan-x:multi', noEngine);
    assert.unreachable('should have rejected');
  } catch (err) {
    const msg = (err as Error).message;
    assert.match(msg, /trivy could not scan stagebench-dev-scan-x:multi: exit code 1/);
    assert.match(msg, /command: .*trivy image --format json/);
    assert.match(msg, /failed to download vulnerability DB/);
  }
});

test('trivy printing something that is not a report: an error, not a clean image', async () => {
  const bin = standIn('trivy', `case "$1" in version) echo '{}' ;; *) echo 'Usage: trivy [command]' ;; esac`);
  const scanner = await createScanner('trivy', { pathEnv: `${bin}:${process.env.PATH}` });
  try {
    await scanner.scan('img', noEngine);
    assert.unreachable('should have rejected');
  } catch (err) {
    assert.match((err as Error).message, /not JSON/);
  }
});

test('grype: the docker: source, version and db status read, Negligible kept', async () => {
  const args = join(dir, 'grype-args.txt');
  const report = {
    matches: [
      { vulnerability: { id: 'CVE-2011-3374', severity: 'Negligible', fix: { versions: [], state: 'not-fixed' } }, artifact: { name: 'apt', version: '2.6.1', type: 'deb', locations: [{ path: '/var/lib/dpkg/status' }] } },
      { vulnerability: { id: 'GHSA-c2qf-rxjj-qqgw', severity: 'Medium', fix: { versions: ['7.5.2'], state: 'fixed' } }, artifact: { name: 'semver', version: '7.5.1', type: 'npm', locations: [{ path: '/app/node_modules/semver/package.json' }] } },
    ],
    descriptor: { name: 'grype', version: '0.74.0' },
  };
  writeFileSync(join(dir, 'grype-report.json'), JSON.stringify(report));
  const bin = standIn('grype', [
    `echo "$*" >> '${args}'`,
    'if [ "$1" = version ]; then echo \'{"application":"grype","version":"0.74.0"}\'; exit 0; fi',
    'if [ "$1" = db ]; then echo \'{"schemaVersion":"5","built":"2024-01-30T01:28:02Z","valid":true}\'; exit 0; fi',
    `cat '${join(dir, 'grype-report.json')}'`,
  ].join('\n'));
  const scanner = await createScanner('grype', { pathEnv: `${bin}:${process.env.PATH}`, grypeArgs: ['--only-fixed'] });
  const r = await scanner.scan('stagebench-dev-scan-x:single', noEngine);
  assert.equal([r.scanner, r.scanner_version, r.db_date], ['grype', '0.74.0', '2024-01-30T01:28:02Z']);
  assert.is(r.packages_os, null);
  const v = vulnCounts(r);
  assert.equal([v.vulns_medium, v.vulns_negligible, v.vulns_low], [1, 1, 0]);
  assert.match(readFileSync(args, 'utf8'), /-o json -q --only-fixed docker:stagebench-dev-scan-x:single/);
});

test.run();
