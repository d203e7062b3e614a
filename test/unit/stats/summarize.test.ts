import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { summarize } from '../../../src/stats/summary.ts';

const close = (actual: number, expected: number, tol = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${actual} is not ${expected}`);

test('statistics of a textbook data set', () => {
  // 2,4,4,4,5,5,7,9: mean 5, sum of squared deviations 32, so the sample variance is 32/7.
  const s = summarize([9, 4, 2, 5, 4, 7, 4, 5]);
  assert.ok(s);
  assert.is(s.n, 8);
  close(s.mean, 5);
  close(s.stddev, Math.sqrt(32 / 7));
  assert.is(s.min, 2);
  assert.is(s.max, 9);
  close(s.median, 4.5);
  // Linear interpolation: p75 at rank 0.75 * 7 = 5.25 -> 5 + 0.25 * (7 - 5); p99 at 6.93 -> 7 + 0.93 * (9 - 7).
  close(s.p75, 5.5);
  close(s.p99, 8.86);
  // t(0.975, 7 df) = 2.364624 (any t table): rme = t * sd / sqrt(n) / mean * 100.
  close(s.rme, (2.364624251592784 * Math.sqrt(32 / 7)) / Math.sqrt(8) / 5 * 100, 1e-9);
});

test('no values give null', () => {
  assert.is(summarize([]), null);
});

test('one value has no spread and no margin of error', () => {
  const s = summarize([1234.5]);
  assert.ok(s);
  assert.equal([s.n, s.median, s.mean, s.stddev, s.min, s.max, s.p75, s.p99, s.rme], [1, 1234.5, 1234.5, 0, 1234.5, 1234.5, 1234.5, 1234.5, 0]);
});

test('two values: the median is their mean and the t value has one degree of freedom', () => {
  const s = summarize([10, 20]);
  assert.ok(s);
  close(s.median, 15);
  close(s.stddev, Math.SQRT2 * 5);
  // t(0.975, 1 df) = 12.706205
  close(s.rme, (12.706204736174694 * Math.SQRT2 * 5) / Math.SQRT2 / 15 * 100, 1e-9);
});

test('the input array is left in its order', () => {
  const values = [3, 1, 2];
  summarize(values);
  assert.equal(values, [3, 1, 2]);
});

test.run();
