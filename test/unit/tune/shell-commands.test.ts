import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dependencyInstall, isBuildStep, simpleCommands, splitCommands } from '../../../src/tune/shell-commands.ts';

test('splits on && || ; | outside quotes only', () => {
  assert.equal(splitCommands(`echo "a && b" && npm ci || true; ls | wc -l`).map((c) => c.text),
    ['echo "a && b"', 'npm ci', 'true', 'ls', 'wc -l']);
});

test('reads leading env assignments and wrappers', () => {
  const [cmd] = simpleCommands("NODE_ENV=production sudo npm ci --omit dev");
  assert.equal(cmd.env, { NODE_ENV: 'production' });
  assert.equal(cmd.words, ['npm', 'ci', '--omit', 'dev']);
  assert.equal(dependencyInstall(cmd), { tool: 'npm', kind: 'ci', packages: [], global: false, omitsDev: true });
});

test('tells manifest installs from package installs and other npm commands', () => {
  const d = (s: string) => dependencyInstall(simpleCommands(s)[0]);
  assert.equal(d('npm i --no-audit')?.packages, []);
  assert.equal(d('npm install express@4')?.packages, ['express@4']);
  assert.is(d('npm install -g pnpm')?.global, true);
  assert.is(d('yarn')?.tool, 'yarn');
  assert.is(d('yarn install --immutable')?.kind, 'ci');
  assert.is(d('npm run build'), null);
  assert.is(d('yarn build'), null);
});

test('recognises build steps', () => {
  const b = (s: string) => isBuildStep(simpleCommands(s)[0]);
  assert.ok(b('npm run build'));
  assert.ok(b('npx tsc -p tsconfig.build.json'));
  assert.ok(b('yarn build'));
  assert.not.ok(b('npm run start'));
  assert.not.ok(b('npm ci'));
});

test.run();
