// What the built-in scanner holds in memory is bounded (issue 13): a --vuln-db zip whose entry inflates far past an
// OSV record is skipped unread; kept files are capped per file and in total per image.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { keepsContent } from '../../../src/scan/builtin/image-paths.ts';
import { indexLayer } from '../../../src/scan/builtin/layer-index.ts';
import { loadOsvDatabase, RECORD_MAX_BYTES } from '../../../src/scan/builtin/osv-database.ts';
import { layerTar } from '../../fixtures/scan/saved-image.ts';
import { makeZip } from '../../fixtures/scan/zip.ts';

const dir = mkdtempSync(join(tmpdir(), 'stagebench-test-memcaps-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const record = { id: 'GHSA-aaaa-bbbb-cccc', modified: '2024-03-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'semver' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '7.0.0' }, { fixed: '7.5.2' }] }] }] };

test('a zip entry that inflates past an OSV record is skipped unread and counted; the rest loads', async () => {
  const file = join(dir, 'bomb.zip');
  // A few kilobytes compressed, more than the cap inflated.
  writeFileSync(file, makeZip([{ name: 'BOMB.json', data: Buffer.alloc(RECORD_MAX_BYTES + 1024, 0x20) }, { name: `${record.id}.json`, data: JSON.stringify(record) }]));
  const db = await loadOsvDatabase(file);
  assert.is(db.advisories, 1);
  assert.is(db.skipped.count, 1);
  assert.match(db.skipped.examples[0], /BOMB\.json: \d+ bytes, more than an OSV record/);
});

test('kept files: dpkg status up to 32 MiB, a package.json or passwd only up to 1 MiB', () => {
  assert.ok(keepsContent('var/lib/dpkg/status', 20 * 1024 * 1024));
  assert.not.ok(keepsContent('app/node_modules/x/package.json', 20 * 1024 * 1024));
  assert.not.ok(keepsContent('etc/passwd', 2 * 1024 * 1024));
  assert.ok(keepsContent('app/node_modules/x/package.json', 4096));
});

test('an image whose kept files pass the total budget fails its scan with that said', async () => {
  const tar = await layerTar([
    { name: 'a/node_modules/x/package.json', content: '{"name":"x","version":"1.0.0"}'.padEnd(900_000) },
    { name: 'a/node_modules/y/package.json', content: '{"name":"y","version":"1.0.0"}'.padEnd(900_000) },
  ]);
  await indexLayer(Readable.from([tar]), { left: 1_000_000 }).then(
    () => assert.unreachable('kept past the budget'),
    (err: Error) => assert.match(err.message, /passes \d+ MiB at a\/node_modules\/y\/package\.json.*trivy or grype/),
  );
});

test.run();
