import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cacheMountCandidate, packageCacheDir } from '../../../src/tune/cache-mount.ts';
import { tuneFindings } from '../../../src/tune/rules.ts';
import { GOOD_DOCKERFILE, input } from './dockerfiles.ts';

const rule = (text: string) => tuneFindings(input(text)).filter((f) => f.rule === 'install-without-cache-mount');

const PLAIN = `FROM node:20-slim AS builder
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build
USER node
CMD ["node", "dist/server.js"]
`;

test('an npm ci without a cache mount is flagged on its line, naming npm\'s cache folder', () => {
  const found = rule(PLAIN);
  assert.is(found.length, 1);
  assert.is(found[0].line, 4);
  assert.is(found[0].severity, 'warning');
  assert.match(found[0].message, /npm's cache \(\/root\/\.npm\)/);
  assert.match(found[0].fix, /RUN --mount=type=cache,target=\/root\/\.npm \.\.\./);
  assert.match(found[0].fix, /fresh CI runner/);
});

test('a cache mount on npm\'s cache folder satisfies the rule, with or without a trailing slash or other fields', () => {
  assert.equal(rule(GOOD_DOCKERFILE), []);
  assert.equal(rule(PLAIN.replace('RUN npm ci', 'RUN --mount=type=cache,target=/root/.npm/ npm ci')), []);
  assert.equal(rule(PLAIN.replace('RUN npm ci', 'RUN --mount=type=cache,id=npm,dst=/root/.npm,sharing=locked npm ci')), []);
});

test('a cache mount on another folder, or a bind mount on the right one, does not count', () => {
  const other = rule(PLAIN.replace('RUN npm ci', 'RUN --mount=type=cache,target=/tmp/cache npm ci'));
  assert.is(other.length, 1);
  assert.match(other[0].message, /its cache mount targets \/tmp\/cache, not that folder/);
  assert.is(rule(PLAIN.replace('RUN npm ci', 'RUN --mount=target=/root/.npm npm ci')).length, 1);
});

test('the cache folder follows USER, HOME and npm_config_cache', () => {
  const asNode = rule(PLAIN.replace('RUN npm ci', 'USER node\nRUN npm ci'));
  assert.match(asNode[0].message, /\/home\/node\/\.npm/);
  assert.match(asNode[0].fix, /--mount=type=cache,target=\/home\/node\/\.npm,uid=1000,gid=1000/);
  const moved = rule(PLAIN.replace('RUN npm ci', 'ENV npm_config_cache=/cache/npm\nRUN npm ci'));
  assert.match(moved[0].message, /\(\/cache\/npm\)/);
  assert.match(rule(PLAIN.replace('RUN npm ci', 'RUN npm_config_cache=/c npm ci'))[0].message, /\(\/c\)/);
  const unknownUser = rule(PLAIN.replace('RUN npm ci', 'USER app\nRUN npm ci'));
  assert.match(unknownUser[0].fix, /uid=UID \(the uid of user app/);
});

test('yarn and pnpm installs name their own caches; global installs and non-installs are left alone', () => {
  assert.match(rule(PLAIN.replace('RUN npm ci', 'RUN yarn install --frozen-lockfile'))[0].message, /yarn's cache \(\/usr\/local\/share\/\.cache\/yarn\)/);
  assert.match(rule(PLAIN.replace('RUN npm ci', 'RUN pnpm install --frozen-lockfile'))[0].message, /pnpm's cache \(\/root\/\.local\/share\/pnpm\/store\)/);
  assert.equal(rule(PLAIN.replace('RUN npm ci', 'RUN npm install -g pnpm@9.1.0')), []);
  assert.equal(rule(PLAIN.replace('RUN npm ci', 'RUN npm run lint')), []);
  assert.is(packageCacheDir('pnpm', 'root', { PNPM_HOME: '/pnpm' }), '/pnpm/store');
  assert.is(packageCacheDir('yarn', 'node', {}), '/home/node/.cache/yarn');
});

test('one finding per install, in every built stage, none in a stage after the target', () => {
  const two = `FROM node:20 AS builder
RUN npm ci && npm run build
FROM node:20-slim AS runner
RUN npm ci --omit=dev
FROM node:20 AS test
RUN npm ci
`;
  assert.equal(rule(two).map((f) => f.line), [2, 4, 6]);
  assert.equal(tuneFindings(input(two, { target: 'runner' })).filter((f) => f.rule === 'install-without-cache-mount').map((f) => f.line), [2, 4]);
});

test('the candidate adds the mount after RUN, keeps every other line, and then no longer fires the rule', () => {
  const c = cacheMountCandidate(input(PLAIN));
  assert.is(c.text, PLAIN.replace('RUN npm ci', 'RUN --mount=type=cache,target=/root/.npm npm ci'));
  assert.equal(c.edits.map((e) => [e.kind, e.line]), [['cache-mount', 4]]);
  assert.equal(rule(c.text), []);
});

test('the candidate keeps existing flags and continuation lines, and skips a user whose uid is unknown', () => {
  const df = 'FROM node:20\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci \\\n    && npm run build\nUSER app\nRUN npm install\n';
  const c = cacheMountCandidate(input(df));
  assert.is(c.text, 'FROM node:20\nRUN --mount=type=cache,target=/root/.npm --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci \\\n    && npm run build\nUSER app\nRUN npm install\n');
  assert.equal(c.edits.map((e) => e.line), [2]);
  assert.equal(cacheMountCandidate(input(GOOD_DOCKERFILE)).edits, []);
});

test.run();
