// The pure analysis: each kind of first cause from two Dockerfiles, two context snapshots and a trace.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BuildStep } from '../../../src/engine/engine.ts';
import { analyse, fileChanges, imageRefs, type WhySide } from '../../../src/why/analyse.ts';
import type { ContextFile, ContextSnapshot } from '../../../src/why/context-snapshot.ts';
import { causeText, whyText } from '../../../src/why/format.ts';

const DF = `ARG BASE=node:20-slim
FROM \${BASE} AS build
ARG GREETING=hello
WORKDIR /app
COPY package.json ./
RUN npm ci
COPY src ./src
RUN echo $GREETING > g
FROM \${BASE}
COPY --from=build /app/g /g
`;

const f = (sha: string, mode = 0o644): ContextFile => ({ sha256: sha, mode, kind: 'file' });

function ctx(files: Record<string, ContextFile>, ignored: string[] = []): ContextSnapshot {
  return { sent: new Map(Object.entries(files)), ignored: new Set(ignored), dockerignore: null };
}

const FILES = { Dockerfile: f('df'), 'package.json': f('p1'), 'src/a.js': f('a1'), 'src/b.js': f('b1') };

function side(over: Partial<WhySide> = {}): WhySide {
  return { dockerfile: DF, buildArgs: {}, context: ctx(FILES), imageIds: { 'node:20-slim': 'sha256:aaa' }, ...over };
}

/** The trace of DF's build, with the steps named here not cached. */
function trace(missed: string[], text: Record<string, string> = {}): BuildStep[] {
  const steps: Array<[string, string]> = [
    ['[build 2/6]', 'WORKDIR /app'], ['[build 3/6]', 'COPY package.json ./'], ['[build 4/6]', 'RUN npm ci'],
    ['[build 5/6]', 'COPY src ./src'], ['[build 6/6]', 'RUN echo hello > g'], ['[stage-1 2/2]', 'COPY --from=build /app/g /g'],
  ];
  return steps.map(([label, instruction]) => ({ label, instruction: text[label] ?? instruction, cached: !missed.includes(label), durationMs: missed.includes(label) ? 1000 : 0 }));
}

test('a changed source file is the first cause; the next step cascades; the runner copies a changed stage', () => {
  const after = side({ context: ctx({ ...FILES, 'src/a.js': f('a2') }) });
  const r = analyse({ before: side(), after, steps: trace(['[build 5/6]', '[build 6/6]', '[stage-1 2/2]']) });
  const [copy, run, runner] = r.steps.slice(3);
  assert.equal(copy.cause, { kind: 'files', instruction: 'COPY src ./src', files: [{ path: 'src/a.js', change: 'content' }], counts: { content: 1 }, metadataOnly: false });
  assert.equal(run.cause, { kind: 'cascade', after: '[build 5/6]', origin: '[build 5/6]' });
  assert.is(runner.cause?.kind, 'stage');
  assert.is(r.firstCauses.length, 1);
  assert.equal(r.firstCauses[0].cascade.map((s) => s.label), ['[build 6/6]', '[stage-1 2/2]']);
  assert.is(r.firstCauses[0].totalMs, 3000);
  assert.match(whyText(r), /cascade: \[build 6\/6\] 1\.00 s, \[stage-1 2\/2\] 1\.00 s/);
});

test('mode alone: metadata only, with both modes', () => {
  const after = side({ context: ctx({ ...FILES, 'package.json': f('p1', 0o664) }) });
  const r = analyse({ before: side(), after, steps: trace(['[build 3/6]', '[build 4/6]', '[build 5/6]', '[build 6/6]']) });
  assert.match(causeText(r.steps[1].cause!), /^metadata only: 1 file changed mode, content unchanged: package\.json \(mode 0644 -> 0664\)$/);
});

test('a file that was ignored and now is sent entered the context; one now ignored left it', () => {
  const before = ctx({ ...FILES, 'src/old.js': f('o') }, ['src/gen.js']);
  const after = ctx({ ...FILES, 'src/gen.js': f('g') }, ['src/old.js']);
  assert.equal(fileChanges(before, after, ['src']), [{ path: 'src/gen.js', change: 'entered-context' }, { path: 'src/old.js', change: 'left-context' }]);
  assert.equal(fileChanges(before, after, ['package.json']), []);
});

test('an ARG default changed: the first RUN after it names it; COPY does not see it', () => {
  const after = side({ dockerfile: DF.replace('GREETING=hello', 'GREETING=hi') });
  const r = analyse({ before: side(), after, steps: trace(['[build 4/6]', '[build 5/6]', '[build 6/6]', '[stage-1 2/2]'], { '[build 6/6]': 'RUN echo hi > g' }) });
  assert.equal(r.steps[2].cause, { kind: 'variable', name: 'GREETING', declaredBy: 'ARG', before: 'hello', after: 'hi', others: 0 });
  assert.is(r.steps[3].cause?.kind, 'cascade');
});

test('a build arg on the command line overrides the default on each side', () => {
  const r = analyse({ before: side({ buildArgs: { GREETING: 'a' } }), after: side({ buildArgs: { GREETING: 'b' } }), steps: trace(['[build 4/6]', '[build 5/6]', '[build 6/6]']) });
  assert.match(causeText(r.steps[2].cause!), /build arg GREETING changed: 'a' -> 'b'/);
});

test('the base image id changed under the same reference', () => {
  const r = analyse({ before: side(), after: side({ imageIds: { 'node:20-slim': 'sha256:bbb' } }), steps: trace(['[build 2/6]', '[build 3/6]', '[build 4/6]', '[build 5/6]', '[build 6/6]', '[stage-1 2/2]']) });
  assert.equal(r.steps[0].cause, { kind: 'base', stage: 'build', refBefore: 'node:20-slim', refAfter: 'node:20-slim', idBefore: 'sha256:aaa', idAfter: 'sha256:bbb' });
  assert.is(r.steps[5].cause?.kind, 'base');
  assert.is(r.firstCauses.length, 2);
});

test('the instruction text changed', () => {
  const after = side({ dockerfile: DF.replace('RUN npm ci', 'RUN npm ci --omit=dev') });
  const r = analyse({ before: side(), after, steps: trace(['[build 4/6]', '[build 5/6]', '[build 6/6]'], { '[build 4/6]': 'RUN npm ci --omit=dev' }) });
  assert.equal(r.steps[2].cause, { kind: 'instruction', before: 'RUN npm ci', after: 'RUN npm ci --omit=dev' });
});

test('no input change found: says so with what was compared, never a guess', () => {
  const r = analyse({ before: side(), after: side(), steps: trace(['[build 5/6]', '[build 6/6]']) });
  const cause = r.steps[3].cause!;
  assert.is(cause.kind, 'none');
  assert.match(causeText(cause), /^no input change found; compared: base image node:20-slim \(sha256:aaa\); instruction text; no ARG or ENV used; 2 context files \(content and mode\)$/);
});

test('nothing missed: no cause at all', () => {
  const r = analyse({ before: side(), after: side(), steps: trace([]) });
  assert.ok(r.steps.every((s) => s.cause === null));
  assert.match(whyText(r), /Every step came from the cache/);
});

test('imageRefs: FROM images with the build args, COPY --from images, not stages', () => {
  assert.equal(imageRefs(`${DF}COPY --from=busybox:1 /bin/sh /sh\n`, { BASE: 'x:1' }), ['x:1', 'busybox:1']);
});

test('a step served from an older cache record though its files changed: what follows is put down to it', () => {
  const after = side({ context: ctx({ ...FILES, 'src/a.js': f('a2') }) });
  // An earlier build left a record for the changed COPY; the RUN after it misses.
  const r = analyse({ before: side(), after, steps: trace(['[build 6/6]']) });
  const run = r.steps[4];
  assert.is(run.cause?.kind, 'cascade');
  assert.match(causeText(run.cause!), /^rebuilt because the input of \[build 5\/6\] changed, though that step itself came from an older cache record: 1 file it copies changed: src\/a\.js \(content\)$/);
  assert.equal(r.firstCauses.map((c) => [c.step.label, c.step.cached, c.cause.kind, c.totalMs]), [['[build 5/6]', true, 'files', 1000]]);
  assert.match(whyText(r), /\[build 5\/6\] COPY src \.\/src \(served from an older cache record\): 1 file/);
});

test('a step of a concurrent build that BuildKit shared and named is left out, and said so', () => {
  const steps = [...trace([]), { label: '[runner 2/5]', instruction: 'WORKDIR /app', cached: false, durationMs: 5 }];
  const r = analyse({ before: side(), after: side(), steps });
  assert.is(r.steps.length, 6);
  assert.equal(r.foreign, ['[runner 2/5] WORKDIR /app']);
  assert.match(whyText(r), /Left out, not steps of this Dockerfile \(a concurrent build on the engine shared them\): \[runner 2\/5\] WORKDIR \/app/);
});

test('rebuilt steps without a time in the trace (a concurrent build ran them): a warning', () => {
  const steps = trace(['[build 5/6]']).map((s) => (s.label === '[build 5/6]' ? { ...s, durationMs: null } : s));
  assert.match(whyText(analyse({ before: side(), after: side(), steps })), /Warning: 1 rebuilt step has no start or end in the trace/);
});

test.run();
