import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { medianInterval } from '../../../src/stats/median-interval.ts';

const ranks = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

test('95% median interval from order statistics: none below 6, [x(1), x(6)] at 6, [x(2), x(9)] at 10, [x(6), x(15)] at 20', () => {
  assert.is(medianInterval(ranks(5)), null);
  // P(Bin(6, 1/2) <= 0) = 1/64 <= 0.025: k = 1.
  assert.equal(medianInterval(ranks(6)), { low: 1, high: 6 });
  // n = 10: P(<= 1) = 11/1024 = 0.0107, P(<= 2) = 0.0547: k = 2.
  assert.equal(medianInterval(ranks(10)), { low: 2, high: 9 });
  // n = 20: P(<= 5) = 0.0207, P(<= 6) = 0.0577: k = 6 (the published table's rank).
  assert.equal(medianInterval(ranks(20)), { low: 6, high: 15 });
});

test('the interval is of the values, in any input order', () => {
  assert.equal(medianInterval([9, 1, 8, 2, 7, 3, 6, 4, 5, 10]), { low: 2, high: 9 });
});

test.run();
