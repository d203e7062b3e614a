// What `stagebench init` guesses from an app's files (issue 16), and the Dockerfiles it writes from the guesses:
// package manager, build, entry, port (from PORT or fixed), health route, native modules, the app's own Dockerfile.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { analyzeApp, healthGuess, portGuess } from '../../../src/init/analyze-app.ts';
import { distrolessDockerfile, multiDockerfile, ownDockerfile, singleDockerfile } from '../../../src/init/templates.ts';
import { adviceLines, chooseNodeMajor, nextRunCommand, ownReplacedLines, scenarioName } from '../../../src/commands/init.ts';
import { copyApp, pinPnpm } from '../../../src/init/create-scenario.ts';
import { loadProfile } from '../../../src/profile/profile.ts';
import { PROFILE_NAMES } from '../../../src/types.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

test.after(removeTempDirs);

function app(files: Record<string, string>): string {
  const dir = tempDir('init-app');
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

test('a TypeScript pnpm app: build script, dist entry from its source, corepack and pnpm commands in the Dockerfiles', () => {
  const dir = app({
    'package.json': JSON.stringify({ name: '@team/api', scripts: { build: 'tsc', start: 'ts-node src/server.ts' }, dependencies: { express: '4.21.2' } }),
    'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
    'src/server.ts': "app.get('/healthz', h);\napp.listen(Number(process.env.PORT ?? 8080));\n",
  });
  const f = analyzeApp(dir);
  assert.is(f.packageManager.manager.name, 'pnpm');
  assert.is(f.buildScript, 'build');
  assert.equal(f.start.value, ['node', 'dist/server.js']);
  assert.equal(f.port.value, { port: 8080, fromEnv: true });
  assert.is(f.health.value, '/healthz');
  assert.is(f.sourceFile.value, 'src/server.ts');
  assert.is(scenarioName(f), 'api');
  const multi = multiDockerfile(f);
  assert.match(multi, /COPY package.json pnpm-lock.yaml \.\/\nRUN corepack enable\nRUN pnpm install --frozen-lockfile\nCOPY \. \.\nRUN pnpm run build\nRUN pnpm prune --prod/);
  assert.match(multi, /FROM \$\{NODE_ALPINE_IMAGE\} AS runner/);
  assert.match(multi, /CMD \["node","dist\/server\.js"\]/);
  assert.match(distrolessDockerfile(f), /CMD \["dist\/server\.js"\]/);
});

test('a plain npm app with a fixed port and a native module: run.port, Debian builder and runner, allowScripts advice', () => {
  const dir = app({
    'package.json': JSON.stringify({ name: 'plain', scripts: { start: 'node server.js' }, dependencies: { sqlite3: '5.1.7' } }),
    'package-lock.json': '{"lockfileVersion":3,"packages":{"":{}}}',
    'server.js': "const http = require('http');\nhttp.createServer(h).listen(8081);\n",
  });
  const f = analyzeApp(dir);
  assert.equal(f.port.value, { port: 8081, fromEnv: false });
  assert.is(f.health.value, '/');
  assert.match(f.health.how, /guessed/);
  assert.equal(f.nativeModules, ['sqlite3']);
  assert.match(singleDockerfile(f), /RUN npm ci\nCOPY \. \.\nEXPOSE 8081\nCMD \["node","server\.js"\]/);
  // npm takes a run's --npm-registry through this ARG; without a value it is unset and npm uses its own default.
  assert.match(singleDockerfile(f), /\nARG NPM_CONFIG_REGISTRY\nRUN npm ci\n/);
  const multi = multiDockerfile(f);
  // No build: the prune comes before the sources, so a source change does not rerun it.
  assert.match(multi, /RUN npm ci\nRUN npm prune --omit=dev\nCOPY \. \.\n/);
  assert.match(multi, /FROM \$\{NODE_IMAGE\} AS builder/);
  assert.match(multi, /FROM \$\{NODE_SLIM_IMAGE\} AS runner/);
  assert.match(adviceLines(f).join('\n'), /"allowScripts": \{"sqlite3": true\}/);
});

test('port guesses: PORT with a default, PORT alone, a literal, an EXPOSE', () => {
  assert.equal(portGuess([{ file: 'a.js', text: 'listen(process.env.PORT || 4000)' }]).value, { port: 4000, fromEnv: true });
  assert.equal(portGuess([{ file: 'a.js', text: 'const p = process.env.PORT; listen(p)' }], 5000).value, { port: 5000, fromEnv: true });
  assert.equal(portGuess([{ file: 'a.js', text: 'const PORT = 7000;\napp.listen(PORT)' }]).value, { port: 7000, fromEnv: false });
  assert.equal(portGuess([], 9000).value, { port: 9000, fromEnv: false });
  assert.is(healthGuess([{ file: 's.js', text: "app.get('/is-healthy', f)" }]).value, '/is-healthy');
});

test('the app\'s own Dockerfile: official node FROMs become profile ARGs, the syntax line stays first, the rest is kept', () => {
  const own = ownDockerfile('# syntax=docker/dockerfile:1\nFROM node:18-slim AS deps\nRUN npm ci\nFROM node:18-alpine\nCOPY --from=deps /app /app\nFROM redis:7\n');
  assert.equal(own.replaced, [{ from: 'node:18-slim', arg: 'NODE_SLIM_IMAGE' }, { from: 'node:18-alpine', arg: 'NODE_ALPINE_IMAGE' }]);
  const lines = own.text.split('\n');
  assert.is(lines[0], '# syntax=docker/dockerfile:1');
  assert.is(lines[1], 'ARG NODE_SLIM_IMAGE=node:20-slim');
  assert.match(own.text, /FROM \$\{NODE_SLIM_IMAGE\} AS deps/);
  assert.match(own.text, /FROM redis:7/);
});

test('the Node major the app asks for: its own Dockerfile, then .nvmrc, then an engines range that excludes Node 20', () => {
  const profiles = PROFILE_NAMES.map((n) => loadProfile(n));
  const online = profiles.find((p) => p.name === 'online')!;
  const pinned = analyzeApp(app({ 'package.json': JSON.stringify({ name: 'old', engines: { node: '>=18 <19' } }), 'index.js': '' }));
  assert.is(pinned.nodeMajor?.value, 18);
  const choice = chooseNodeMajor(pinned, online);
  assert.is(choice.node, 18);
  assert.is(choice.base.images.NODE_SLIM_IMAGE, 'node:18-slim');
  // The Dockerfiles init writes default to that major's official images; the app's own keeps its major too.
  assert.match(singleDockerfile(pinned, choice.base), /^ARG NODE_IMAGE=node:18$/m);
  assert.match(distrolessDockerfile(pinned, choice.base), /^ARG DISTROLESS_IMAGE=gcr\.io\/distroless\/nodejs18-debian12$/m);
  assert.match(ownDockerfile('FROM node:18-slim\n', choice.base).text, /ARG NODE_SLIM_IMAGE=node:18-slim\n# stagebench init: was FROM node:18-slim; the profiles set NODE_SLIM_IMAGE \(Node 18\)/);
  const advice = adviceLines(pinned, profiles).join('\n');
  assert.match(advice, /asks for Node 18 \(package\.json engines\.node ">=18 <19" \(the newest major it allows\)\): scenario\.json says "node": 18/);
  assert.match(advice, /the offline profile provides Node 20 only .*a run stops with exit 3 until you remove "node"/);

  // A minimum that Node 20 meets asks for nothing.
  assert.is(analyzeApp(app({ 'package.json': JSON.stringify({ name: 'new', engines: { node: '>=14' } }), 'index.js': '' })).nodeMajor, undefined);
  // What the app deploys on wins over its engines range; .nvmrc over engines.
  const own = analyzeApp(app({ 'package.json': JSON.stringify({ name: 'o', engines: { node: '>=16' } }), 'index.js': '', Dockerfile: 'FROM node:22-alpine\nCMD ["node","index.js"]\n' }));
  assert.equal([own.nodeMajor?.value, own.nodeMajor?.how], [22, 'Dockerfile: FROM node:22']);
  assert.is(analyzeApp(app({ 'package.json': JSON.stringify({ name: 'n', engines: { node: '>=16' } }), 'index.js': '', '.nvmrc': 'v18.19.0\n' })).nodeMajor?.value, 18);
  // A major no profile has: said, and the default major kept.
  const odd = analyzeApp(app({ 'package.json': JSON.stringify({ name: 'odd' }), 'index.js': '', '.nvmrc': '19\n' }));
  assert.equal(chooseNodeMajor(odd, online), { base: { major: 20, images: online.images } });
  assert.match(adviceLines(odd, profiles).join('\n'), /asks for Node 19 \(\.nvmrc\), which no profile has images for \(online: 18, 20, 22, 24; offline: 20\): every variant builds on Node 20/);
});


test('pnpm lockfile 6.0 without packageManager: the scenario copy pins pnpm 8, the app stays as it was; format 9 pins nothing', () => {
  const pkgText = '{\n    "name": "tmpl",\n    "scripts": { "build": "tsc" }\n}\n';
  const src = app({ 'package.json': pkgText, 'pnpm-lock.yaml': "lockfileVersion: '6.0'\n", 'src/main.ts': 'app.listen(process.env.PORT);\n' });
  const dest = tempDir('init-pin');
  copyApp(src, dest);
  const facts = analyzeApp(src);
  const line = pinPnpm(facts, dest);
  assert.match(line ?? '', /pnpm@8\.15\.9 pinned .*lockfileVersion 6\.0/);
  const pinned = JSON.parse(readFileSync(join(dest, 'package.json'), 'utf8')) as Record<string, unknown>;
  assert.is(pinned.packageManager, 'pnpm@8.15.9');
  assert.is(pinned.name, 'tmpl');
  assert.match(readFileSync(join(dest, 'package.json'), 'utf8'), /^\{\n {4}"packageManager"/);
  assert.is(readFileSync(join(src, 'package.json'), 'utf8'), pkgText);
  const nine = app({ 'package.json': pkgText, 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n" });
  const dest9 = tempDir('init-pin9');
  copyApp(nine, dest9);
  assert.is(pinPnpm(analyzeApp(nine), dest9), undefined);
  assert.is(readFileSync(join(dest9, 'package.json'), 'utf8'), pkgText);
});

test('the own Dockerfile\'s FROM changes: two stages on one image said once', () => {
  const lines = ownReplacedLines([{ from: 'node:16-alpine', arg: 'NODE_ALPINE_IMAGE' }, { from: 'node:16-alpine', arg: 'NODE_ALPINE_IMAGE' }, { from: 'node:16', arg: 'NODE_IMAGE' }]);
  assert.equal(lines, ['Dockerfile.own: FROM node:16-alpine -> ${NODE_ALPINE_IMAGE} (2 stages)', 'Dockerfile.own: FROM node:16 -> ${NODE_IMAGE}']);
});
test('the next command names every variant when the app\'s own Dockerfile is one (a default run measures only the three)', () => {
  assert.is(nextRunCommand('bench', 'api', ['own', 'single', 'multi', 'distroless']), 'stagebench run --scenarios bench --scenario api --variant own --variant single --variant multi --variant distroless --quick');
  assert.is(nextRunCommand('bench', 'api', ['single', 'multi', 'distroless']), 'stagebench run --scenarios bench --scenario api --quick');
});

test.run();
