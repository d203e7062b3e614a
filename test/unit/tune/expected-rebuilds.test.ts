import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDockerfile } from '../../../src/dockerfile/dockerfile-model.ts';
import { mayRebuild, sourceIncludes, unexpectedRebuilds } from '../../../src/tune/expected-rebuilds.ts';
import { GOOD_DOCKERFILE } from './dockerfiles.ts';

test('a source change may rebuild from the context COPY on, and the runner from its COPY --from on', () => {
  // builder: 4 WORKDIR, 5 COPY manifests, 6 npm ci, 7 COPY . ., 8 build; runner: 11..17
  const lines = [...mayRebuild(parseDockerfile(GOOD_DOCKERFILE), ['src/server.ts'])].sort((a, b) => a - b);
  assert.equal(lines, [7, 8, 15, 16, 17]);
});

test('a dependency change may rebuild from the manifest COPY on, in both stages', () => {
  const lines = [...mayRebuild(parseDockerfile(GOOD_DOCKERFILE), ['package.json', 'package-lock.json'])].sort((a, b) => a - b);
  assert.equal(lines, [5, 6, 7, 8, 13, 14, 15, 16, 17]);
});

test('a stage that starts FROM an invalidated stage is invalidated from its first line', () => {
  const m = parseDockerfile('FROM node:20 AS a\nCOPY src ./src\nFROM a AS b\nRUN echo\nFROM node:20 AS c\nRUN echo\n');
  assert.equal([...mayRebuild(m, ['src/x.ts'])].sort((x, y) => x - y), [2, 4]);
});

test('bind mounts of the context count as reading it', () => {
  const m = parseDockerfile('FROM node:20\nRUN --mount=type=bind,source=package.json,target=package.json npm ci\nRUN --mount=type=cache,target=/root/.npm true\n');
  assert.equal([...mayRebuild(m, ['package.json'])], [2, 3]);
  assert.equal([...mayRebuild(m, ['src/a.ts'])], []);
});

test('COPY sources: folders, globs and the whole context', () => {
  assert.ok(sourceIncludes('.', 'src/a.ts'));
  assert.ok(sourceIncludes('./src/', 'src/a.ts'));
  assert.ok(sourceIncludes('package*.json', 'package-lock.json'));
  assert.ok(sourceIncludes('sr*', 'src/a.ts'));
  assert.not.ok(sourceIncludes('package*.json', 'src/a.ts'));
  assert.not.ok(sourceIncludes('srcx', 'src/a.ts'));
});

test('a rebuilt step outside the allowed lines is reported; cached ones and unknown lines are not', () => {
  const costs = [
    { label: '[2/5]', instruction: 'WORKDIR /app', line: 4, cached: false, durationMs: 500 },
    { label: '[3/5]', instruction: 'COPY . .', line: 7, cached: false, durationMs: 50 },
    { label: '[4/5]', instruction: 'RUN npm ci', line: 6, cached: true, durationMs: 0 },
    { label: '[5/5]', instruction: 'RUN x', line: null, cached: false, durationMs: 1 },
  ];
  assert.equal(unexpectedRebuilds(costs, new Set([7, 8])).map((c) => c.line), [4]);
});

test.run();
