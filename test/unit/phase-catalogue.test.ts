// The phase catalogue: the lists everything else reads are derived from it without changing what they were.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PHASE_CATALOGUE, phaseInfo, SIZE_SOURCE_ORDER } from '../../src/phase-catalogue.ts';
import { PHASE_GROUPS, PHASES } from '../../src/types.ts';

test('PHASES keeps the order the CLI, the results and the report list phases in', () => {
  assert.equal([...PHASES], [
    'build-cold', 'build-warm', 'build-warm-src', 'build-warm-deps', 'push-cold', 'push-warm', 'pull-cold', 'pull-warm',
    'scan', 'run', 'build-context-ignored', 'build-context-full', 'build-ci', 'build-ci-src',
  ]);
});

test('groups are derived from the catalogue, in group order', () => {
  assert.equal(Object.keys(PHASE_GROUPS), ['build', 'push', 'pull', 'context', 'ci']);
  assert.equal(PHASE_GROUPS.ci, ['build-ci', 'build-ci-src']);
  assert.equal(PHASE_GROUPS.push, ['push-cold', 'push-warm']);
  assert.equal(PHASE_GROUPS.context, ['build-context-ignored', 'build-context-full']);
});

test('cold phases and the fresh-runner phases get no warm-up; every other phase does', () => {
  assert.equal(PHASES.filter((p) => !phaseInfo(p).warmups), ['build-cold', 'push-cold', 'pull-cold', 'build-ci', 'build-ci-src']);
});

test('sizes come from images built from the scenario as it is before the changed ones', () => {
  assert.equal(SIZE_SOURCE_ORDER.slice(0, 6), ['build-cold', 'build-warm', 'push-cold', 'pull-cold', 'scan', 'run']);
  assert.equal(new Set(PHASE_CATALOGUE.map((p) => p.sizeRank)).size, PHASE_CATALOGUE.length);
});

test('every phase has a short header and a report label; names are unique', () => {
  assert.equal(new Set(PHASES).size, PHASES.length);
  for (const p of PHASES) assert.ok(phaseInfo(p).short.length > 0 && phaseInfo(p).label.length > 0, p);
  assert.is(phaseInfo('run').handler, 'start');
});

test.run();
