// The units module: one rule per unit, so that the terminal, the report, its charts and compare print one figure alike.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatBytes, formatDuration, formatPercent, formatRatio, ratio } from '../../src/units.ts';

test('formatDuration: whole ms under a second, three significant figures in seconds, minutes and seconds past a minute', () => {
  assert.is(formatDuration(206.4), '206 ms');
  assert.is(formatDuration(999.4), '999 ms');
  assert.is(formatDuration(999.6), '1.00 s');
  assert.is(formatDuration(1234), '1.23 s');
  assert.is(formatDuration(7000), '7.00 s');
  assert.is(formatDuration(9996), '10.0 s');
  assert.is(formatDuration(26739.5), '26.7 s');
  assert.is(formatDuration(59_960), '1m00s');
  assert.is(formatDuration(60_000), '1m00s');
  assert.is(formatDuration(125_400), '2m05s');
});

test('formatDuration: a negative duration keeps its sign and the rule of its size', () => {
  assert.is(formatDuration(-1234), '-1.23 s');
  assert.is(formatDuration(-40), '-40 ms');
});

test('every formatter: unknown values are a dash', () => {
  for (const v of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.is(formatDuration(v), '-');
    assert.is(formatBytes(v), '-');
    assert.is(formatPercent(v), '-');
    assert.is(formatRatio(v), '-');
  }
});

test('formatBytes: powers of 1000, as docker prints sizes, gigabytes with two decimals', () => {
  assert.is(formatBytes(512), '512 B');
  assert.is(formatBytes(148480), '148.5 kB');
  assert.is(formatBytes(233843084), '233.8 MB');
  assert.is(formatBytes(971542321), '971.5 MB');
  assert.is(formatBytes(1_020_000_000), '1.02 GB');
  assert.is(formatBytes(1_520_000_000), '1.52 GB');
  assert.is(formatBytes(-2_000_000), '-2.0 MB');
});

test('formatPercent: one decimal; signed for a change', () => {
  assert.is(formatPercent(12.345), '12.3%');
  assert.is(formatPercent(0.42), '0.4%');
  assert.is(formatPercent(25, true), '+25.0%');
  assert.is(formatPercent(-3.14, true), '-3.1%');
  assert.is(formatPercent(0, true), '+0.0%');
});

test('formatRatio and ratio: one decimal, whole from 10, two decimals under 1, dash when unknown or zero', () => {
  assert.is(ratio(971542321, 233843084), '4.2x');
  assert.is(ratio(971542321, 60000000), '16x');
  assert.is(formatRatio(9.97), '10x');
  assert.is(ratio(100, 200), '0.50x');
  assert.is(ratio(null, 5), '-');
  assert.is(ratio(5, undefined), '-');
  assert.is(ratio(5, 0), '-');
});

test.run();
