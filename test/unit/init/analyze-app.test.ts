// What `stagebench init` guesses from an app's files (issue 16), and the Dockerfiles it writes from the guesses:
// package manager, build, entry, port (from PORT or fixed), health route, native modules, the app's own Dockerfile.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { analyzeApp, healthGuess, portGuess } from '../../../src/init/analyze-app.ts';
import { distrolessDockerfile, multiDockerfile, ownDockerfile, singleDockerfile } from '../../../src/init/templates.ts';
import { adviceLines, scenarioName } from '../../../src/commands/init.ts';
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

test('the Node major the app asks for, said plainly when the profiles cannot give it', () => {
  const dir = app({ 'package.json': JSON.stringify({ name: 'old', engines: { node: '>=18 <19' } }), 'index.js': '' });
  const f = analyzeApp(dir);
  assert.is(f.nodeMajor?.value, 18);
  assert.match(adviceLines(f).join('\n'), /asks for Node 18 .*provide Node 20 images only/);
});

test.run();
