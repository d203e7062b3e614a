// Loading --vuln-db: a folder of OSV records (read recursively) or a zip of them, indexed by ecosystem and name.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError } from '../../../src/errors.ts';
import { loadOsvDatabase } from '../../../src/scan/builtin/osv-database.ts';
import { makeZip } from '../../fixtures/scan/zip.ts';

const dir = mkdtempSync(join(tmpdir(), 'stagebench-osv-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const records = [
  { id: 'GHSA-aaaa-bbbb-cccc', modified: '2024-03-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'semver' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '7.0.0' }, { fixed: '7.5.2' }] }] }] },
  { id: 'DEBIAN-CVE-2024-1', modified: '2024-05-02T12:00:00Z', affected: [{ package: { ecosystem: 'Debian:12', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.13-1~deb12u1' }] }] }] },
];

test('a folder, read recursively; the database date is the latest modified', async () => {
  const folder = join(dir, 'folder');
  mkdirSync(join(folder, 'npm'), { recursive: true });
  mkdirSync(join(folder, 'Debian'), { recursive: true });
  writeFileSync(join(folder, 'npm', `${records[0].id}.json`), JSON.stringify(records[0]));
  writeFileSync(join(folder, 'Debian', `${records[1].id}.json`), JSON.stringify(records[1]));
  writeFileSync(join(folder, 'README.txt'), 'not a record');
  const db = await loadOsvDatabase(folder);
  assert.is(db.advisories, 2);
  assert.is(db.dbDate, '2024-05-02T12:00:00Z');
  assert.equal(db.lookup('npm', 'semver').map((a) => a.id), ['GHSA-aaaa-bbbb-cccc']);
  assert.equal(db.lookup('Debian', 'openssl').map((a) => a.id), ['DEBIAN-CVE-2024-1']);
  assert.equal(db.lookup('npm', 'openssl'), []);
});

test('a zip like osv.dev\'s all.zip, with broken records skipped and counted', async () => {
  const file = join(dir, 'all.zip');
  writeFileSync(file, makeZip([
    ...records.map((r) => ({ name: `${r.id}.json`, data: JSON.stringify(r) })),
    { name: 'BROKEN-1.json', data: '{ "id": ' },
    { name: 'NOAFFECTED-1.json', data: JSON.stringify({ id: 'NOAFFECTED-1' }) },
  ]));
  const db = await loadOsvDatabase(file);
  assert.is(db.advisories, 2);
  assert.is(db.skipped.count, 2);
  assert.match(db.skipped.examples.join('\n'), /BROKEN-1\.json: not JSON/);
  assert.equal(db.lookup('npm', 'semver').map((a) => a.id), ['GHSA-aaaa-bbbb-cccc']);
});

test('a missing path, or one without a usable record, is a usage error naming --vuln-db', async () => {
  for (const bad of [join(dir, 'nope'), (() => { const e = join(dir, 'empty'); mkdirSync(e); return e; })()]) {
    try {
      await loadOsvDatabase(bad);
      assert.unreachable('should have thrown');
    } catch (err) {
      assert.instance(err, UsageError);
      assert.match((err as Error).message, /^--vuln-db /);
    }
  }
});

test.run();
