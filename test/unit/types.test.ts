import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PHASES, PHASE_GROUPS, SAMPLE_COLUMNS } from '../../src/types.ts';

test('every phase group names known phases only', () => {
  for (const group of Object.values(PHASE_GROUPS)) for (const p of group) assert.ok(PHASES.includes(p), p);
});

test('samples.csv starts with the 31 columns of the contract', () => {
  assert.is(SAMPLE_COLUMNS.length, 31);
  assert.is(SAMPLE_COLUMNS[0], 'schema');
  assert.is(SAMPLE_COLUMNS[30], 'commit');
});

test.run();
