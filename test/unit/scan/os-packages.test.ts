// OS package databases (dpkg status, distroless status.d, apk installed), os-release, and npm package.json files.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FileTree } from '../../../src/scan/builtin/file-tree.ts';
import type { LayerEntry } from '../../../src/scan/builtin/layer-index.ts';
import { npmOwner, npmPackages } from '../../../src/scan/builtin/npm-packages.ts';
import { osPackages, osRelease, parseApkInstalled, parseDpkgStatus } from '../../../src/scan/builtin/os-packages.ts';

function tree(files: Record<string, string>): FileTree {
  const entries: LayerEntry[] = Object.entries(files).map(([path, text]) => ({
    path, type: 'file', size: text.length, mode: 0o644, linkname: '', content: Buffer.from(text),
  }));
  return FileTree.fromLayers([{ entries, whiteouts: [], opaqueDirs: [] }]);
}

const STATUS = `Package: libssl3
Status: install ok installed
Priority: optional
Architecture: amd64
Multi-Arch: same
Source: openssl
Version: 3.0.11-1~deb12u2
Description: Secure Sockets Layer toolkit - shared libraries
 This package is part of the OpenSSL project's implementation.

Package: libgcc-s1
Status: install ok installed
Architecture: amd64
Source: gcc-12 (12.2.0-14)
Version: 12.2.0-14
Description: GCC support library

Package: removed-pkg
Status: deinstall ok config-files
Version: 1.0-1

Package: libc6
Status: install ok installed
Source: glibc
Version: 2.36-9+deb12u4
Description: GNU C Library
`;

test('dpkg status: installed packages only, with source package and source version', () => {
  const pkgs = parseDpkgStatus(STATUS, '/var/lib/dpkg/status');
  assert.equal(pkgs.map((p) => `${p.name}=${p.version} <- ${p.source}=${p.sourceVersion}`), [
    'libssl3=3.0.11-1~deb12u2 <- openssl=3.0.11-1~deb12u2',
    'libgcc-s1=12.2.0-14 <- gcc-12=12.2.0-14',
    'libc6=2.36-9+deb12u4 <- glibc=2.36-9+deb12u4',
  ]);
});

test('a binNMU names its source version in parentheses', () => {
  const [p] = parseDpkgStatus('Package: bash\nStatus: install ok installed\nSource: bash (5.2.15-2)\nVersion: 5.2.15-2+b2\n', 's');
  assert.is(p.version, '5.2.15-2+b2');
  assert.is(p.sourceVersion, '5.2.15-2');
});

test('status.d (distroless): one file per package, no Status field, md5sums files skipped', () => {
  const t = tree({
    'var/lib/dpkg/status.d/libc6': 'Package: libc6\nVersion: 2.36-9+deb12u4\nArchitecture: amd64\nSource: glibc\n',
    'var/lib/dpkg/status.d/tzdata': 'Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n',
    'var/lib/dpkg/status.d/tzdata.md5sums': 'd41d8cd98f00b204e9800998ecf8427e  usr/share/zoneinfo/UTC\n',
  });
  const pkgs = osPackages(t);
  assert.equal(pkgs.map((p) => p.name).sort(), ['libc6', 'tzdata']);
  assert.is(pkgs.find((p) => p.name === 'libc6')?.path, '/var/lib/dpkg/status.d/libc6');
});

test('apk installed database', () => {
  const text = 'C:Q1abc=\nP:musl\nV:1.2.4-r2\nA:x86_64\no:musl\n\nC:Q1def=\nP:libcrypto3\nV:3.1.4-r5\no:openssl\n\n';
  assert.equal(parseApkInstalled(text, '/lib/apk/db/installed').map((p) => `${p.name}=${p.version} <- ${p.source}`), [
    'musl=1.2.4-r2 <- musl',
    'libcrypto3=3.1.4-r5 <- openssl',
  ]);
});

test('both dpkg files and apk counted from one tree', () => {
  const t = tree({ 'var/lib/dpkg/status': STATUS, 'lib/apk/db/installed': 'P:musl\nV:1.2.4-r2\n' });
  assert.is(osPackages(t).length, 4);
});

test('release from os-release, else from /etc/debian_version, else unknown', () => {
  assert.equal(osRelease(tree({ 'usr/lib/os-release': 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n' })), { id: 'debian', versionId: '12' });
  assert.equal(osRelease(tree({ 'etc/debian_version': '12.5\n' })), { id: 'debian', versionId: '12' });
  assert.equal(osRelease(tree({ 'etc/debian_version': 'trixie/sid\n' })), { id: '', versionId: '' });
  assert.equal(osRelease(tree({})), { id: '', versionId: '' });
});

test('npm packages: package.json right inside node_modules, scoped too; nested and broken ones are not packages', () => {
  const t = tree({
    'app/node_modules/express/package.json': '{"name":"express","version":"4.19.2"}',
    'app/node_modules/@types/node/package.json': '{"name":"@types/node","version":"20.11.0"}',
    'app/node_modules/express/node_modules/debug/package.json': '{"name":"debug","version":"2.6.9"}',
    'app/node_modules/express/lib/package.json': '{"type":"commonjs"}',
    'app/node_modules/broken/package.json': '{ not json',
    'app/node_modules/noversion/package.json': '{"name":"noversion"}',
    'app/package.json': '{"name":"app","version":"1.0.0"}',
  });
  assert.equal(npmPackages(t).map((p) => `${p.name}@${p.version} ${p.path}`), [
    '@types/node@20.11.0 /app/node_modules/@types/node/package.json',
    'debug@2.6.9 /app/node_modules/express/node_modules/debug/package.json',
    'express@4.19.2 /app/node_modules/express/package.json',
  ]);
});

test('npmOwner names the innermost package a file belongs to', () => {
  assert.is(npmOwner('app/node_modules/a/node_modules/@s/b/lib/x.js'), '@s/b');
  assert.is(npmOwner('app/node_modules/a/README.md'), 'a');
  assert.is(npmOwner('app/src/index.js'), '');
});

test.run();
