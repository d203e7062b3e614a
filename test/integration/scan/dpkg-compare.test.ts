// compareDebianVersions against the real `dpkg --compare-versions` of this Debian machine, on versions made up
// from the pieces that make dpkg's order tricky (epochs, ~, +, letters, leading zeros, revisions).
import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareDebianVersions } from '../../../src/scan/builtin/dpkg-version.ts';

const PIECES = ['0', '1', '01', '2', '10', 'a', 'b', 'z', '~', '~~', '+', '.', 'p1', 'dfsg', '+b1', '~rc1', '~deb12u1', '+deb12u10'];

// A fixed-seed generator: the same pairs on every run, so a failure can be reproduced.
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function version(rand: () => number): string {
  const pick = () => PIECES[Math.floor(rand() * PIECES.length)];
  let upstream = String(Math.floor(rand() * 3));
  for (let i = Math.floor(rand() * 4); i > 0; i--) upstream += pick();
  const epoch = rand() < 0.15 ? `${Math.floor(rand() * 3)}:` : '';
  const revision = rand() < 0.6 ? `-${Math.floor(rand() * 3)}${rand() < 0.5 ? pick() : ''}` : '';
  return `${epoch}${upstream}${revision}`;
}

function dpkgSign(a: string, b: string): number | undefined {
  const lt = spawnSync('dpkg', ['--compare-versions', a, 'lt', b], { encoding: 'utf8' });
  if (lt.error) throw lt.error;
  if (lt.stderr.includes('bad syntax')) return undefined;
  if (lt.status === 0) return -1;
  return spawnSync('dpkg', ['--compare-versions', a, 'eq', b]).status === 0 ? 0 : 1;
}

test('300 generated pairs order as dpkg orders them', () => {
  const rand = lcg(20240501);
  let compared = 0;
  const wrong: string[] = [];
  for (let i = 0; i < 300; i++) {
    const a = version(rand);
    const b = rand() < 0.2 ? a.replace(/\d/, (d) => String((Number(d) + 1) % 10)) : version(rand);
    const expected = dpkgSign(a, b);
    if (expected === undefined) continue;
    compared += 1;
    const got = Math.sign(compareDebianVersions(a, b));
    if (got !== expected) wrong.push(`${a} vs ${b}: dpkg ${expected}, ours ${got}`);
  }
  assert.ok(compared > 200, `only ${compared} pairs were valid dpkg versions`);
  assert.equal(wrong, []);
});

test.run();
