// The built-in scanner on real images built by the engine: a node:20-slim stand-in with leaks planted in it, and
// the distroless stand-in (status.d packages, no shell), against an OSV database the test writes. The images are
// read through the engine's export stream only, never run.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connectEngine } from '../../../src/engine/connect.ts';
import type { DockerEngine } from '../../../src/engine/docker-engine.ts';
import { readImageContents } from '../../../src/scan/builtin/builtin-scanner.ts';
import { createScanner } from '../../../src/scan/create-scanner.ts';
import { vulnCounts } from '../../../src/scan/severity.ts';
import type { ScanResult } from '../../../src/types.ts';

const SLIM = 'stagebench-offline/node:20-slim';
const DISTROLESS = 'stagebench-offline/distroless-nodejs20-debian12:standin';
const TAG_SLIM = 'stagebench-dev-scan-slim:test';
const TAG_DISTROLESS = 'stagebench-dev-scan-distroless:test';
const LABELS = { 'org.stagebench.test': 'scan-builtin' };

const work = mkdtempSync(join(tmpdir(), 'stagebench-scan-it-'));
let engine: DockerEngine;

// The shape of a PEM block with made-up bytes: no real key.
const FAKE_KEY = `-----BEGIN PRIVATE KEY-----\n${'TUlJRXZRSUJBREFOQmdrcWhraUc5dzBCQVFFRkFBU0NCS2N3Z2dTakFnRUFBb0lC'}\n${'c3RhZ2ViZW5jaCB0ZXN0IGZpeHR1cmUsIG5vdCBhIHJlYWwga2V5IGF0IGFsbA=='}\n-----END PRIVATE KEY-----\n`;

function write(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}

async function build(context: string, tag: string): Promise<void> {
  await engine.removeImage(tag);
  const out = await engine.build({ contextDir: context, dockerfile: 'Dockerfile', tag, buildArgs: {}, builder: 'buildkit', labels: LABELS });
  if (out.ok) return;
  // BuildKit 20.10 can report a stale error on a FROM vertex that an earlier build shared (seen: "not found") while
  // this build completes; the tag, removed above, then exists again only because this build made it.
  if (await engine.inspectImage(tag)) {
    console.log(`  note: the engine reported "${out.error}" while building ${tag}, which it built all the same`);
    return;
  }
  throw new Error(`building ${tag} failed: ${out.error}\n${out.log.join('\n')}`);
}

// uvu reports a failing before hook as 0 passed tests and exits 0, so the setup runs in the first test that needs
// it, and its failure fails every test.
let setupDone: Promise<void> | undefined;
function setup(): Promise<void> {
  setupDone ??= buildImages();
  return setupDone;
}

async function buildImages(): Promise<void> {
  engine = await connectEngine();
  for (const base of [SLIM, DISTROLESS]) {
    if (!(await engine.inspectImage(base))) throw new Error(`${base} is missing: run 'npm run setup' to build the offline base images`);
  }
  const pkg = { 'node_modules/left-pad/package.json': '{"name":"left-pad","version":"1.1.0"}', 'node_modules/left-pad/index.js': 'module.exports = 1;\n' };
  write(join(work, 'slim'), {
    Dockerfile: `FROM ${SLIM}\nWORKDIR /app\nCOPY . .\nRUN rm /app/removed.env\n`,
    '.env': 'DATABASE_PASSWORD=not-a-real-one\n',
    'removed.env': 'deleted in a later layer\n',
    'certs/server.key': FAKE_KEY,
    '.npmrc': '//registry.example.invalid/:_authToken=npm_notARealTokenButLooksLikeOne\n',
    'node_modules/left-pad/index.js.map': '{"version":3}',
    'server.js': 'console.log("hi");\n',
    ...pkg,
  });
  write(join(work, 'distroless'), {
    Dockerfile: `FROM ${DISTROLESS}\nCOPY node_modules /app/node_modules\nUSER 65532\n`,
    ...pkg,
  });
  await build(join(work, 'slim'), TAG_SLIM);
  await build(join(work, 'distroless'), TAG_DISTROLESS);
}

test.after(async () => {
  await engine?.removeImage(TAG_SLIM);
  await engine?.removeImage(TAG_DISTROLESS);
  rmSync(work, { recursive: true, force: true });
});

/** An OSV folder with records made for the packages the images hold, on both sides of each boundary. */
async function writeDatabase(): Promise<string> {
  const contents = await readImageContents(await engine.saveImage(TAG_DISTROLESS), TAG_DISTROLESS, undefined);
  const libstdcxx = contents.os.find((p) => p.name === 'libstdc++6');
  if (!libstdcxx) throw new Error(`the distroless stand-in lists no libstdc++6 in status.d: ${contents.os.map((p) => p.name).join(', ')}`);
  const db = join(work, 'osv');
  const record = (id: string, ecosystem: string, name: string, extra: object) => ({
    id, modified: '2024-05-02T12:00:00Z', affected: [{ package: { ecosystem, name }, ...extra }],
  });
  write(db, {
    'npm/GHSA-test-0001.json': JSON.stringify({
      ...record('GHSA-test-0001', 'npm', 'left-pad', { ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.1.1' }] }] }),
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
    }),
    'npm/GHSA-test-0002.json': JSON.stringify(record('GHSA-test-0002', 'npm', 'left-pad', { versions: ['1.0.0', '1.1.1'] })),
    'Debian/DEBIAN-TEST-0001.json': JSON.stringify({
      ...record('DEBIAN-TEST-0001', 'Debian:12', libstdcxx.source, { ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: `${libstdcxx.sourceVersion}+stagebench1` }] }] }),
      database_specific: { severity: 'LOW' },
    }),
    'Debian/DEBIAN-TEST-0002.json': JSON.stringify(
      record('DEBIAN-TEST-0002', 'Debian:12', libstdcxx.source, { ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: libstdcxx.sourceVersion }] }] }),
    ),
  });
  return db;
}

function ids(r: ScanResult, kind: 'hygiene' | 'vulnerability'): string[] {
  return r.findings.filter((f) => f.kind === kind).map((f) => `${f.id}:${f.package}:${f.path}`);
}

test('slim-based image: packages, planted leaks, and the vulnerabilities of the database', async () => {
  await setup();
  const scanner = await createScanner('builtin', { vulnDb: await writeDatabase() });
  const t0 = performance.now();
  const r = await scanner.scan(TAG_SLIM, engine);
  const ms = performance.now() - t0;
  console.log(`  ${TAG_SLIM}: ${r.packages_os} OS packages, ${r.packages_npm} npm packages, ${r.findings.length} findings, ${ms.toFixed(0)} ms`);

  assert.ok((r.packages_os ?? 0) > 50, `OS packages: ${r.packages_os}`);
  // left-pad, plus npm's own bundled packages that come with the base image.
  assert.ok((r.packages_npm ?? 0) > 1);
  const hygiene = ids(r, 'hygiene');
  for (const expected of [
    'runs-as-root:root (no USER set):',
    'shell:sh:/usr/bin/sh',
    'package-manager:npm:/usr/local/bin/npm',
    'package-manager:dpkg:/usr/bin/dpkg',
    'private-key::/app/certs/server.key',
    'npmrc-token::/app/.npmrc',
    'env-file::/app/.env',
    'source-map::/app/node_modules/left-pad/index.js.map',
  ]) assert.ok(hygiene.includes(expected), `missing ${expected} in\n${hygiene.join('\n')}`);
  assert.not.ok(hygiene.some((h) => h.includes('removed.env')), 'a file removed by a later layer is not in the image');
  assert.not.match(JSON.stringify(r.findings), /npm_notARealToken/);

  assert.ok(r.vulns_checked);
  assert.is(r.db_date, '2024-05-02T12:00:00Z');
  const vulns = r.findings.filter((f) => f.kind === 'vulnerability');
  const leftPad = vulns.filter((f) => f.package === 'left-pad');
  assert.equal(leftPad.map((f) => [f.id, f.version, f.fixed_version, f.severity, f.path]), [
    ['GHSA-test-0001', '1.1.0', '1.1.1', 'critical', '/app/node_modules/left-pad/package.json'],
  ]);
  const debian = vulns.filter((f) => f.id.startsWith('DEBIAN-TEST'));
  assert.ok(debian.some((f) => f.package === 'libstdc++6' && f.id === 'DEBIAN-TEST-0001' && f.severity === 'low'), JSON.stringify(debian));
  assert.not.ok(debian.some((f) => f.id === 'DEBIAN-TEST-0002'), 'installed at the fixed version is not affected');
  assert.is(vulnCounts(r).vulns_critical, 1);
});

test('distroless stand-in: status.d packages, no shell or package manager, not root', async () => {
  await setup();
  const scanner = await createScanner('builtin', { vulnDb: await writeDatabase() });
  const r = await scanner.scan(TAG_DISTROLESS, engine);
  console.log(`  ${TAG_DISTROLESS}: ${r.packages_os} OS packages, ${r.packages_npm} npm packages, ${r.findings.length} findings`);
  assert.ok((r.packages_os ?? 0) >= 1);
  assert.is(r.packages_npm, 1);
  const hygiene = ids(r, 'hygiene');
  assert.not.ok(hygiene.some((h) => /^(shell|package-manager|compiler|build-tool|runs-as-root):/.test(h)), hygiene.join('\n'));
  const vulns = ids(r, 'vulnerability');
  assert.ok(vulns.includes('GHSA-test-0001:left-pad:/app/node_modules/left-pad/package.json'), vulns.join('\n'));
  assert.ok(vulns.some((v) => v.startsWith('DEBIAN-TEST-0001:libstdc++6:/var/lib/dpkg/status.d/')), vulns.join('\n'));
});

test('without a database: packages and hygiene, and vulnerabilities unknown rather than zero', async () => {
  await setup();
  const scanner = await createScanner('builtin', {});
  const r = await scanner.scan(TAG_DISTROLESS, engine);
  assert.is(r.vulns_checked, false);
  assert.is(vulnCounts(r).vulns_high, null);
  assert.is(r.findings.filter((f) => f.kind === 'vulnerability').length, 0);
  assert.is(r.packages_npm, 1);
});

test('an image the engine does not have: the scan rejects naming it', async () => {
  await setup();
  const scanner = await createScanner('builtin', {});
  try {
    await scanner.scan('stagebench-dev-scan-missing:none', engine);
    assert.unreachable('should have rejected');
  } catch (err) {
    assert.match((err as Error).message, /stagebench-dev-scan-missing:none/);
  }
});

test.run();
