// merge refuses a run given twice, keeps every column (findings' count, summary's size ratio) and each input's
// registry, pull target and scanner: a merged baseline loses nothing its inputs had.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mergeRuns } from '../../../src/merge/merge-runs.ts';
import { csvDocument, parseCsv } from '../../../src/results/csv.ts';
import { FINDING_COLUMNS } from '../../../src/types.ts';
import { generateRun, runInfo, tempDir, usageError, writeRunFolder } from '../gate/fixtures.ts';

const root = tempDir();

test('merge A A --out X: exit 2, n does not double', () => {
  const a = writeRunFolder(join(root, 'a'), generateRun({ runId: 'run-a', seed: 1, iterations: 2 }));
  const err = usageError(() => mergeRuns([a, a], join(root, 'twice')));
  assert.is(err.exitCode, 2);
  assert.match(err.message, /is in both .*a and .*a \(run run-a\)/);
});

test('every column is kept: findings count, summary times_smaller_than_single; each input keeps its registry, pull target, scanner', () => {
  const rows = generateRun({ runId: 'run-b', seed: 2, iterations: 2 });
  const builds = writeRunFolder(join(root, 'builds'), rows.filter((r) => r.scenario === 'express-api'), runInfo({
    run_id: 'run-b', registry: { kind: 'none' }, pull_target: { kind: 'none' }, scanner: { name: '' },
  }));
  const pushes = writeRunFolder(
    join(root, 'pushes'),
    generateRun({ runId: 'run-c', seed: 3, iterations: 2 }).filter((r) => r.scenario === 'next-ssr').map((r) => ({ ...r, phase: 'push-cold' as const })),
    runInfo({ run_id: 'run-c', registry: { kind: 'external', address: 'registry.internal:5000' }, pull_target: { kind: 'embedded' }, scanner: { name: 'trivy', version: '0.50' } }),
  );
  const findings = [{
    scenario: 'express-api', variant: 'multi', scanner: 'builtin', kind: 'vulnerability', id: 'CVE-1', package: 'openssl',
    version: '1', fixed_version: '2', severity: 'high', path: '', count: 3,
  }];
  writeFileSync(join(builds, 'findings.csv'), csvDocument([...FINDING_COLUMNS, 'count'], findings));
  const out = join(root, 'merged');
  const merged = mergeRuns([builds, pushes], out);

  const f = parseCsv(readFileSync(join(out, 'findings.csv'), 'utf8'));
  assert.equal(f.header.at(-1), 'count');
  assert.is(f.records[0].count, '3');
  const s = parseCsv(readFileSync(join(out, 'summary.csv'), 'utf8'));
  assert.ok(s.header.includes('times_smaller_than_single'));
  const multi = s.records.find((r) => r.variant === 'multi' && r.phase === 'build-cold');
  assert.is(Number(multi?.times_smaller_than_single), 4.4);

  const info = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.equal(info.registry, { kind: 'external', address: 'registry.internal:5000' });
  assert.is(info.scanner.name, '');
  assert.equal(info.merged_from.map((m: { registry: { kind: string } }) => m.registry.kind), ['none', 'external']);
  assert.equal(info.merged_from[1].phases, ['push-cold']);
  assert.is(info.merged_from[1].scanner.name, 'trivy');
  assert.is(merged.samples.length, rows.length);
});

test.run();
