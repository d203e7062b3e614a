import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isFullNodeImage, tuneFindings } from '../../../src/tune/rules.ts';
import { GOOD_DOCKERFILE, input } from './dockerfiles.ts';

const rule = (df: string) => tuneFindings(input(df)).filter((f) => f.rule === 'toolchain-in-final-stage');

test('fires on an install of devDependencies in the final stage', () => {
  const found = rule('FROM node:20-slim AS app\nCOPY package*.json ./\nRUN npm ci\nUSER node\n');
  assert.equal(found.map((f) => f.line), [3]);
});

test('a prune in a later RUN does not help: the install layer keeps them, and the message says so', () => {
  const found = rule('FROM node:20-slim\nCOPY package*.json ./\nRUN npm ci\nRUN npm prune --omit=dev\n');
  assert.is(found.length, 1);
  assert.match(found[0].message, /line 4/);
});

test('fires on apt-get install of compilers in the final stage', () => {
  const found = rule('FROM debian:12 AS runner\nRUN apt-get update && apt-get install -y --no-install-recommends build-essential python3 curl\n');
  assert.is(found.length, 1);
  assert.is(found[0].line, 2);
  assert.match(found[0].message, /build-essential, python3/);
});

test('fires on a full node base for the final image, resolving ARG variables in FROM', () => {
  const found = rule('ARG NODE_IMAGE=node:20\nFROM ${NODE_IMAGE}\nCOPY package*.json ./\nRUN npm ci --omit=dev\n');
  assert.equal(found.map((f) => f.line), [2]);
  assert.match(found[0].message, /node:20/);
});

test('fires on a build step in a single-stage image whose install omitted nothing else to blame', () => {
  const found = rule('FROM node:20-slim\nRUN npm install -g typescript\nCOPY . .\nRUN tsc -p .\n');
  assert.equal(found.map((f) => f.line), [4]);
});

test('fires when the final stage starts FROM the builder stage and inherits its devDependencies', () => {
  const found = rule('FROM node:20-slim AS builder\nCOPY package*.json ./\nRUN npm ci\nRUN npm run build\nFROM builder AS runner\nUSER node\n');
  assert.equal(found.map((f) => f.line), [3]);
  assert.match(found[0].message, /inherited from stage 'builder'/);
});

test('does not fire on a production install, NODE_ENV=production, a same-layer prune, or compilers in a builder stage', () => {
  assert.equal(rule(GOOD_DOCKERFILE), []);
  assert.equal(rule('FROM node:20-slim\nENV NODE_ENV=production\nRUN npm ci\n'), []);
  assert.equal(rule('FROM node:20-slim\nRUN npm ci && npm run build && npm prune --omit=dev\n'), []);
  assert.equal(rule('FROM node:20-slim AS b\nRUN apt-get install -y g++ make\nFROM node:20-slim AS r\nCOPY --from=b /app /app\n'), []);
  assert.equal(rule('FROM node:20-slim\nRUN apt-get install -y gcc && npm ci --omit=dev && apt-get purge -y gcc\n'), []);
});

test('full node images are the untagged, numbered and Debian-named tags, not slim/alpine/distroless', () => {
  for (const ref of ['node', 'node:20', 'node:lts', 'node:20-bookworm', 'docker.io/library/node:20', 'stagebench-offline/node:20', 'localhost:5000/node']) assert.ok(isFullNodeImage(ref), ref);
  for (const ref of ['node:20-slim', 'node:20-alpine', 'gcr.io/distroless/nodejs20-debian12', 'debian:12', 'stagebench-offline/node:20-slim', 'localhost:5000/node:20-slim']) assert.not.ok(isFullNodeImage(ref), ref);
});

test.run();
