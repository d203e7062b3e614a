import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseShard, selectShard } from '../../../src/shard.ts';

const SCENARIOS = ['express-api', 'next-ssr', 'nest-worker', 'Zeta', 'fastify'];
const VARIANTS = ['single', 'multi', 'distroless', 'single-bad-order'];
const MATRIX = SCENARIOS.flatMap((scenario) => VARIANTS.map((variant) => ({ scenario, variant })));
const name = (c: { scenario: string; variant: string }) => `${c.scenario}/${c.variant}`;

test('N shards cover the matrix exactly once, for every N up to beyond its size', () => {
  for (let count = 1; count <= MATRIX.length + 2; count++) {
    const seen = new Map<string, number>();
    for (let index = 1; index <= count; index++) {
      for (const c of selectShard(MATRIX, { index, count })) seen.set(name(c), (seen.get(name(c)) ?? 0) + 1);
    }
    assert.is(seen.size, MATRIX.length, `N=${count}: cover`);
    assert.ok([...seen.values()].every((n) => n === 1), `N=${count}: overlap`);
  }
});

test('shares differ in size by one at most', () => {
  const sizes = [1, 2, 3].map((index) => selectShard(MATRIX, { index, count: 3 }).length);
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, String(sizes));
});

test('the order of the input does not change a share', () => {
  const shuffled = [...MATRIX].reverse();
  shuffled.push(shuffled.shift() as (typeof MATRIX)[number]);
  for (const index of [1, 2, 3]) {
    assert.equal(selectShard(shuffled, { index, count: 3 }).map(name), selectShard(MATRIX, { index, count: 3 }).map(name));
  }
});

test('sorted by scenario then variant in code-point order, every N-th from I-1', () => {
  const cells = [
    { scenario: 'b', variant: 'multi' }, { scenario: 'a', variant: 'single' }, { scenario: 'B', variant: 'x' },
    { scenario: 'a', variant: 'multi' },
  ];
  // Code points: 'B' < 'a' < 'b'.
  assert.equal(selectShard(cells, parseShard('1/2')).map(name), ['B/x', 'a/single']);
  assert.equal(selectShard(cells, parseShard('2/2')).map(name), ['a/multi', 'b/multi']);
});

test('the cells keep their own fields', () => {
  const cells = [{ scenario: 's', variant: 'v', extra: 42 }];
  assert.equal(selectShard(cells, { index: 1, count: 1 }), cells);
});

test.run();
