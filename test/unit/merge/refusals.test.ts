import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mergeRuns } from '../../../src/merge/merge-runs.ts';
import { planMerge } from '../../../src/merge/plan-merge.ts';
import { generateRun, runInfo, tempDir, usageError, writeRunFolder } from '../gate/fixtures.ts';

const PLAN = { now: new Date('2025-01-01T00:00:00Z'), commandLine: ['stagebench', 'merge'], version: '0.1.0' };

test('the same sample in two inputs is refused, naming it and both folders', () => {
  const root = tempDir();
  const rows = generateRun({ runId: 'a', seed: 1, iterations: 2 });
  const a = writeRunFolder(join(root, 'shard-a'), rows);
  const b = writeRunFolder(join(root, 'shard-b'), rows.filter((r) => r.variant === 'multi'));
  const msg = usageError(() => mergeRuns([a, b], join(root, 'out'))).message;
  assert.match(msg, /express-api\/multi\/build-cold iteration 1 is in both .*shard-a and .*shard-b/);
});

test('inputs of two schemas are refused', () => {
  const one = { label: 'one', samples: generateRun({ runId: 'a', seed: 1, iterations: 1 }), steps: [], findings: [], info: runInfo() };
  const two = { label: 'two', samples: generateRun({ runId: 'b', seed: 1, iterations: 1, cells: [{ scenario: 'x', variant: 'y', phase: 'run', ms: 5 }] }).map((r) => ({ ...r, schema: 2 })), steps: [], findings: [] };
  assert.match(usageError(() => planMerge([one, two], PLAN)).message, /mixed schemas: schema 1 in one, schema 2 in two/);
});

test('a schema 2 folder is refused before anything is written', () => {
  const root = tempDir();
  const a = writeRunFolder(join(root, 'a'), generateRun({ runId: 'a', seed: 1, iterations: 1 }));
  const b = writeRunFolder(join(root, 'b'), generateRun({ runId: 'b', seed: 1, iterations: 1 }), runInfo({ schema: 2 }));
  assert.match(usageError(() => mergeRuns([a, b], join(root, 'out'))).message, /b\/run\.json has schema 2/);
});

test('an --out folder that already holds a run is not overwritten', () => {
  const root = tempDir();
  const a = writeRunFolder(join(root, 'a'), generateRun({ runId: 'a', seed: 1, iterations: 1 }));
  assert.match(usageError(() => mergeRuns([a], a)).message, /already holds a run \(samples\.csv\); give --out a new folder/);
});

test('inputs without any run.json are refused; differing environments are warned about', () => {
  const rows = generateRun({ runId: 'a', seed: 1, iterations: 1 });
  const split = (info?: ReturnType<typeof runInfo>, other?: ReturnType<typeof runInfo>) => [
    { label: 'x', samples: rows.filter((r) => r.scenario === 'next-ssr'), steps: [], findings: [], info },
    { label: 'y', samples: rows.filter((r) => r.scenario !== 'next-ssr'), steps: [], findings: [], info: other },
  ];
  assert.match(usageError(() => planMerge(split(), PLAN)).message, /none of x, y has a run\.json/);
  const merged = planMerge(split(runInfo(), runInfo({ env: { engine_version: '27.0.1' } })), PLAN);
  assert.equal(merged.warnings, ['engine version differs: 20.10.24 in x, 27.0.1 in y; timings may differ for that reason alone']);
});

test.run();
