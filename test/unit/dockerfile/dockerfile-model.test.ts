import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { baseImageArgNames, parseDockerfile, stageChain, substituteArgs } from '../../../src/dockerfile/dockerfile-model.ts';
import { baseImageArgs } from '../../../src/profile/profile.ts';

const DF = `# syntax=docker/dockerfile:1
ARG NODE_IMAGE=node:20
ARG DISTROLESS_IMAGE="gcr.io/distroless/nodejs20-debian12"
FROM \${NODE_IMAGE} AS Builder
RUN --mount=type=cache,target=/root/.npm npm ci \\
  && npm run build
FROM builder AS test
FROM $DISTROLESS_IMAGE AS runner
COPY --from=builder ["/app/dist", "./dist"]
`;

test('resolves ARG variables in FROM, with build args overriding the defaults', () => {
  const m = parseDockerfile(DF);
  assert.equal(m.stages.map((s) => s.fromResolved), ['node:20', 'builder', 'gcr.io/distroless/nodejs20-debian12']);
  const offline = parseDockerfile(DF, undefined, { NODE_IMAGE: 'stagebench-offline/node:20' });
  assert.is(offline.stages[0].fromResolved, 'stagebench-offline/node:20');
  assert.is(offline.stages[0].fromRaw, '${NODE_IMAGE}');
});

test('stage names are case-insensitive, FROM a stage links to it, the target picks the final stage', () => {
  const m = parseDockerfile(DF, 'test');
  assert.equal(m.stages.map((s) => s.name), ['builder', 'test', 'runner']);
  assert.is(m.stages[1].parent, 0);
  assert.is(m.finalIndex, 1);
  assert.equal(stageChain(m, 1).map((s) => s.index), [0, 1]);
  assert.is(parseDockerfile(DF).finalIndex, 2);
});

test('reads multi-line RUNs with flags and JSON-form COPY', () => {
  const m = parseDockerfile(DF);
  const run = m.stages[0].instructions[0];
  assert.is(run.line, 5);
  assert.is(run.endLine, 6);
  assert.equal(run.flagTexts, ['--mount=type=cache,target=/root/.npm']);
  assert.match(run.command, /^npm ci\s+&& npm run build$/);
  const copy = m.stages[2].instructions[0];
  assert.equal(copy.args, ['/app/dist', './dist']);
  assert.is(copy.flags.from, 'builder');
});

test('substitutes ${VAR:-default} and ${VAR:+alt}', () => {
  assert.is(substituteArgs('${A:-node}:${B:-20}${C:+-slim}', { B: '22', C: 'x' }), 'node:22-slim');
});

test('base image args: the ARG each FROM names as its whole image, not an earlier stage or a literal image', () => {
  const text = 'ARG NODE_IMAGE=node:20\nARG SLIM=node:20-slim\nFROM --platform=linux/amd64 ${NODE_IMAGE} AS build\nRUN true\nFROM build AS test\nFROM $SLIM\nFROM busybox\n';
  assert.equal(baseImageArgNames(parseDockerfile(text)), ['NODE_IMAGE', 'SLIM']);
  assert.equal([...baseImageArgs([text, 'FROM ${DISTROLESS_IMAGE:-gcr.io/distroless/nodejs20-debian12}\n'])], ['NODE_IMAGE', 'SLIM', 'DISTROLESS_IMAGE']);
});

test.run();
