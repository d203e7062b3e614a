// findings.csv rows and the on-screen scan table, from scan results.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FINDINGS_CSV_COLUMNS, findingsRows } from '../../../src/scan/findings-rows.ts';
import { scanTable } from '../../../src/scan/scan-table.ts';
import type { CountedFinding } from '../../../src/scan/scanner.ts';
import { FINDING_COLUMNS, type Finding, type ScanResult } from '../../../src/types.ts';

function hyg(id: string, pkg: string, path: string, count?: number): CountedFinding {
  return { kind: 'hygiene', id, package: pkg, version: '', fixed_version: '', severity: '', path, ...(count ? { count } : {}) };
}
function vuln(id: string, pkg: string, version: string, severity: Finding['severity'], fixed = ''): Finding {
  return { kind: 'vulnerability', id, package: pkg, version, fixed_version: fixed, severity, path: `/app/node_modules/${pkg}/package.json` };
}
function result(findings: Finding[], checked = true, os = 100, npm = 50): ScanResult {
  return { scanner: 'builtin', scanner_version: '0.1.0', db_date: '2024-05-02T12:00:00Z', vulns_checked: checked, packages_os: os, packages_npm: npm, findings };
}

const single = result([
  hyg('shell', 'bash', '/usr/bin/bash'),
  hyg('compiler', 'gcc', '/usr/bin/gcc'),
  hyg('source-map', '', '/app/node_modules', 120),
  vuln('GHSA-1', 'semver', '7.5.1', 'medium', '7.5.2'),
  vuln('GHSA-2', 'lodash', '4.17.20', 'high', '4.17.21'),
  vuln('CVE-3', 'apt', '2.6.1', 'negligible'),
], true, 400, 300);
const multi = result([
  hyg('shell', 'bash', '/bin/bash'),
  hyg('source-map', '', '/app/dist/a.js.map'),
  hyg('source-map', '', '/app/dist/b.js.map'),
  vuln('GHSA-1', 'semver', '7.5.1', 'medium', '7.5.2'),
], true, 90, 60);
const distroless = result([vuln('GHSA-1', 'semver', '7.5.1', 'medium', '7.5.2')], true, 10, 60);

test('findings rows: the required columns in order, then count', () => {
  assert.equal(FINDINGS_CSV_COLUMNS.slice(0, FINDING_COLUMNS.length), [...FINDING_COLUMNS]);
  const rows = findingsRows('express-api', 'single', single);
  assert.is(rows.length, 6);
  assert.equal(rows[2], {
    scenario: 'express-api', variant: 'single', scanner: 'builtin', kind: 'hygiene', id: 'source-map', package: '',
    version: '', fixed_version: '', severity: '', path: '/app/node_modules', count: 120,
  });
  assert.is(rows[3].count, 1);
  assert.is(rows[3].fixed_version, '7.5.2');
});

test('the table: counts per variant, and what single has that the others do not', () => {
  const text = scanTable([
    { scenario: 'express-api', variant: 'single', result: single, duration_ms: 15034.2 },
    { scenario: 'express-api', variant: 'multi', result: multi, duration_ms: 4694 },
    { scenario: 'express-api', variant: 'distroless', result: distroless, duration_ms: 1897 },
  ]);
  const lines = text.split('\n');
  assert.match(lines[0], /^express-api\s+\(builtin 0\.1\.0, database 2024-05-02T12:00:00Z\)/);
  assert.match(lines[1], /variant\s+os pkgs\s+npm pkgs\s+hygiene\s+critical\s+high\s+medium\s+low\s+other\s+scan ms/);
  assert.match(lines[2], /single\s+400\s+300\s+3\s+0\s+1\s+1\s+0\s+1\s+15034/);
  assert.match(lines[3], /multi\s+90\s+60\s+2\s+0\s+0\s+1\s+0\s+0\s+4694/);
  assert.match(text, /single has 3 that multi does not, 5 that distroless does not; 3 in no other variant:/);
  assert.match(text, /compiler\s+gcc/);
  assert.not.match(text, /source-map/);
  assert.match(text, /GHSA-2\s+lodash 4\.17\.20\s+high\s+fixed in 4\.17\.21/);
  assert.not.match(text, /GHSA-1/);
});

test('a counted finding shows how many files it stands for', () => {
  const text = scanTable([
    { scenario: 's', variant: 'single', result: result([hyg('source-map', '', '/app', 204)]) },
    { scenario: 's', variant: 'distroless', result: result([]) },
  ]);
  assert.match(text, /hygiene\s+source-map\s+\/app\s+\(204 files\)/);
});

test('without a database the vulnerability cells read "-" and the table says why', () => {
  const text = scanTable([{ scenario: 's', variant: 'multi', result: result([hyg('shell', 'sh', '/bin/sh')], false) }]);
  assert.match(text, /multi\s+100\s+50\s+1\s+-\s+-\s+-\s+-\s+-/);
  assert.match(text, /not checked/);
  assert.not.match(text, /scan ms/);
});

test('several scenarios each get a section; the last scan of a variant counts', () => {
  const text = scanTable([
    { scenario: 'a', variant: 'single', result: result([], true, 1, 1) },
    { scenario: 'b', variant: 'single', result: result([], true, 2, 2) },
    { scenario: 'a', variant: 'single', result: result([], true, 3, 3) },
  ]);
  const sections = text.trim().split('\n\n');
  assert.is(sections.length, 2);
  assert.match(sections[0], /single\s+3\s+3/);
});

test.run();
