// `stagebench init` on a small npm app, through the real CLI and the real npm (issue 16): what it copies and leaves
// out, the files it writes, the dependency change npm made in sync, a passing check and the next command.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkScenario } from '../../../src/scenario/check.ts';
import { loadProfile } from '../../../src/profile/profile.ts';
import { runCli, type CliResult } from '../../support/cli.ts';
import { spawnCaptured } from '../../support/spawn.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';
import { setupBefore, cleanupAfter } from '../../support/setup.ts';

let appDir: string;
let scenarioDir: string;
let cli: CliResult;
let again: CliResult;

setupBefore(test, async () => {
  const root = tempDir('init');
  appDir = join(root, 'app');
  mkdirSync(join(appDir, 'node_modules', 'x'), { recursive: true });
  writeFileSync(join(appDir, 'package.json'), `${JSON.stringify({ name: '@acme/hello', version: '1.0.0', scripts: { start: 'node server.js' } }, null, 2)}\n`);
  writeFileSync(join(appDir, 'server.js'), "require('http').createServer((q, s) => s.end(q.url === '/health' ? 'ok' : 'no')).listen(process.env.PORT || 3000);\n");
  writeFileSync(join(appDir, '.gitignore'), 'secret.txt\n');
  writeFileSync(join(appDir, 'secret.txt'), 'never copied\n');
  writeFileSync(join(appDir, 'node_modules', 'x', 'index.js'), '');
  writeFileSync(join(appDir, 'Dockerfile'), 'FROM node:18-alpine\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n');
  const lock = await spawnCaptured('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund'], { cwd: appDir });
  assert.is(lock.code, 0, lock.stderr);
  cli = await runCli(['init', join(root, 'bench'), '--from', appDir]);
  scenarioDir = join(root, 'bench', 'hello');
  again = await runCli(['init', join(root, 'bench'), '--from', appDir]);
});

cleanupAfter(test, removeTempDirs);

test('init exits 0, says what it guessed, and prints the next command', () => {
  assert.is(cli.code, 0, `${cli.stdout}\n${cli.stderr}`);
  assert.match(cli.stdout, /package manager\s+npm/);
  assert.match(cli.stdout, /port\s+3000, from PORT/);
  assert.match(cli.stdout, /the app asks for Node 18 \(Dockerfile: FROM node:18\): scenario\.json says "node": 18.*the offline profile provides Node 20 only/);
  // The major is written down, with that major's official images as the Dockerfiles' ARG defaults.
  assert.is(JSON.parse(readFileSync(join(scenarioDir, 'scenario.json'), 'utf8')).node, 18);
  assert.match(readFileSync(join(scenarioDir, 'Dockerfile.multi'), 'utf8'), /^ARG NODE_ALPINE_IMAGE=node:18-alpine$/m);
  assert.match(cli.stdout, /check passed/);
  assert.match(cli.stdout, /next: stagebench run --scenarios \S+bench --scenario hello --variant own --variant single --variant multi --variant distroless --variant multi-same-base --quick/);
});

test('the app is copied without node_modules or what .gitignore leaves out; its Dockerfile is variant own', () => {
  assert.ok(existsSync(join(scenarioDir, 'server.js')));
  assert.not.ok(existsSync(join(scenarioDir, 'node_modules')));
  assert.not.ok(existsSync(join(scenarioDir, 'secret.txt')));
  const json = JSON.parse(readFileSync(join(scenarioDir, 'scenario.json'), 'utf8')) as { variants: Record<string, unknown>; smoke: { path: string } };
  assert.equal(Object.keys(json.variants), ['own', 'single', 'multi', 'distroless', 'multi-same-base']);
  assert.match(readFileSync(join(scenarioDir, 'Dockerfile.own'), 'utf8'), /FROM \$\{NODE_ALPINE_IMAGE\}/);
  assert.ok(existsSync(join(scenarioDir, '.dockerignore')));
});

test('the dependency change was made by npm: package.json and a lockfile in sync, and the folder checks clean', () => {
  const pkg = JSON.parse(readFileSync(join(scenarioDir, 'bench-changes', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  assert.equal(pkg.dependencies, { ms: '2.1.3' });
  const lock = readFileSync(join(scenarioDir, 'bench-changes', 'package-lock.json'), 'utf8');
  assert.match(lock, /"node_modules\/ms"/);
  const r = checkScenario(scenarioDir, [loadProfile('online'), loadProfile('offline')]);
  assert.ok(r.valid, JSON.stringify(r.problems));
});

test('a second init into the same folder is refused with exit 2 and leaves the first alone', () => {
  assert.is(again.code, 2, again.stderr);
  assert.match(again.stderr, /already exists; remove it, or choose another --name/);
  assert.ok(existsSync(join(scenarioDir, 'scenario.json')));
});

test.run();
