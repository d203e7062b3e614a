import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCsv } from '../../../src/results/csv.ts';
import { cli } from './cli.ts';
import { generateRun, runInfo, tempDir, writeRunFolder } from './fixtures.ts';

const root = tempDir();
const baseline = writeRunFolder(join(root, 'baseline'), generateRun({ runId: 'run-a', seed: 1, iterations: 6 }));
const same = writeRunFolder(join(root, 'same'), generateRun({ runId: 'run-b', seed: 2, iterations: 6 }), runInfo({ run_id: 'run-b' }));
const slower = writeRunFolder(
  join(root, 'slower'),
  generateRun({ runId: 'run-c', seed: 3, iterations: 6 }).map((r) => r.phase === 'build-warm' ? { ...r, duration_ms: (r.duration_ms as number) * 1.5 } : r),
  runInfo({ run_id: 'run-c', env: { cpus: 8 } }),
);
const bigger = writeRunFolder(
  join(root, 'bigger'),
  generateRun({ runId: 'run-d', seed: 4, iterations: 6 }).map((r) => r.variant === 'distroless' ? { ...r, image_bytes: 240_000_000 } : r),
);

test('two equal runs: exit 0, every row same', () => {
  const r = cli(['compare', baseline, same]);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /^no regression: \d+ same \(threshold 20%, sizes 5%, alpha 0\.05\)$/m);
  assert.not.match(r.stdout, /slower|bigger|faster/);
  assert.is(r.stderr, '');
});

test('a phase 50% slower between separate runs: indicative (exit 0); with --gate-timings exit 1, markdown names it; the CPU difference is warned', () => {
  const indicative = cli(['compare', baseline, slower, '--format', 'md']);
  assert.is(indicative.status, 0, indicative.stderr);
  assert.match(indicative.stdout.split('\n')[0], /no regression: 1 slower \(indicative\)/);
  assert.match(indicative.stdout, /indicative only: not in the exit code/);
  const r = cli(['compare', baseline, slower, '--format', 'md', '--gate-timings']);
  assert.is(r.status, 1, r.stderr);
  assert.match(r.stdout.split('\n')[0], /regression: 1 slower/);
  assert.match(r.stdout, /\| express-api \| multi \| build-warm \| .* \| \*\*slower\*\* \|/);
  assert.match(r.stderr, /stagebench compare: warning: CPU count differs: 2 in .*baseline, 8 in .*slower/);
});

test('a bigger image: exit 1, also with a timing threshold above its growth; with a size threshold above it: exit 0', () => {
  const lone = join(root, 'baseline-samples.csv');
  copyFileSync(join(baseline, 'samples.csv'), lone);
  const r = cli(['compare', lone, bigger, '--format', 'json']);
  assert.is(r.status, 1, r.stderr);
  const json = JSON.parse(r.stdout);
  assert.is(json.regressed, true);
  assert.equal(
    json.sizes.filter((s: { verdict: string }) => s.verdict === 'bigger').map((s: { variant: string; metric: string }) => `${s.variant}/${s.metric}`),
    ['distroless/image_bytes'],
  );
  // A samples file outside its run folder has no run.json: said on stderr.
  assert.match(r.stderr, /baseline-samples\.csv has no run\.json/);
  // --threshold is for timings (drift between runs); sizes have their own, stricter one.
  assert.is(cli(['compare', baseline, bigger, '--threshold', '60']).status, 1);
  assert.is(cli(['compare', baseline, bigger, '--size-threshold', '60']).status, 0);
});

test('--format csv --out FILE: the file holds the rows, standard output stays empty', () => {
  const out = join(root, 'compare.csv');
  const r = cli(['compare', baseline, slower, '--format', 'csv', '--out', out, '--gate-timings']);
  assert.is(r.status, 1, r.stderr);
  assert.is(r.stdout, '');
  const { header, records } = parseCsv(readFileSync(out, 'utf8'));
  assert.equal(header.slice(0, 8), ['scenario', 'variant', 'phase', 'baseline_median_ms', 'current_median_ms', 'change_pct', 'p_value', 'verdict']);
  assert.is(records.filter((x) => x.verdict === 'slower').length, 1);
});

test('not a samples file: exit 2, the file is named', () => {
  const file = join(root, 'notes.csv');
  writeFileSync(file, 'a,b\n1,2\n');
  const r = cli(['compare', file, same]);
  assert.is(r.status, 2);
  assert.match(r.stderr, /notes\.csv is not a stagebench samples file/);
});

test('a schema 2 run: exit 2, the file and its schema are named', () => {
  const other = writeRunFolder(join(root, 'schema2'), generateRun({ runId: 'x', seed: 5, iterations: 2 }).map((r) => ({ ...r, schema: 2 })));
  const r = cli(['compare', baseline, other]);
  assert.is(r.status, 2);
  assert.match(r.stderr, /schema2\/samples\.csv has schema 2; this stagebench reads schema 1/);
});

test('bad options and arguments: exit 2 with the option or value named', () => {
  const negative = cli(['compare', baseline, same, '--threshold=-1']);
  assert.is(negative.status, 2);
  assert.match(negative.stderr, /--threshold takes a number from 0 .*not '-1'/);
  const dashed = cli(['compare', baseline, same, '--threshold', '-1']);
  assert.is(dashed.status, 2);
  assert.match(dashed.stderr, /--threshold/);
  const format = cli(['compare', baseline, same, '--format', 'xml']);
  assert.is(format.status, 2);
  assert.match(format.stderr, /--format takes one of table, md, csv, json, not 'xml'/);
  const alpha = cli(['compare', baseline, same, '--alpha', '0']);
  assert.is(alpha.status, 2);
  assert.match(alpha.stderr, /--alpha/);
  const one = cli(['compare', baseline]);
  assert.is(one.status, 2);
  assert.match(one.stderr, /takes two runs, BASELINE and CURRENT .* got 1/);
  const nowhere = cli(['compare', baseline, join(root, 'nope')]);
  assert.is(nowhere.status, 2);
  assert.match(nowhere.stderr, /nope does not exist/);
});

test.run();
