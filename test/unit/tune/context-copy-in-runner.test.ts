import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tuneFindings } from '../../../src/tune/rules.ts';
import { GOOD_DOCKERFILE, input } from './dockerfiles.ts';

const rule = (df: string, target?: string) =>
  tuneFindings(input(df, target ? { target } : {})).filter((f) => f.rule === 'context-copy-in-runner');

const MULTI = 'FROM node:20 AS builder\nCOPY . .\nRUN npm ci && npm run build\nFROM node:20-slim AS runner\nCOPY . .\nCOPY --from=builder /dist ./dist\nUSER node\n';

test('fires on the COPY . . of the final stage of a multi-stage build', () => {
  assert.equal(rule(MULTI).map((f) => f.line), [5]);
});

test('the final stage is the target when one is given', () => {
  assert.equal(rule(`${MULTI}FROM node:20-slim AS later\nCOPY src ./src\n`, 'runner').map((f) => f.line), [5]);
  assert.equal(rule(`${MULTI}FROM node:20-slim AS later\nCOPY src ./src\n`), []);
});

test('does not fire on a single-stage build, on COPY --from, or on the builder stage', () => {
  assert.equal(rule('FROM node:20-slim\nCOPY . .\n'), []);
  assert.equal(rule(GOOD_DOCKERFILE), []);
});

test('an unknown target is a usage error that names it', () => {
  assert.throws(() => rule(MULTI, 'prod'), /no stage named 'prod'/);
});

test.run();
