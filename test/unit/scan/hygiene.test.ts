// Hygiene rules on file lists: tools on PATH, leaking files, source maps, and the user the image runs as.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FileTree } from '../../../src/scan/builtin/file-tree.ts';
import { hygieneFindings, runsAsRoot, SOURCE_MAP_LIST_LIMIT } from '../../../src/scan/builtin/hygiene.ts';
import { hasPrivateKey } from '../../../src/scan/builtin/image-paths.ts';
import type { LayerEntry } from '../../../src/scan/builtin/layer-index.ts';
import type { ImageConfig } from '../../../src/scan/builtin/saved-image.ts';

type Spec = [path: string, type?: LayerEntry['type'], linkOrContent?: string];

function tree(specs: Spec[]): FileTree {
  const entries: LayerEntry[] = specs.map(([path, type = 'file', extra = '']) => {
    const content = type === 'file' ? Buffer.from(extra) : undefined;
    return {
      path, type, size: content?.length ?? 0, mode: 0o755, linkname: type === 'symlink' ? extra : '',
      content, privateKey: content ? hasPrivateKey(content) : undefined,
    };
  });
  return FileTree.fromLayers([{ entries, whiteouts: [], opaqueDirs: [] }]);
}

const nonRoot: ImageConfig = { user: '1000', env: ['PATH=/usr/local/bin:/usr/bin:/bin'], entrypoint: [], cmd: [] };

function ids(config: ImageConfig, specs: Spec[]): string[] {
  return hygieneFindings(tree(specs), config).map((f) => `${f.id}:${f.package}:${f.path}`);
}

// A fake key: the shape of a PEM block, no key in it.
const FAKE_KEY = `-----BEGIN RSA PRIVATE KEY-----\n${'QUJD'.repeat(16)}\n${'REVG'.repeat(16)}\n-----END RSA PRIVATE KEY-----\n`;

test('shells, package managers, compilers and build tools on PATH, one finding per tool', () => {
  const found = ids(nonRoot, [
    ['bin', 'symlink', 'usr/bin'],
    ['usr/bin/dash'],
    ['usr/bin/sh', 'symlink', 'dash'],
    ['usr/bin/bash'],
    ['usr/bin/apt'],
    ['usr/bin/apt-get'],
    ['usr/bin/dpkg'],
    ['usr/bin/gcc-12'],
    ['usr/bin/gcc', 'symlink', 'gcc-12'],
    ['usr/bin/x86_64-linux-gnu-gcc-12'],
    ['usr/bin/make'],
    ['usr/bin/python3.11'],
    ['usr/bin/python3', 'symlink', 'python3.11'],
    ['usr/local/lib/node_modules/npm/bin/npm-cli.js'],
    ['usr/local/bin/npm', 'symlink', '../lib/node_modules/npm/bin/npm-cli.js'],
    ['usr/local/bin/node'],
    ['usr/bin/ls'],
  ]);
  assert.equal(found, [
    'shell:bash:/usr/bin/bash',
    'shell:dash:/usr/bin/dash',
    'shell:sh:/usr/bin/sh',
    'package-manager:apt:/usr/bin/apt',
    'package-manager:dpkg:/usr/bin/dpkg',
    'package-manager:npm:/usr/local/bin/npm',
    'compiler:gcc:/usr/bin/gcc',
    'build-tool:make:/usr/bin/make',
    'build-tool:python:/usr/bin/python3',
  ]);
});

test('a dangling link runs nothing, and tools outside PATH are not tools on PATH', () => {
  const found = ids(nonRoot, [
    ['usr/bin/cc', 'symlink', '/etc/alternatives/cc'],
    ['usr/share/doc/bash/README'],
    ['opt/sdk/bin/gcc'],
  ]);
  assert.equal(found, []);
});

test('the image\'s own PATH is searched (distroless: /nodejs/bin) and tsc in node_modules/.bin counts', () => {
  const config: ImageConfig = { user: '65532', env: ['PATH=/nodejs/bin'], entrypoint: ['/nodejs/bin/node'], cmd: [] };
  const found = ids(config, [
    ['nodejs/bin/node'],
    ['nodejs/bin/busybox'],
    ['app/node_modules/typescript/bin/tsc'],
    ['app/node_modules/.bin/tsc', 'symlink', '../typescript/bin/tsc'],
    ['usr/local/lib/node_modules/npm/node_modules/.bin/node-gyp', 'symlink', '../node-gyp/bin/node-gyp.js'],
    ['usr/local/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'],
  ]);
  assert.equal(found, ['shell:busybox:/nodejs/bin/busybox', 'build-tool:tsc:/app/node_modules/.bin/tsc']);
});

test('.env files (not templates), .git folders, private keys and npm tokens', () => {
  const found = ids(nonRoot, [
    ['app/.env', 'file', 'DB_PASSWORD=hunter2'],
    ['app/.env.production', 'file', 'X=1'],
    ['app/.env.example', 'file', 'X='],
    ['app/.git', 'dir'],
    ['app/.git/config', 'file', '[core]'],
    ['app/.git/hooks/.env', 'file', 'inside git: part of the .git finding'],
    ['app/certs/server.key', 'file', FAKE_KEY],
    ['app/docs/tls.md', 'file', 'key = "-----BEGIN PRIVATE KEY-----\\nXXXX\\n-----END PRIVATE KEY-----"'],
    ['app/node_modules/some-lib/test/fixture.pem', 'file', FAKE_KEY.replace(/RSA /g, '')],
    ['root/.npmrc', 'file', '//registry.example.invalid/:_authToken=npm_abcdefghijklmnop\n'],
    ['app/.npmrc', 'file', '//registry.example.invalid/:_authToken=${NPM_TOKEN}\nsave-exact=true\n'],
    ['home/node/.npmrc', 'file', '# _authToken=old\nfund=false\n'],
  ]);
  assert.equal(found, [
    'private-key::/app/certs/server.key',
    'private-key:some-lib:/app/node_modules/some-lib/test/fixture.pem',
    'npmrc-token::/root/.npmrc',
    'env-file::/app/.env',
    'env-file::/app/.env.production',
    'git-folder::/app/.git',
  ]);
});

test('the token itself never appears in a finding', () => {
  const findings = hygieneFindings(tree([['root/.npmrc', 'file', '_authToken=npm_SECRETSECRET']]), nonRoot);
  assert.is(findings.length, 1);
  assert.not.match(JSON.stringify(findings), /SECRET/);
});

test('a few source maps are listed one by one; many make one finding with their count', () => {
  const few = hygieneFindings(tree([['app/dist/main.js.map'], ['app/dist/style.css.map'], ['usr/share/keymaps/us.map']]), nonRoot);
  assert.equal(few.map((f) => f.path), ['/app/dist/main.js.map', '/app/dist/style.css.map']);
  assert.ok(few.every((f) => f.count === 1));

  const n = SOURCE_MAP_LIST_LIMIT + 30;
  const specs: Spec[] = Array.from({ length: n }, (_, i) => [`app/node_modules/pkg${i % 3}/dist/f${i}.js.map`] as Spec);
  const many = hygieneFindings(tree(specs), nonRoot).filter((f) => f.id === 'source-map');
  assert.is(many.length, 1);
  assert.is(many[0].count, n);
  assert.is(many[0].path, '/app/node_modules');
  assert.is(many[0].package, '');
});

test('runs as root: no USER, 0, root, 0:0, or a name /etc/passwd maps to uid 0', () => {
  const t = tree([['etc/passwd', 'file', 'root:x:0:0:root:/root:/bin/bash\ntoor:x:0:0::/:/bin/sh\nnode:x:1000:1000::/home/node:/bin/bash\n']]);
  for (const user of ['', '0', 'root', '0:0', 'root:staff', 'toor']) assert.ok(runsAsRoot(t, user), `user '${user}'`);
  for (const user of ['1000', 'node', '65532:65532', 'nobody']) assert.not.ok(runsAsRoot(t, user), `user '${user}'`);
  const f = hygieneFindings(t, { ...nonRoot, user: '' }).find((x) => x.id === 'runs-as-root');
  assert.ok(f);
});

test('PEM detection wants a key block, not a mention', () => {
  assert.ok(hasPrivateKey(Buffer.from(FAKE_KEY)));
  assert.ok(hasPrivateKey(Buffer.from(`-----BEGIN OPENSSH PRIVATE KEY-----\n${'b3BlbnNzaC1rZXktdjEAAAAA'.repeat(3)}\n-----END OPENSSH PRIVATE KEY-----\n`)));
  assert.ok(hasPrivateKey(Buffer.from(`-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0011\n\n${'QUJD'.repeat(16)}\n-----END EC PRIVATE KEY-----\n`)));
  assert.not.ok(hasPrivateKey(Buffer.from('-----BEGIN PUBLIC KEY-----\n' + 'QUJD'.repeat(16) + '\n-----END PUBLIC KEY-----\n')));
  assert.not.ok(hasPrivateKey(Buffer.from('Set key to "-----BEGIN PRIVATE KEY-----\\nXXXX\\n-----END PRIVATE KEY-----"')));
});

test.run();
