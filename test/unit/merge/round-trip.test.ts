import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mergeRuns } from '../../../src/merge/merge-runs.ts';
import { csvDocument } from '../../../src/results/csv.ts';
import { readSamples, readSteps, readSummary } from '../../../src/results/read.ts';
import { selectShard } from '../../../src/shard.ts';
import { withSizeRatio } from '../../../src/stats/size-ratio.ts';
import { summaryRows } from '../../../src/stats/summary.ts';
import { FINDING_COLUMNS, type SampleRow } from '../../../src/types.ts';
import { generateRun, runInfo, stepsOf, tempDir, writeRunFolder } from '../gate/fixtures.ts';

const byKey = <T extends { scenario: string; variant: string; phase: string }>(rows: T[]) =>
  [...rows].sort((a, b) => JSON.stringify([a.scenario, a.variant, a.phase, (a as { iteration?: number }).iteration ?? 0])
    .localeCompare(JSON.stringify([b.scenario, b.variant, b.phase, (b as { iteration?: number }).iteration ?? 0])));

/** The full run's rows, split by selectShard into count shard folders, as count runners would have written them. */
function shardFolders(full: SampleRow[], count: number, root: string): string[] {
  const cells = [...new Map(full.map((r) => [`${r.scenario}/${r.variant}`, { scenario: r.scenario, variant: r.variant }])).values()];
  return Array.from({ length: count }, (_, i) => {
    const mine = new Set(selectShard(cells, { index: i + 1, count }).map((c) => `${c.scenario}/${c.variant}`));
    const rows = full.filter((r) => mine.has(`${r.scenario}/${r.variant}`));
    const dir = join(root, `shard-${i + 1}`);
    writeRunFolder(dir, rows, runInfo({
      run_id: 'run-full', started: `2025-01-01T00:0${i}:00.000Z`, finished: `2025-01-01T00:1${i}:00.000Z`,
      env: { host: `runner-${i + 1}` }, options: { iterations: 4, shard: { index: i + 1, count }, out: dir },
      builds: rows.filter((r) => r.iteration === 1).map((r) => ({ scenario: r.scenario, variant: r.variant, docker_build: `docker build ${r.variant}` })),
    }));
    const findings = rows.filter((r) => r.iteration === 1 && r.phase === 'build-cold').map((r) => ({
      scenario: r.scenario, variant: r.variant, scanner: 'builtin', kind: 'vulnerability', id: `CVE-2024-${i}`,
      package: 'openssl', version: '3.0.1', fixed_version: '3.0.2', severity: 'high', path: '',
    }));
    writeFileSync(join(dir, 'findings.csv'), csvDocument(FINDING_COLUMNS, findings));
    return dir;
  });
}

test('shards of one run merge back into the full run: samples, steps, findings and summary', () => {
  const root = tempDir();
  const full = generateRun({ runId: 'run-full', seed: 7, iterations: 4 });
  const shards = shardFolders(full, 3, root);
  const out = join(root, 'merged');
  const merged = mergeRuns(shards, out, { now: new Date('2025-02-03T04:05:06Z') });

  assert.equal(byKey(readSamples(out)), byKey(full));
  assert.equal(byKey(readSteps(out)), byKey(stepsOf(full)));
  const summary = readSummary(out);
  // Written as run writes it: the contract's columns, then how many times smaller than single.
  assert.equal(byKey(summary), byKey(withSizeRatio(summaryRows(full, merged.run_id))).map((r) => JSON.parse(JSON.stringify(r, (_k, v) =>
    typeof v === 'number' ? Math.round(v * 1000) / 1000 : v))));
  const findings = readFileSync(join(out, 'findings.csv'), 'utf8').trim().split('\n');
  assert.is(findings[0], FINDING_COLUMNS.join(','));
  assert.is(findings.length - 1, 5, 'one finding per scenario/variant');
  assert.equal(merged.warnings, []);
});

test('run.json: a new run id, every merged run with its host and environment, no shard or out option', () => {
  const root = tempDir();
  const shards = shardFolders(generateRun({ runId: 'run-full', seed: 8, iterations: 2 }), 2, root);
  const out = join(root, 'merged');
  mergeRuns(shards, out, { now: new Date('2025-02-03T04:05:06Z') });
  const info = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.is(info.run_id, '20250203-040506-merged');
  assert.is(info.schema, 1);
  assert.equal(info.merged_from.map((m: { run_id: string; host: string; dir: string }) => [m.run_id, m.host, m.dir]),
    [['run-full', 'runner-1', shards[0]], ['run-full', 'runner-2', shards[1]]]);
  assert.is(info.merged_from[1].environment.cpus, 2);
  assert.is(info.environment.host, 'runner-1,runner-2');
  assert.is(info.started, '2025-01-01T00:00:00.000Z');
  assert.is(info.finished, '2025-01-01T00:11:00.000Z');
  assert.equal(info.options, { iterations: 4 });
  assert.is(info.builds.length, 5);
  assert.equal(info.command_line, ['stagebench', 'merge', ...shards, '--out', out]);
  assert.ok(readSummary(out).every((r) => r.run_id === '20250203-040506-merged'));
});

test('a run without findings.csv merges; the merged run has an empty findings.csv', () => {
  const root = tempDir();
  const a = writeRunFolder(join(root, 'a'), generateRun({ runId: 'a', seed: 1, iterations: 1 }).filter((r) => r.scenario === 'next-ssr'));
  const b = writeRunFolder(join(root, 'b'), generateRun({ runId: 'b', seed: 2, iterations: 1 }).filter((r) => r.scenario !== 'next-ssr'));
  const out = join(root, 'out');
  mergeRuns([a, b], out);
  assert.ok(existsSync(join(out, 'findings.csv')));
  assert.is(readFileSync(join(out, 'findings.csv'), 'utf8'), `${FINDING_COLUMNS.join(',')}\n`);
  assert.equal(readSamples(out).map((r) => r.run_id), ['a', 'a', 'b', 'b', 'b', 'b']);
});

test.run();
