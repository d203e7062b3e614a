// Which phases take turns: a group of INTERLEAVED_PHASES is one block only when the run selected all of it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { phaseBlocks } from '../../../src/run/runner.ts';

test('phases alone stay alone, in the order asked', () => {
  assert.equal(phaseBlocks(['build-cold', 'push-cold', 'run']), [['build-cold'], ['push-cold'], ['run']]);
});

test('the two .dockerignore phases form one block at the place of the first', () => {
  assert.equal(phaseBlocks(['build-cold', 'build-context-ignored', 'run', 'build-context-full']), [
    ['build-cold'], ['build-context-ignored', 'build-context-full'], ['run'],
  ]);
  assert.equal(phaseBlocks(['build-context-full', 'build-context-ignored']), [['build-context-ignored', 'build-context-full']]);
});

test('one member of a group alone is measured alone', () => {
  assert.equal(phaseBlocks(['build-context-full']), [['build-context-full']]);
});

test.run();
