import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { studentTCritical } from '../../../src/stats/student-t.ts';

// Two-sided 95% critical values, as printed in t tables (and scipy.stats.t.ppf(0.975, df)).
const TABLE: Array<[number, number]> = [
  [1, 12.706204736], [2, 4.302652730], [3, 3.182446305], [4, 2.776445105], [5, 2.570581836], [9, 2.262157163],
  [10, 2.228138852], [20, 2.085963447], [29, 2.045229642], [30, 2.042272456], [100, 1.983971519], [1000, 1.962339081],
];

test('matches the t table to 1e-8', () => {
  for (const [df, t] of TABLE) {
    const got = studentTCritical(df);
    assert.ok(Math.abs(got - t) < 1e-8, `df ${df}: ${got} is not ${t}`);
  }
});

test('approaches the normal 1.959964 as the degrees of freedom grow', () => {
  assert.ok(Math.abs(studentTCritical(100_000) - 1.959963985) < 1e-4);
});

test('99% confidence widens the interval', () => {
  // t(0.995, 10) = 3.169273
  assert.ok(Math.abs(studentTCritical(10, 0.99) - 3.169272673) < 1e-8);
});

test('refuses a degree of freedom that is not a whole number >= 1', () => {
  assert.throws(() => studentTCritical(0), /degrees of freedom/);
  assert.throws(() => studentTCritical(2.5), /degrees of freedom/);
});

test.run();
