// The one Dockerfile reader (src/dockerfile/instructions.ts) and the stage model built on it: FROM lines with flags,
// ARGs and `as` in any case, unnamed stages, FROM references rewritten in place, and the texts it must not take for
// a FROM (a heredoc's body, a continued line).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DOCKERFILE_KEYWORDS, fromLines, isFromInstruction, readDockerfile, withImage } from '../../../src/dockerfile/instructions.ts';
import { parseDockerfile } from '../../../src/dockerfile/dockerfile-model.ts';
import { dockerfileStages } from '../../../src/engine/build-trace.ts';

const MULTI = `ARG NODE_IMAGE=node:20
ARG RUNNER
FROM --platform=$BUILDPLATFORM \${NODE_IMAGE} as Deps
RUN npm ci
from deps AS build
RUN npm run build
FROM \${NODE_IMAGE}
COPY --from=build /app/dist ./dist
FROM gcr.io/distroless/nodejs20-debian12@sha256:abc AS runner
COPY --from=2 /app /app
`;

test('readDockerfile: every instruction in order, keyword upper-cased, 1-based lines, flags apart', () => {
  const d = readDockerfile(MULTI);
  assert.equal(d.instructions.map((i) => i.keyword), ['ARG', 'ARG', 'FROM', 'RUN', 'FROM', 'RUN', 'FROM', 'COPY', 'FROM', 'COPY']);
  assert.equal(d.instructions[2].flags, [{ name: 'platform', value: '$BUILDPLATFORM' }]);
  assert.equal(d.instructions[7].flags, [{ name: 'from', value: 'build' }]);
  assert.equal(d.instructions[7].args, ['/app/dist', './dist']);
  assert.equal(d.instructions.map((i) => i.line), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
});

test('readDockerfile: FROMs with image as written, stage name as written, flags left out of the arguments', () => {
  const { froms } = readDockerfile(MULTI);
  assert.equal(froms.map((f) => f.image), ['${NODE_IMAGE}', 'deps', '${NODE_IMAGE}', 'gcr.io/distroless/nodejs20-debian12@sha256:abc']);
  assert.equal(froms.map((f) => f.stage), ['Deps', 'build', null, 'runner']);
  assert.equal(froms[0].args, ['${NODE_IMAGE}', 'as', 'Deps']);
  assert.equal(froms.map((f) => f.line), [3, 5, 7, 9]);
});

test('readDockerfile: the ARGs before the first FROM, a missing default as null', () => {
  assert.equal(readDockerfile(MULTI).initialArgs, [
    { line: 1, name: 'NODE_IMAGE', value: 'node:20' },
    { line: 2, name: 'RUNNER', value: null },
  ]);
});

test('parseDockerfile on the same text: names lower-cased, FROM a stage links it, ARG substituted, unnamed stage null', () => {
  const m = parseDockerfile(MULTI, undefined, { NODE_IMAGE: 'stagebench-offline/node:20' });
  assert.equal(m.stages.map((s) => s.name), ['deps', 'build', null, 'runner']);
  assert.equal(m.stages.map((s) => s.parent), [null, 0, null, null]);
  assert.equal(m.stages.map((s) => s.fromResolved), ['stagebench-offline/node:20', 'deps', 'stagebench-offline/node:20', 'gcr.io/distroless/nodejs20-debian12@sha256:abc']);
  assert.equal(m.stages.map((s) => s.fromLine), [3, 5, 7, 9]);
  assert.equal(m.stages[0].instructions.map((i) => i.keyword), ['RUN']);
});

test('dockerfileStages: stage labels as BuildKit prints them, stage-N for an unnamed stage of several, none for one', () => {
  assert.equal(dockerfileStages(MULTI), ['Deps', 'build', 'stage-2', 'runner']);
  assert.equal(dockerfileStages('FROM node:20\nRUN true\n'), ['']);
  assert.equal(dockerfileStages('FROM node:20\nFROM node:20-slim\n'), ['stage-0', 'stage-1']);
});

test('a FROM inside a RUN heredoc is script text, not a stage', () => {
  const text = 'FROM node:20\nRUN <<EOF\nFROM node:16\nEOF\n';
  assert.equal(dockerfileStages(text), ['']);
  assert.equal(fromLines(text).map((f) => f.image), ['node:20']);
});

test('fromLines and withImage: the reference replaced, flags, `as` and CRLF endings kept', () => {
  const text = 'ARG X=1\nFROM --platform=linux/amd64 node:18-slim as build\r\n  FROM node:20\nFROM \\\n  node:22\n';
  const froms = fromLines(text);
  // The continued FROM (lines 4-5) is left out: references are rewritten line by line.
  assert.equal(froms.map((f) => [f.line, f.image]), [[2, 'node:18-slim'], [3, 'node:20']]);
  assert.is(withImage(froms[0], '${NODE_SLIM_IMAGE}'), 'FROM --platform=linux/amd64 ${NODE_SLIM_IMAGE} as build\r');
  assert.is(withImage(froms[1], '${NODE_IMAGE}'), '  FROM ${NODE_IMAGE}');
});

test('isFromInstruction: a trace step that starts a stage', () => {
  assert.ok(isFromInstruction('FROM docker.io/library/node:20@sha256:abc'));
  assert.ok(isFromInstruction('from node:20 AS x'));
  assert.not.ok(isFromInstruction('RUN echo FROM x'));
  assert.not.ok(isFromInstruction('FROMAGE'));
});

test('DOCKERFILE_KEYWORDS: the builder\'s instructions, upper-case', () => {
  for (const k of ['FROM', 'RUN', 'COPY', 'ADD', 'ARG', 'ENV', 'HEALTHCHECK', 'ONBUILD']) assert.ok(DOCKERFILE_KEYWORDS.has(k), k);
  assert.not.ok(DOCKERFILE_KEYWORDS.has('FOO'));
});

test.run();
