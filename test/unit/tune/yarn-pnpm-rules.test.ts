// Tune rules for yarn and pnpm, unpinned global installs, and ARG/ENV expansion (issue 16).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tuneFindings } from '../../../src/tune/rules.ts';
import { input } from './dockerfiles.ts';

const findings = (df: string, entries: string[], rule: string) =>
  tuneFindings(input(df, { contextEntries: entries })).filter((f) => f.rule === rule);

test('install-not-frozen: yarn install and pnpm install without their frozen flags, where the lockfile exists', () => {
  const yarn = findings('FROM node:20-slim\nCOPY package.json yarn.lock ./\nRUN yarn install\nUSER node\n', ['package.json', 'yarn.lock'], 'install-not-frozen');
  assert.is(yarn.length, 1);
  assert.is(yarn[0].line, 3);
  assert.match(yarn[0].fix, /--frozen-lockfile .*--immutable/);
  assert.is(findings('FROM node:20-slim\nRUN yarn\n', ['yarn.lock'], 'install-not-frozen').length, 1);
  const pnpm = findings('FROM node:20-slim\nRUN corepack enable && pnpm install\n', ['pnpm-lock.yaml'], 'install-not-frozen');
  assert.is(pnpm.length, 1);
  assert.match(pnpm[0].fix, /pnpm install --frozen-lockfile/);
});

test('install-not-frozen stays quiet for frozen installs and without a lockfile', () => {
  assert.is(findings('FROM node:20-slim\nRUN yarn install --frozen-lockfile\n', ['yarn.lock'], 'install-not-frozen').length, 0);
  assert.is(findings('FROM node:20-slim\nRUN yarn install --immutable\n', ['yarn.lock'], 'install-not-frozen').length, 0);
  assert.is(findings('FROM node:20-slim\nRUN pnpm install --frozen-lockfile\n', ['pnpm-lock.yaml'], 'install-not-frozen').length, 0);
  assert.is(findings('FROM node:20-slim\nRUN yarn install\n', ['package.json'], 'install-not-frozen').length, 0);
});

test('unpinned-global-install: npm@latest and a bare name fire, an exact version does not', () => {
  const f = findings('FROM node:20-slim\nRUN npm i npm@latest -g\nRUN npm install -g nodemon typescript@5.9.3\n', [], 'unpinned-global-install');
  assert.equal(f.map((x) => x.line), [2, 3]);
  assert.match(f[0].message, /npm@latest globally/);
  assert.match(f[1].message, /installs nodemon globally/);
  assert.is(f[1].fix.split(';')[0], 'pin each: nodemon@X.Y.Z');
  assert.is(findings('FROM node:20-slim\nRUN npm install -g pnpm@9.15.9\n', [], 'unpinned-global-install').length, 0);
});

test('toolchain-in-final-stage reads ENV NODE_ENV $NODE_ENV after ARG NODE_ENV=production as production', () => {
  const df = 'FROM node:20-slim\nARG NODE_ENV=production\nENV NODE_ENV $NODE_ENV\nCOPY package.json package-lock.json ./\nRUN npm ci\nUSER node\n';
  assert.is(findings(df, ['package-lock.json'], 'toolchain-in-final-stage').length, 0);
  const dev = df.replace('ARG NODE_ENV=production', 'ARG NODE_ENV=development');
  assert.is(findings(dev, ['package-lock.json'], 'toolchain-in-final-stage').length, 1);
});

test.run();
