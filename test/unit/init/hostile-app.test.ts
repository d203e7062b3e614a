// `stagebench init` on an app folder it did not write: it never writes through a link, never hangs on a FIFO or reads
// /dev/zero for ever, runs the package manager on the manifest and lockfile alone (an .npmrc's git= runs nothing), and
// an interrupted init leaves nothing behind and does not stop the next one. A stand-in npm on PATH keeps it offline.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT, cliCommand, hasStackTrace } from '../../support/cli.ts';
import { spawnCaptured } from '../../support/spawn.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

const FAKE_NPM = `#!/bin/sh
case "$*" in *"config get"*) exit 0;; esac
{ echo "args: $*"; echo "files: $(ls -A | tr '\\n' ' ')"; } >> "$FAKE_NPM_LOG"
if [ -n "$FAKE_NPM_SLEEP" ]; then echo started > "$FAKE_NPM_LOG.started"; exec sleep 30; fi
echo '{"name":"app","lockfileVersion":3,"requires":true,"packages":{"":{"name":"app","dependencies":{"ms":"2.1.3"}}}}' > package-lock.json
`;

function setup(label: string) {
  const base = tempDir(label);
  const bin = join(base, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'npm'), FAKE_NPM);
  chmodSync(join(bin, 'npm'), 0o755);
  const tmp = join(base, 'tmp');
  mkdirSync(tmp);
  const app = join(base, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), '{\n  "name": "app",\n  "version": "1.0.0",\n  "main": "index.js"\n}\n');
  writeFileSync(join(app, 'package-lock.json'), '{"name":"app","lockfileVersion":3,"requires":true,"packages":{"":{"name":"app"}}}\n');
  writeFileSync(join(app, 'index.js'), "require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT || 3000);\n");
  const log = join(base, 'npm.log');
  const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH}`, TMPDIR: tmp, FAKE_NPM_LOG: log };
  return { base, app, out: join(base, 'scenarios'), tmp, log, env };
}

function init(s: ReturnType<typeof setup>, extraEnv: Record<string, string> = {}) {
  return spawnCaptured(...cliCommand(['init', s.out, '--from', s.app]), { cwd: ROOT, env: { ...s.env, ...extraEnv } });
}

test.after.each(() => removeTempDirs());

test('a Dockerfile.own link to a file outside the app: refused before anything is written; the file is unchanged', async () => {
  const s = setup('init-link-out');
  const victim = join(s.base, 'victim-rc');
  writeFileSync(victim, '# shell start-up file\n');
  writeFileSync(join(s.app, 'Dockerfile'), 'FROM node:20\nRUN echo from-the-app\n');
  symlinkSync(victim, join(s.app, 'Dockerfile.own'));
  const r = await init(s);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /Dockerfile\.own: a symbolic link to .*victim-rc, outside the app/);
  assert.not.ok(hasStackTrace(r.stderr));
  assert.is(readFileSync(victim, 'utf8'), '# shell start-up file\n');
  assert.not.ok(existsSync(join(s.out, 'app')));
});

test('links inside the app at names init writes are copied as files and replaced, never written through', async () => {
  const s = setup('init-link-in');
  writeFileSync(join(s.app, 'Dockerfile'), 'FROM node:20\nCOPY . .\nCMD ["node", "index.js"]\n');
  writeFileSync(join(s.app, 'notes.txt'), 'the app\'s own notes\n');
  symlinkSync('notes.txt', join(s.app, 'Dockerfile.single'));
  symlinkSync('notes.txt', join(s.app, 'scenario.json'));
  const r = await init(s);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  assert.is(readFileSync(join(s.app, 'notes.txt'), 'utf8'), 'the app\'s own notes\n');
  assert.match(readFileSync(join(s.out, 'app', 'Dockerfile.single'), 'utf8'), /FROM \$\{NODE_IMAGE\}/);
  assert.match(readFileSync(join(s.out, 'app', 'scenario.json'), 'utf8'), /"name": "app"/);
});

test('a FIFO in the app and a link to /dev/zero: exit 2 at once, naming each, nothing written', async () => {
  const s = setup('init-fifo');
  execFileSync('mkfifo', [join(s.app, 'server.js')]);
  symlinkSync('/dev/zero', join(s.app, '.nvmrc'));
  const t = Date.now();
  const r = await init(s);
  assert.ok(Date.now() - t < 20_000, 'init returned');
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /server\.js: a FIFO/);
  assert.match(r.stderr, /\.nvmrc: a symbolic link to a device/);
  assert.not.ok(hasStackTrace(r.stderr));
  assert.not.ok(existsSync(s.out) && readdirSync(s.out).length > 0);
});

test("the dependency change sees package.json and the lockfile only, with npm's project config neutralised", async () => {
  const s = setup('init-npmrc');
  writeFileSync(join(s.app, '.npmrc'), `git=${join(s.base, 'evil.sh')}\n`);
  const r = await init(s);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const log = readFileSync(s.log, 'utf8');
  assert.match(log, /files: package-lock\.json package\.json \n/);
  assert.match(log, /--userconfig=\S*stagebench-rc/);
  assert.match(log, /--git=git/);
  assert.match(log, /--ignore-scripts/);
  assert.ok(existsSync(join(s.out, 'app', 'bench-changes', 'package-lock.json')));
});

test('Ctrl-C during the dependency change: exit 130, no scenario folder, no temporary copy; the next init works', async () => {
  const s = setup('init-sigint');
  const child = spawn(...cliCommand(['init', s.out, '--from', s.app]), {
    cwd: ROOT, env: { ...s.env, FAKE_NPM_SLEEP: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  for (let i = 0; i < 200 && !existsSync(`${s.log}.started`); i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(existsSync(`${s.log}.started`), 'npm started');
  child.kill('SIGINT');
  const code = await exited;
  assert.is(code, 130, stderr);
  assert.match(stderr, /interrupted/);
  assert.equal(readdirSync(s.out), []);
  assert.equal(readdirSync(s.tmp).filter((n) => n.startsWith('stagebench-')), []);
  const again = await init(s);
  assert.ok(again.code === 0 || again.code === 1, again.stderr);
  assert.ok(existsSync(join(s.out, 'app', 'scenario.json')));
});

test.run();
