// The legacy builder's "Step N/M : ..." output into build steps: cached steps, durations from arrival times, and
// neither the ARGs before the first FROM, nor FROM, nor the LABEL step the engine adds for build labels.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LegacyStepParser } from '../../../src/engine/build-trace.ts';

const LABELS = { 'org.stagebench.run': 'run-1', 'org.stagebench.scenario': 'demo', 'org.stagebench.variant': 'single' };

/** Feeds the lines one `stream` message each, one second apart; returns the parser and the time after the last. */
function feed(lines: string[]): { parser: LegacyStepParser; end: number } {
  const parser = new LegacyStepParser();
  lines.forEach((l, i) => parser.line(`${l}\n`, i * 1000));
  return { parser, end: lines.length * 1000 };
}

// What Debian's engine 20.10 prints for a legacy build with three build labels: it appends one LABEL step per label.
const BUILD = [
  'Step 1/10 : ARG NODE_IMAGE=node:20',
  'Step 2/10 : FROM ${NODE_IMAGE}',
  ' ---> 2dba04967b78',
  'Step 3/10 : WORKDIR /app',
  ' ---> Using cache',
  ' ---> 5e0c2a1d9f11',
  'Step 4/10 : COPY package*.json ./',
  ' ---> 77ab0c1e2f30',
  'Step 5/10 : RUN npm install',
  ' ---> Running in 1f2e3d4c5b6a',
  'added 120 packages in 3s',
  'Removing intermediate container 1f2e3d4c5b6a',
  ' ---> 88aa0c1e2f31',
  'Step 6/10 : CMD ["node", "dist/server.js"]',
  ' ---> Running in 2f2e3d4c5b6a',
  ' ---> 99aa0c1e2f32',
  'Step 7/10 : LABEL org.stagebench.run=run-1',
  ' ---> Running in 3f2e3d4c5b6a',
  ' ---> aaaa0c1e2f33',
  'Step 8/10 : LABEL org.stagebench.scenario=demo',
  ' ---> Running in 4f2e3d4c5b6a',
  ' ---> bbbb0c1e2f33',
  'Step 9/10 : LABEL org.stagebench.variant=single',
  ' ---> Running in 5f2e3d4c5b6a',
  ' ---> cccc0c1e2f33',
  'Successfully built cccc0c1e2f33',
];

// The engine adds one "LABEL key=value" step per build label (as this machine's engine 20.10 does for
// `DOCKER_BUILDKIT=0 docker build --label a=1 --label b=2 --label c=3`): none of them is a Dockerfile step.
test('ARG before the first FROM, the FROM, and the LABEL steps the engine adds for the build labels are not steps', () => {
  const { parser, end } = feed(BUILD);
  const steps = parser.finish(end, LABELS);
  assert.equal(steps.map((s) => s.instruction), ['WORKDIR /app', 'COPY package*.json ./', 'RUN npm install', 'CMD ["node", "dist/server.js"]']);
  assert.equal(steps.map((s) => s.label), ['[3/10]', '[4/10]', '[5/10]', '[6/10]']);
});

test('the build-label LABEL steps are left out whatever order the engine appends them in', () => {
  const lines = [
    'Step 1/5 : FROM node:20',
    'Step 2/5 : RUN true',
    'Step 3/5 : LABEL org.stagebench.variant=single',
    'Step 4/5 : LABEL org.stagebench.run=run-1',
    'Step 5/5 : LABEL org.stagebench.scenario=demo',
  ];
  const { parser, end } = feed(lines);
  assert.equal(parser.finish(end, LABELS).map((s) => s.instruction), ['RUN true']);
});

test('" ---> Using cache" marks the step it follows as cached, and only that one', () => {
  const { parser, end } = feed(BUILD);
  assert.equal(parser.finish(end, LABELS).map((s) => s.cached), [true, false, false, false]);
});

test('a step lasts until the next step starts (the last one until finish)', () => {
  const { parser, end } = feed(BUILD);
  const steps = parser.finish(end, LABELS);
  // WORKDIR arrived at line 3 (3 s), COPY at line 6 (6 s); RUN at 8 s, CMD at 13 s, the first LABEL at 16 s.
  assert.equal(steps.map((s) => s.durationMs), [3000, 2000, 5000, 3000]);
});

test('a LABEL the Dockerfile itself ends with stays a step when it is not the build labels', () => {
  const lines = ['Step 1/3 : FROM node:20', 'Step 2/3 : RUN true', 'Step 3/3 : LABEL maintainer=team'];
  const { parser, end } = feed(lines);
  assert.equal(parser.finish(end, LABELS).map((s) => s.instruction), ['RUN true', 'LABEL maintainer=team']);
});

test('without build labels, a trailing LABEL step is kept', () => {
  const lines = ['Step 1/2 : FROM node:20', 'Step 2/2 : LABEL org.stagebench.run=x'];
  const { parser, end } = feed(lines);
  assert.equal(parser.finish(end, {}).map((s) => s.instruction), ['LABEL org.stagebench.run=x']);
});

test('multi-stage: every FROM is left out, ARGs inside a stage are kept', () => {
  const lines = [
    'Step 1/6 : ARG NODE_ALPINE_IMAGE=node:20-alpine',
    'Step 2/6 : FROM ${NODE_ALPINE_IMAGE} AS builder',
    'Step 3/6 : ARG BUILD_MODE=prod',
    'Step 4/6 : RUN npm ci',
    'Step 5/6 : FROM ${NODE_ALPINE_IMAGE} AS runner',
    ' ---> Using cache',
    'Step 6/6 : COPY --from=builder /app/dist ./dist',
    ' ---> Using cache',
  ];
  const { parser, end } = feed(lines);
  const steps = parser.finish(end, {});
  assert.equal(steps.map((s) => s.instruction), ['ARG BUILD_MODE=prod', 'RUN npm ci', 'COPY --from=builder /app/dist ./dist']);
  assert.equal(steps.map((s) => s.cached), [false, false, true]);
});

test('one stream message may carry several lines, and CRLF line ends are tolerated', () => {
  const parser = new LegacyStepParser();
  parser.line('Step 1/3 : FROM node:20\r\n ---> abc\r\nStep 2/3 : RUN a\r\n ---> Using cache\r\n', 0);
  parser.line('Step 3/3 : RUN b\n', 10);
  const steps = parser.finish(30, {});
  assert.equal(steps.map((s) => [s.instruction, s.cached, s.durationMs]), [['RUN a', true, 10], ['RUN b', false, 20]]);
});

test.run();
