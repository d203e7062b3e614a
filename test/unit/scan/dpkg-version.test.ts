// Debian's version order against results of the real `dpkg --compare-versions` (taken on Debian 12, dpkg 1.21).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareDebianVersions, parseDebianVersion } from '../../../src/scan/builtin/dpkg-version.ts';

const DPKG: Array<[string, string, -1 | 0 | 1]> = [
  ['1.0', '1.0-0', 0],
  ['1.0', '1.0-1', -1],
  ['1.0~rc1', '1.0', -1],
  ['1.0~rc1-1', '1.0-1', -1],
  ['1.0~~', '1.0~', -1],
  ['1.0~', '1.0', -1],
  ['1.0', '1.0+b1', -1],
  ['1.0-1', '1.0-1+b1', -1],
  ['1.0-1', '1.0-1~bpo12+1', 1],
  ['1:1.0', '2.0', 1],
  ['0:2.0', '2.0', 0],
  ['2.0', '1:0.1', -1],
  ['1.2.3', '1.2.10', -1],
  ['1.2a', '1.2b', -1],
  ['1.2a', '1.2', 1],
  ['1.2', '1.2.0', -1],
  ['1.2-1', '1.2.0-1', -1],
  ['1.0a', '1.0+', -1],
  ['1.0+', '1.0.', -1],
  ['1.0.', '1.0~', 1],
  ['1.0-1a', '1.0-1', 1],
  ['3.0.11-1~deb12u2', '3.0.11-1', -1],
  ['3.0.11-1~deb12u2', '3.0.13-1~deb12u1', -1],
  ['2.36-9+deb12u4', '2.36-9+deb12u10', -1],
  ['7.88.1-10+deb12u5', '7.88.1-10+deb12u12', -1],
  ['1:2.38.1-5+deb12u1', '2.39.1-1', 1],
  ['001', '1', 0],
  ['1.001', '1.1', 0],
  ['1.0-0001', '1.0-1', 0],
  ['9.4p1-1', '9.4p1-1', 0],
  ['1.0-a', '1.0-1', 1],
  ['1.0.0', '1.0-0.0', 1],
];

for (const [a, b, expected] of DPKG) {
  test(`${a} vs ${b} as dpkg orders them`, () => {
    assert.is(Math.sign(compareDebianVersions(a, b)), expected);
    assert.is(Math.sign(compareDebianVersions(b, a)), -expected || 0);
  });
}

test('the revision is after the last hyphen, the epoch before the first colon', () => {
  assert.equal(parseDebianVersion('1:2.38.1-5+deb12u1'), { epoch: 1, upstream: '2.38.1', revision: '5+deb12u1' });
  assert.equal(parseDebianVersion('1.2-3-4'), { epoch: 0, upstream: '1.2-3', revision: '4' });
  assert.equal(parseDebianVersion('2.0'), { epoch: 0, upstream: '2.0', revision: '' });
});

test.run();
