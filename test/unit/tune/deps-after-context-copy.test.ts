import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tuneFindings } from '../../../src/tune/rules.ts';
import { GOOD_DOCKERFILE, input } from './dockerfiles.ts';

const rule = (df: string) => tuneFindings(input(df)).filter((f) => f.rule === 'deps-after-context-copy');

test('fires on the install line when COPY . . comes before npm ci, and names the COPY line', () => {
  const found = rule('FROM node:20-slim AS app\nWORKDIR /app\nCOPY . .\nRUN npm ci\nUSER node\n');
  assert.is(found.length, 1);
  assert.is(found[0].line, 4);
  assert.match(found[0].message, /line 3/);
  assert.is(found[0].severity, 'error');
});

test('fires for ADD . /app, yarn and pnpm installs, and an install inside a longer RUN', () => {
  assert.is(rule('FROM node:20-slim\nADD . /app\nRUN yarn install --frozen-lockfile\n')[0]?.line, 3);
  assert.is(rule('FROM node:20-slim\nCOPY . /app\nRUN corepack enable && pnpm install\n')[0]?.line, 3);
  assert.is(rule('FROM node:20-slim\nCOPY . .\nRUN apt-get update \\\n  && npm install \\\n  && npm run build\n')[0]?.line, 3);
});

test('fires in a stage that starts FROM a stage which copied the context', () => {
  const found = rule('FROM node:20 AS src\nCOPY . .\nFROM src AS deps\nRUN npm ci\n');
  assert.is(found.length, 1);
  assert.is(found[0].line, 4);
});

test('does not fire when only the manifests precede the install, nor for a global tool install', () => {
  assert.equal(rule(GOOD_DOCKERFILE), []);
  assert.equal(rule('FROM node:20-slim\nCOPY . .\nRUN npm install -g pm2\n'), []);
  assert.equal(rule('FROM node:20-slim\nCOPY src ./src\nCOPY package.json ./\nRUN npm ci\nCOPY . .\n'), []);
});

test('does not fire for a context copy in another stage that the install does not start from', () => {
  assert.equal(rule('FROM node:20 AS a\nCOPY . .\nFROM node:20 AS b\nCOPY package.json ./\nRUN npm ci\n'), []);
});

test.run();
