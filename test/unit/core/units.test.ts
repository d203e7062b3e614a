// Human units on screen: durations, sizes, ratios and aligned tables.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { alignTable, formatBytes, formatMs, ratio } from '../../../src/output/units.ts';

test('formatMs: ms under a second, seconds with 2 then 1 decimals, minutes and seconds past a minute', () => {
  assert.is(formatMs(206.4), '206 ms');
  assert.is(formatMs(999.4), '999 ms');
  assert.is(formatMs(1234), '1.23 s');
  assert.is(formatMs(26739.5), '26.7 s');
  assert.is(formatMs(60_000), '1m00s');
  assert.is(formatMs(125_400), '2m05s');
});

test('formatMs and formatBytes: unknown values are a dash', () => {
  for (const v of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.is(formatMs(v), '-');
    assert.is(formatBytes(v), '-');
  }
});

test('formatBytes: powers of 1000, as docker prints sizes', () => {
  assert.is(formatBytes(512), '512 B');
  assert.is(formatBytes(148480), '148.5 kB');
  assert.is(formatBytes(233843084), '233.8 MB');
  assert.is(formatBytes(971542321), '971.5 MB');
  assert.is(formatBytes(1_520_000_000), '1.52 GB');
});

test('ratio: how many times a is of b, more decimals for small ratios, dash when unknown or zero', () => {
  assert.is(ratio(971542321, 233843084), '4.2x');
  assert.is(ratio(971542321, 60000000), '16x');
  assert.is(ratio(100, 200), '0.50x');
  assert.is(ratio(null, 5), '-');
  assert.is(ratio(5, undefined), '-');
  assert.is(ratio(5, 0), '-');
});

test('alignTable: first column left-aligned, the others right-aligned, no trailing spaces', () => {
  const text = alignTable([['variant', 'image'], ['single', '971.5 MB'], ['distroless', '1 B']]);
  assert.is(text, ['variant        image', 'single      971.5 MB', 'distroless       1 B'].join('\n'));
});

test.run();
