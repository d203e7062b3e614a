import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDockerfile } from '../../../src/dockerfile/dockerfile-model.ts';
import { rebuildCost, stepCosts } from '../../../src/tune/step-costs.ts';
import { GOOD_DOCKERFILE } from './dockerfiles.ts';

test('ties BuildKit steps to their Dockerfile lines by stage label and instruction text', () => {
  const model = parseDockerfile(GOOD_DOCKERFILE);
  const costs = stepCosts(model, [
    { label: '[builder 2/5]', instruction: 'WORKDIR /app', cached: true, durationMs: 0 },
    { label: '[builder 5/5]', instruction: 'RUN npm run build', cached: false, durationMs: 4000 },
    { label: '[runner 4/5]', instruction: 'RUN npm ci --omit=dev', cached: true, durationMs: 0 },
    { label: '[runner 2/5]', instruction: 'WORKDIR /app', cached: true, durationMs: 0 },
    { label: '[runner 5/5]', instruction: 'COPY --from=builder /app/dist ./dist', cached: false, durationMs: 30 },
  ]);
  assert.equal(costs.map((c) => c.line), [4, 8, 14, 11, 15]);
});

test('a single-stage build has no stage label; an unnamed stage is stage-N', () => {
  const model = parseDockerfile('FROM a\nWORKDIR /x\nFROM b\nCOPY --from=0 /x /y\n');
  const costs = stepCosts(model, [
    { label: '[stage-0 2/2]', instruction: 'WORKDIR /x', cached: false, durationMs: 1 },
    { label: '[stage-1 2/2]', instruction: 'COPY --from=0 /x /y', cached: false, durationMs: 1 },
  ]);
  assert.equal(costs.map((c) => c.line), [2, 4]);
  const single = parseDockerfile('FROM a\nRUN npm ci \\\n  --omit=dev\n');
  assert.equal(stepCosts(single, [{ label: '[2/2]', instruction: 'RUN npm ci   --omit=dev', cached: false, durationMs: 1 }]).map((c) => c.line), [2]);
});

test('a RUN with flags is found whether the step name carries them or not', () => {
  const model = parseDockerfile('FROM a\nRUN --mount=type=cache,target=/root/.npm npm ci\nRUN npm run build\n');
  const steps = (instruction: string) => stepCosts(model, [{ label: '[2/3]', instruction, cached: false, durationMs: 1 }]).map((c) => c.line);
  assert.equal(steps('RUN --mount=type=cache,target=/root/.npm npm ci'), [2]);
  assert.equal(steps('RUN npm ci'), [2]);
  assert.equal(steps('RUN npm install'), [null]);
});

test('sums what the rebuilt steps cost', () => {
  const model = parseDockerfile(GOOD_DOCKERFILE);
  const cost = rebuildCost(model, [
    { label: '[builder 4/5]', instruction: 'COPY . .', cached: false, durationMs: 40 },
    { label: '[builder 5/5]', instruction: 'RUN npm run build', cached: false, durationMs: 4000 },
    { label: '[builder 3/5]', instruction: 'RUN npm ci', cached: true, durationMs: 0 },
  ], 4500);
  assert.is(cost.rebuiltMs, 4040);
  assert.is(cost.cachedSteps, 1);
  assert.equal(cost.rebuilt.map((c) => c.line), [7, 8]);
});

test('rebuilt steps are listed in Dockerfile order, whatever order the stages ran in', () => {
  const model = parseDockerfile(GOOD_DOCKERFILE);
  const cost = rebuildCost(model, [
    { label: '[runner 5/5]', instruction: 'COPY --from=builder /app/dist ./dist', cached: false, durationMs: 10 },
    { label: '[builder 4/5]', instruction: 'COPY . .', cached: false, durationMs: 40 },
  ], 100);
  assert.equal(cost.rebuilt.map((c) => c.line), [7, 15]);
});

test.run();
