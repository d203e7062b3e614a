// One sample has no spread: summary.csv leaves stddev_ms and rme_pct empty (unknown, not 0) and export gives no range.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { githubActionBenchmark } from '../../../src/export/github-action-benchmark.ts';
import { csvDocument, parseCsv } from '../../../src/results/csv.ts';
import { summaryRows } from '../../../src/stats/summary.ts';
import { SUMMARY_COLUMNS } from '../../../src/types.ts';
import { sampleRow } from '../gate/fixtures.ts';

test('one ok sample: stddev_ms and rme_pct are empty cells; two samples give numbers', () => {
  const [one] = summaryRows([sampleRow({ duration_ms: 1000 })]);
  assert.is(one.stddev_ms, null);
  assert.is(one.rme_pct, null);
  const { records } = parseCsv(csvDocument(SUMMARY_COLUMNS, [one]));
  assert.is(records[0].stddev_ms, '');
  assert.is(records[0].rme_pct, '');
  const [two] = summaryRows([sampleRow({ duration_ms: 1000 }), sampleRow({ iteration: 2, duration_ms: 1100 })]);
  assert.ok((two.stddev_ms as number) > 70 && (two.rme_pct as number) > 0);
});

test('export: no range for a one-sample timing, a range for two', () => {
  const [one] = githubActionBenchmark([sampleRow({ duration_ms: 1000 })]);
  assert.is(one.range, undefined);
  assert.not.ok('range' in one);
  const [two] = githubActionBenchmark([sampleRow({ duration_ms: 1000 }), sampleRow({ iteration: 2, duration_ms: 1100 })]);
  assert.is(two.range, '± 70.711');
});

test.run();
