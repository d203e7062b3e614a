import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { candidateDockerfile } from '../../../src/tune/candidate.ts';
import { tuneFindings } from '../../../src/tune/rules.ts';
import { GOOD_DOCKERFILE, input } from './dockerfiles.ts';

const BAD_ORDER = `ARG NODE_IMAGE=node:20
FROM \${NODE_IMAGE}
WORKDIR /app
COPY . .
RUN npm install
RUN npm run build
CMD ["node", "dist/server.js"]
`;

const rules = (text: string) => tuneFindings(input(text)).map((f) => f.rule);

test('the candidate of a bad-order Dockerfile has no deps-after-context-copy finding', () => {
  assert.ok(rules(BAD_ORDER).includes('deps-after-context-copy'));
  const c = candidateDockerfile(input(BAD_ORDER));
  assert.not.ok(rules(c.text).includes('deps-after-context-copy'));
  assert.not.ok(rules(c.text).includes('npm-install-with-lockfile'));
});

test('manifests that exist are copied first, the install switches to npm ci, the context copy follows it', () => {
  const c = candidateDockerfile(input(BAD_ORDER));
  assert.is(c.text, BAD_ORDER.replace('COPY . .\nRUN npm install\n', 'COPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n'));
  assert.equal(c.edits.map((e) => [e.kind, e.line]), [['copy-manifests', 4], ['move-context-copy', 4], ['npm-ci', 5]]);
});

test('without a lockfile only package.json is copied and npm install stays', () => {
  const c = candidateDockerfile(input(BAD_ORDER, { contextEntries: ['package.json', 'src'] }));
  assert.match(c.text, /COPY package\.json \.\/\nRUN npm install\nCOPY \. \.\n/);
  assert.not.ok(c.edits.some((e) => e.kind === 'npm-ci'));
});

test('a RUN that installs then builds is split so the build still sees the sources', () => {
  const df = 'FROM node:20-slim AS builder\nWORKDIR /app\nCOPY --chown=node:node . /app\nRUN npm ci \\\n    && npm run build\nUSER node\n';
  const c = candidateDockerfile(input(df));
  assert.is(c.text, 'FROM node:20-slim AS builder\nWORKDIR /app\nCOPY --chown=node:node package.json package-lock.json /app/\nRUN npm ci\nCOPY --chown=node:node . /app\nRUN npm run build\nUSER node\n');
  assert.ok(c.edits.some((e) => e.kind === 'split-run' && e.line === 4));
});

test('a manifest a .dockerignore excludes is not copied', () => {
  const c = candidateDockerfile(input(BAD_ORDER, { dockerignore: 'node_modules\npackage-lock.json\n' }));
  assert.match(c.text, /COPY package\.json \.\/\n/);
});

test('when the manifests are already copied, only the context copy moves', () => {
  const df = 'FROM node:20-slim\nCOPY package*.json ./\nCOPY . .\nRUN npm ci\nUSER node\n';
  const c = candidateDockerfile(input(df));
  assert.is(c.text, 'FROM node:20-slim\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nUSER node\n');
  assert.equal(c.edits.map((e) => e.kind), ['move-context-copy']);
});

test('a good Dockerfile is unchanged, with no edits', () => {
  const c = candidateDockerfile(input(GOOD_DOCKERFILE));
  assert.is(c.text, GOOD_DOCKERFILE);
  assert.equal(c.edits, []);
});

test.run();
