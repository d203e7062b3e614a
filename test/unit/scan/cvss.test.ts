// CVSS v3 base scores of vectors whose scores NVD publishes, and the rating bands of CVSS 3.1.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cvss3BaseScore, cvssRating } from '../../../src/scan/builtin/cvss.ts';

const VECTORS: Array<[string, number]> = [
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10.0],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', 7.5],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N', 5.4],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
  ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 7.8],
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N', 5.9],
  ['CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N', 1.6],
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N', 6.4],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0],
];

for (const [vector, score] of VECTORS) {
  test(`${vector} scores ${score}`, () => {
    assert.is(cvss3BaseScore(vector), score);
  });
}

test('metrics in any order, temporal metrics ignored', () => {
  assert.is(cvss3BaseScore('CVSS:3.1/S:U/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:P/RL:O'), 9.8);
});

test('not a complete v3 vector: undefined', () => {
  assert.is(cvss3BaseScore('AV:N/AC:L/Au:N/C:P/I:P/A:P'), undefined);
  assert.is(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H'), undefined);
  assert.is(cvss3BaseScore('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'), undefined);
});

test('ratings: critical from 9.0, high from 7.0, medium from 4.0, low above 0', () => {
  assert.is(cvssRating(9.0), 'critical');
  assert.is(cvssRating(8.9), 'high');
  assert.is(cvssRating(7.0), 'high');
  assert.is(cvssRating(6.9), 'medium');
  assert.is(cvssRating(4.0), 'medium');
  assert.is(cvssRating(3.9), 'low');
  assert.is(cvssRating(0.1), 'low');
  assert.is(cvssRating(0), 'none');
});

test.run();
