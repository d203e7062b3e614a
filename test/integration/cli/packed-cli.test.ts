// The installable CLI (issue 16): `npm pack` of this repository installed into another project with
// `npm i -D ./stagebench-*.tgz`; from that project's folder `npx stagebench init`, a narrowed `npx stagebench run
// --quick` and `npx stagebench doctor` work, running compiled JavaScript (no tsx in the installed package).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSamples } from '../../../src/results/read.ts';
import { ROOT } from '../../support/cli.ts';
import { spawnCaptured, type CommandResult } from '../../support/spawn.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';
import { setupBefore, cleanupAfter } from '../../support/setup.ts';

let tools: string;
let installed: Record<string, unknown>;
let init: CommandResult;
let run: CommandResult;
let doctor: CommandResult;
let setupHelp: CommandResult;

const ok = (r: CommandResult, what: string) => assert.is(r.code, 0, `${what}:\n${r.stdout}\n${r.stderr}`);

setupBefore(test, async () => {
  const root = tempDir('packed');
  const pack = await spawnCaptured('npm', ['pack', ROOT, '--pack-destination', root], { cwd: root });
  ok(pack, 'npm pack');
  const tgz = readdirSync(root).find((f) => f.endsWith('.tgz'));
  assert.ok(tgz, 'npm pack wrote no tarball');
  const app = join(root, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'team-app', version: '1.0.0', private: true, scripts: { start: 'node server.js' } }, null, 2)}\n`);
  writeFileSync(join(app, 'server.js'), "require('http').createServer((q, s) => s.end(q.url === '/health' ? 'ok' : 'hi')).listen(process.env.PORT || 3000);\n");
  ok(await spawnCaptured('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund'], { cwd: app }), 'lockfile');
  tools = join(root, 'tools');
  mkdirSync(tools);
  writeFileSync(join(tools, 'package.json'), '{"name":"tools","version":"1.0.0","private":true}\n');
  ok(await spawnCaptured('npm', ['install', '-D', join(root, tgz!), '--no-audit', '--no-fund'], { cwd: tools }), 'npm i -D tarball');
  installed = JSON.parse(readFileSync(join(tools, 'node_modules', 'stagebench', 'package.json'), 'utf8')) as Record<string, unknown>;
  init = await spawnCaptured('npx', ['stagebench', 'init', '--from', '../app'], { cwd: tools });
  // --npm-registry direct: `auto` would follow whatever proxy the machine's user cache holds (a CI run after a local
  // proxy measurement on the same machine went through it, and the lockfile's resolved addresses then went around it).
  run = await spawnCaptured('npx', ['stagebench', 'run', '--scenarios', './bench-scenarios', '--quick', '--variant', 'multi', '--phase', 'build-cold,run', '--scanner', 'none', '--npm-registry', 'direct', '--out', 'bench-run'], { cwd: tools });
  doctor = await spawnCaptured('npx', ['stagebench', 'doctor'], { cwd: tools });
  setupHelp = await spawnCaptured('npx', ['stagebench', 'setup', '--help'], { cwd: tools });
});

cleanupAfter(test, removeTempDirs);

test('the installed bin is compiled JavaScript, with no tsx among the installed packages', () => {
  assert.equal(installed.bin, { stagebench: 'dist/cli.js' });
  assert.ok(existsSync(join(tools, 'node_modules', 'stagebench', 'dist', 'cli.js')));
  assert.not.ok(existsSync(join(tools, 'node_modules', 'tsx')), 'tsx was installed with the package');
  assert.not.ok(existsSync(join(tools, 'node_modules', 'stagebench', 'src')), 'the TypeScript sources were packed');
});

test('npx stagebench init writes ./bench-scenarios/team-app and its check passes', () => {
  ok(init, 'init');
  assert.match(init.stdout, /check passed/);
  assert.ok(existsSync(join(tools, 'bench-scenarios', 'team-app', 'scenario.json')));
});

test('npx stagebench run --quick measures from the project folder; the run phase answers', () => {
  const rows = readSamples(join(tools, 'bench-run'));
  assert.equal(rows.map((r) => r.phase), ['build-cold', 'run'], `${run.stdout}\n${run.stderr}`);
  const started = rows.find((r) => r.phase === 'run')!;
  assert.ok(started.ok, started.error);
  // Another run on the same engine may share a first step with this build: then the harness says so itself.
  const cold = rows.find((r) => r.phase === 'build-cold')!;
  assert.ok(cold.ok || cold.error.startsWith('not cold'), cold.error);
});

test('npx stagebench doctor and setup are reachable from the installed CLI', () => {
  ok(doctor, 'doctor');
  assert.match(doctor.stdout, /ok\s+engine/);
  ok(setupHelp, 'setup --help');
  assert.match(setupHelp.stdout, /Usage: stagebench setup/);
});

test.run();
