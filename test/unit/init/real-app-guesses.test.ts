// init's guesses that real apps needed offline (issue 32): local native packages, default paths under /etc that a
// non-root runner may not create (and the run.env that moves them), a packageManager field whose lockfile is absent,
// and a source change the build compiles rather than a config file.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { firstSourceGuess, nextPageGuess, rootPathGuess } from '../../../src/init/analyze-app.ts';
import { rootPathEnv } from '../../../src/init/templates.ts';
import { permissionHint } from '../../../src/phases/smoke.ts';
import { suspectGuesses } from '../../../src/commands/init.ts';
import type { AppFacts } from '../../../src/init/analyze-app.ts';
import { detectPackageManager, localPackages } from '../../../src/scenario/package-manager.ts';

const folder = (files: Record<string, string>) => ({ has: (f: string) => f in files, read: (f: string) => files[f] });

test('a default under /etc behind an env variable is moved to /tmp through run.env', () => {
  const paths = rootPathGuess([{ file: 'src/persistence/sqlite.js', text: "const location = process.env.SQLITE_DB_LOCATION || '/etc/todos/todo.db';\nnew sqlite3.Database(location);" }]);
  assert.equal(paths, [{ file: 'src/persistence/sqlite.js', path: '/etc/todos/todo.db', env: 'SQLITE_DB_LOCATION' }]);
  const { env, lines } = rootPathEnv(paths);
  assert.equal(env, { SQLITE_DB_LOCATION: '/tmp/todos/todo.db' });
  assert.match(lines[0], /SQLITE_DB_LOCATION=\/tmp\/todos\/todo\.db/);
});

test('a fixed path a file writes is said, with what to change; read-only paths are not', () => {
  const paths = rootPathGuess([
    { file: 'a.js', text: "fs.mkdirSync('/var/lib/app/data', { recursive: true });" },
    { file: 'b.js', text: "fs.readFileSync('/etc/hosts'); fs.writeFileSync('/tmp/x', '');" },
    { file: 'c.js', text: "const p = '/etc/app/config.json'; console.log(p);" },
  ]);
  assert.equal(paths, [{ file: 'a.js', path: '/var/lib/app/data' }]);
  const { env, lines } = rootPathEnv(paths);
  assert.equal(env, {});
  assert.match(lines[0], /a\.js writes \/var\/lib\/app\/data.*no variable moves it/);
});

test('the run phase points at run.env when the app died on EACCES', () => {
  assert.match(permissionHint("Error: EACCES: permission denied, mkdir '/etc/todos'"), /may not write \/etc\/todos.*"run": \{"env"/);
  assert.is(permissionHint('Error: listen EADDRINUSE'), '');
});

test('packageManager naming a manager whose lockfile is absent: the lockfile that exists wins, and init says so', () => {
  const d = detectPackageManager(folder({ 'package-lock.json': '{}' }), { packageManager: 'pnpm@10.5.2' }, 'FROM node:20\nRUN npm ci\n');
  assert.is(d.manager.name, 'npm');
  assert.is(d.lockfile, 'package-lock.json');
  assert.ok(d.fieldIgnored);
  assert.match(d.reason, /"packageManager": "pnpm@10\.5\.2" ignored: no pnpm-lock\.yaml is there/);
  assert.match(d.warnings.join('\n'), /init follows npm, as the lockfile and the app's Dockerfile do/);
  // With the manager's own lockfile there, the field is followed as before.
  const ok = detectPackageManager(folder({ 'pnpm-lock.yaml': 'lockfileVersion: 9.0\n' }), { packageManager: 'pnpm@10.5.2' });
  assert.is(ok.manager.name, 'pnpm');
  assert.not.ok(ok.fieldIgnored);
});

test('local packages: file:, link: and portal: folders inside the app, not tarballs or folders outside', () => {
  assert.equal(localPackages({ dependencies: { a: 'file:./addon', b: 'link:packages/b/', c: 'file:../outside', d: 'file:x.tgz', e: '^1.0.0' }, devDependencies: { f: 'portal:tools/f' } }), ['addon', 'packages/b', 'tools/f']);
});

test('the source change is a page the build compiles, never a config file', () => {
  const files = ['eslint.config.js', 'next.config.mjs', 'postcss.config.js', 'src/app/layout.tsx', 'src/app/page.tsx', 'src/lib/db.ts'];
  assert.is(nextPageGuess(files)?.value, 'src/app/page.tsx');
  assert.is(nextPageGuess(['eslint.config.js', 'app/api/health/route.ts'])?.value, 'app/api/health/route.ts');
  assert.is(firstSourceGuess(files).value, 'src/app/layout.tsx');
  assert.is(firstSourceGuess(['.eslintrc.js', 'jest.config.ts', 'lib/main.ts']).value, 'lib/main.ts');
});

test('a check error names the guess to correct; a missing lockfile is no guess', () => {
  const facts = {
    packageManager: detectPackageManager(folder({ 'package-lock.json': '{}' }), { packageManager: 'pnpm@10.5.2' }),
    sourceFile: { value: 'eslint.config.js', how: 'guessed: the first source file' },
    start: { value: ['node', 'index.js'], how: 'guessed' },
  } as unknown as AppFacts;
  const lines = suspectGuesses(['bench-changes/package-lock.json out of sync with bench-changes/package.json'], facts);
  assert.is(lines.length, 1);
  assert.match(lines[0], /guess to correct: the package manager guess \(npm: .*\) made this dependency change/);
  assert.equal(suspectGuesses(['package-lock.json: missing: the Dockerfiles\' npm ci needs a lockfile'], facts), []);
});

test.run();
