// Which temp folders `stagebench clean` takes for a run's: by their names only, never anyone else's.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runFolders } from '../../../src/run/leftovers.ts';

test("a run's registry, deploy target and workspace folders, and a tune's workspace, with their run ids", () => {
  const found = runFolders([
    'stagebench-registry-20261126-224605-87cc-IUVQUi',
    'stagebench-target-20261126-224605-87cc-OYWBwG',
    'stagebench-20261126-230931-f859-39cb93',
    'stagebench-tune-express-api-single-bad-order-20261126-225324-Ab12Cd',
  ]);
  assert.equal(found.map((f) => [f.kind, f.runId]), [
    ['registry', '20261126-224605-87cc'],
    ['target', '20261126-224605-87cc'],
    ['workspace', '20261126-230931-f859'],
    ['workspace', 'tune-express-api-single-bad-order-20261126-225324'],
  ]);
});

test("the npm proxy's folder of a run is a run folder too (kind npm), so clean removes it and stops its process", () => {
  assert.equal(runFolders(['stagebench-npm-20261129-035012-ab12-Qw3rTy']).map((f) => [f.kind, f.runId]), [['npm', '20261129-035012-ab12']]);
  assert.equal(runFolders(['stagebench-npm-cache', 'stagebench-npmx-20261129-035012-ab12-Qw3rTy']), []);
});

test('folders that only look alike are not taken', () => {
  assert.equal(runFolders(['stagebench-runs', 'stagebench-test-badinput-Xy12Ab', 'stagebench-git.lock', 'stagebench-registry-x-IUVQUi', 'other-20261126-230931-f859-39cb93']), []);
});

test.run();
