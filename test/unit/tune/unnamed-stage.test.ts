import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tuneFindings } from '../../../src/tune/rules.ts';
import { GOOD_DOCKERFILE, input } from './dockerfiles.ts';

const rule = (df: string) => tuneFindings(input(df)).filter((f) => f.rule === 'unnamed-stage');

test('fires on each FROM without AS in a multi-stage Dockerfile', () => {
  const found = rule('FROM node:20\nRUN echo build\nFROM node:20-slim AS runner\nCOPY --from=0 /x /x\nFROM gcr.io/distroless/nodejs20-debian12\n');
  assert.equal(found.map((f) => f.line), [1, 5]);
});

test('does not fire on a single-stage Dockerfile or on named stages', () => {
  assert.equal(rule('FROM node:20-slim\nUSER node\n'), []);
  assert.equal(rule(GOOD_DOCKERFILE), []);
});

test.run();
