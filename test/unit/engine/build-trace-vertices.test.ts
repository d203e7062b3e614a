// BuildKit trace vertices into build steps: repeated updates merged, FROM and internal vertices left out, stages in
// Dockerfile order, cache flags and durations from protobuf timestamps.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { VertexCollector, isInstructionVertex, stepsFromVertices, type TraceTimestamp, type TraceVertex } from '../../../src/engine/build-trace.ts';

/** A timestamp as protobufjs decodes it with longs as strings: seconds since the epoch and nanoseconds. */
function ts(seconds: number, nanos = 0): TraceTimestamp {
  return { seconds: String(seconds), nanos };
}
const ZERO: TraceTimestamp = { seconds: '0', nanos: 0 };
const T = 1_700_000_000;

function vertex(digest: string, name: string, extra: Partial<TraceVertex> = {}): TraceVertex {
  return { digest, name, cached: false, started: ZERO, completed: ZERO, error: '', ...extra };
}

test('VertexCollector: a vertex reported as started, then completed, is one vertex with both times', () => {
  const c = new VertexCollector();
  c.add(vertex('sha256:a', '[2/3] RUN npm ci', { started: ts(T) }));
  c.add(vertex('sha256:a', '[2/3] RUN npm ci', { started: ts(T), completed: ts(T + 2, 500_000_000) }));
  const vs = c.vertices();
  assert.is(vs.length, 1);
  assert.equal(vs[0].started, ts(T));
  assert.equal(vs[0].completed, ts(T + 2, 500_000_000));
});

test('VertexCollector: a later update with zero (unset) timestamps keeps the times an earlier one set', () => {
  const c = new VertexCollector();
  c.add(vertex('sha256:a', '[2/3] RUN npm ci', { started: ts(T), completed: ts(T + 1) }));
  c.add(vertex('sha256:a', '', { started: ZERO, completed: null }));
  const [v] = c.vertices();
  assert.is(v.name, '[2/3] RUN npm ci');
  assert.equal(v.started, ts(T));
  assert.equal(v.completed, ts(T + 1));
});

test('VertexCollector: cached and error flags stick once any update carries them', () => {
  const c = new VertexCollector();
  c.add(vertex('sha256:a', '[2/3] COPY . .', { cached: true }));
  c.add(vertex('sha256:a', '[2/3] COPY . .', { cached: false }));
  c.add(vertex('sha256:b', '[3/3] RUN false'));
  c.add(vertex('sha256:b', '[3/3] RUN false', { error: 'process "/bin/sh -c false" did not complete successfully: exit code: 1' }));
  c.add(vertex('sha256:b', '[3/3] RUN false'));
  const byDigest = Object.fromEntries(c.vertices().map((v) => [v.digest, v]));
  assert.is(byDigest['sha256:a'].cached, true);
  assert.match(byDigest['sha256:b'].error ?? '', /exit code: 1/);
});

test('VertexCollector: different digests stay different vertices, in first-seen order', () => {
  const c = new VertexCollector();
  c.add(vertex('sha256:b', '[2/3] RUN b'));
  c.add(vertex('sha256:a', '[3/3] RUN a'));
  c.add(vertex('sha256:b', '[2/3] RUN b', { completed: ts(T) }));
  assert.equal(c.vertices().map((v) => v.digest), ['sha256:b', 'sha256:a']);
});

test('isInstructionVertex: Dockerfile steps yes; FROM, [internal] and exporting no', () => {
  assert.ok(isInstructionVertex('[2/5] WORKDIR /app'));
  assert.ok(isInstructionVertex('[builder 3/6] COPY package.json ./'));
  assert.not.ok(isInstructionVertex('[1/5] FROM docker.io/library/node:20@sha256:abc'));
  assert.not.ok(isInstructionVertex('[builder 1/6] FROM stagebench-offline/node:20-slim'));
  assert.not.ok(isInstructionVertex('[internal] load build definition from Dockerfile'));
  assert.not.ok(isInstructionVertex('[internal] load metadata for docker.io/library/node:20'));
  assert.not.ok(isInstructionVertex('exporting to image'));
  assert.not.ok(isInstructionVertex('copy /context /'));
});

test('stepsFromVertices: FROM and BuildKit-internal vertices are not steps', () => {
  const steps = stepsFromVertices([
    vertex('d1', '[internal] load build definition from Dockerfile.single'),
    vertex('d2', '[internal] load .dockerignore'),
    vertex('d3', '[internal] load metadata for docker.io/library/node:20'),
    vertex('d4', '[1/3] FROM docker.io/library/node:20'),
    vertex('d5', '[internal] load build context'),
    vertex('d6', '[2/3] WORKDIR /app'),
    vertex('d7', '[3/3] COPY . .'),
    vertex('d8', 'exporting to image'),
  ]);
  assert.equal(steps.map((s) => `${s.label} ${s.instruction}`), ['[2/3] WORKDIR /app', '[3/3] COPY . .']);
});

test('stepsFromVertices: stages in order of first appearance, steps by number within a stage', () => {
  // BuildKit runs independent stages in parallel: their vertices interleave and arrive out of step order.
  const steps = stepsFromVertices([
    vertex('b3', '[builder 3/4] RUN npm ci'),
    vertex('r2', '[runner 2/4] WORKDIR /app'),
    vertex('b2', '[builder 2/4] WORKDIR /app'),
    vertex('r4', '[runner 4/4] COPY --from=builder /app/dist ./dist'),
    vertex('b4', '[builder 4/4] RUN npm run build'),
    vertex('r3', '[runner 3/4] RUN npm ci --omit=dev'),
  ]);
  assert.equal(steps.map((s) => s.label), ['[builder 2/4]', '[builder 3/4]', '[builder 4/4]', '[runner 2/4]', '[runner 3/4]', '[runner 4/4]']);
  assert.is(steps[1].instruction, 'RUN npm ci');
});

test('stepsFromVertices: cached flags and errors carried over per step', () => {
  const steps = stepsFromVertices([
    vertex('a', '[2/3] COPY package.json ./', { cached: true }),
    vertex('b', '[3/3] RUN npm ci', { cached: false, error: 'exit code: 1' }),
  ]);
  assert.equal(steps.map((s) => s.cached), [true, false]);
  assert.is(steps[0].error, undefined);
  assert.is(steps[1].error, 'exit code: 1');
});

test('stepsFromVertices: duration from {seconds, nanos} timestamps, in ms', () => {
  const [step] = stepsFromVertices([vertex('a', '[2/2] RUN make', { started: ts(T, 250_000_000), completed: ts(T + 3, 750_000_000) })]);
  assert.ok(Math.abs((step.durationMs ?? NaN) - 3500) < 1e-6, String(step.durationMs));
});

test('stepsFromVertices: numeric seconds work like string seconds', () => {
  const [step] = stepsFromVertices([vertex('a', '[2/2] RUN make', { started: { seconds: T, nanos: 0 }, completed: { seconds: T, nanos: 40_000_000 } })]);
  assert.ok(Math.abs((step.durationMs ?? NaN) - 40) < 1e-6, String(step.durationMs));
});

test('stepsFromVertices: a zero timestamp is unset, so no duration rather than one from 1970', () => {
  const steps = stepsFromVertices([
    vertex('a', '[2/3] RUN a', { started: ts(T), completed: ZERO }),
    vertex('b', '[3/3] RUN b', { started: ZERO, completed: ts(T) }),
    vertex('c', '[4/4] RUN c', { started: null, completed: undefined }),
  ]);
  assert.equal(steps.map((s) => s.durationMs), [null, null, null]);
});

test.run();
