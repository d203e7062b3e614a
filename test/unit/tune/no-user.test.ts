import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tuneFindings } from '../../../src/tune/rules.ts';
import { GOOD_DOCKERFILE, input } from './dockerfiles.ts';

const rule = (df: string) => tuneFindings(input(df)).filter((f) => f.rule === 'no-user');

test('fires on the final FROM line when the final stage has no USER', () => {
  const found = rule('FROM node:20-slim AS builder\nUSER node\nFROM node:20-slim AS runner\nCMD ["node", "x.js"]\n');
  assert.equal(found.map((f) => f.line), [3]);
});

test('fires on a USER root that comes last', () => {
  const found = rule('FROM node:20-slim\nUSER node\nRUN true\nUSER 0:0\n');
  assert.equal(found.map((f) => f.line), [4]);
});

test('fires on a distroless base without the nonroot tag', () => {
  assert.is(rule('ARG D=gcr.io/distroless/nodejs20-debian12\nFROM ${D} AS runner\n').length, 1);
});

test('does not fire with USER node, on a distroless nonroot base, or with the USER set in the stage it starts from', () => {
  assert.equal(rule(GOOD_DOCKERFILE), []);
  assert.equal(rule('ARG D=gcr.io/distroless/nodejs20-debian12:nonroot\nFROM ${D} AS runner\n'), []);
  assert.equal(rule('FROM node:20-slim AS base\nUSER node\nFROM base AS runner\nCMD ["node", "x.js"]\n'), []);
});

test.run();
