// The scenarios the project ships pass their own check, with no error (the command's exit 0 is in command.test.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { scenarioDirs } from '../../../src/scenario/load.ts';
import { check, errors, SHIPPED, shown } from './broken-folder.ts';

const dirs = scenarioDirs(SHIPPED);

test('there are shipped scenarios to check, each with single, multi and distroless', () => {
  assert.ok(dirs.length >= 3, `found ${dirs.join(', ')}`);
  for (const dir of dirs) {
    const r = check(dir);
    for (const v of ['single', 'multi', 'distroless']) assert.ok(r.variants.includes(v), `${dir}: variants ${r.variants.join(', ')}`);
  }
});

for (const dir of dirs) {
  test(`${dir} has no error`, () => {
    const r = check(dir);
    assert.is(errors(r).length, 0, shown(r));
    assert.ok(r.valid);
  });
}

test.run();
