import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tuneFindings } from '../../../src/tune/rules.ts';
import { GOOD_DOCKERFILE, input } from './dockerfiles.ts';

const rule = (df: string, entries?: string[]) =>
  tuneFindings(input(df, entries ? { contextEntries: entries } : {})).filter((f) => f.rule === 'npm-install-with-lockfile');

const DF = 'FROM node:20-slim AS app\nCOPY package.json package-lock.json ./\nRUN npm install --no-audit\nCOPY . .\nUSER node\n';

test('fires on the npm install line when package-lock.json is in the context', () => {
  const found = rule(DF);
  assert.is(found.length, 1);
  assert.is(found[0].line, 3);
  assert.match(found[0].message, /package-lock\.json/);
});

test('fires for npm i and for an npm-shrinkwrap.json', () => {
  assert.is(rule('FROM node:20-slim\nRUN npm i\n', ['package.json', 'npm-shrinkwrap.json']).length, 1);
});

test('does not fire without a lockfile, for npm ci, or for installing a named package', () => {
  assert.equal(rule(DF, ['package.json', 'src']), []);
  assert.equal(rule(GOOD_DOCKERFILE), []);
  assert.equal(rule('FROM node:20-slim\nRUN npm install express\n'), []);
});

test.run();
