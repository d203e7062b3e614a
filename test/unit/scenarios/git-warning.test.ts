// A scenario folder that carries a .git (from wherever it came): scenarios check warns, naming it, and stays valid.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkScenario } from '../../../src/scenario/check.ts';
import { gitEntries } from '../../../src/scenario/load.ts';
import { loadProfile } from '../../../src/profile/profile.ts';
import { makeScenario } from '../../support/scenario-folder.ts';
import { cleanupAfter } from '../../support/setup.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

cleanupAfter(test, removeTempDirs);

test('.git at the top and in a subfolder: a warning naming both', () => {
  const dir = makeScenario(tempDir('git-warning'), 'demo');
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, '.git', 'config'), '[core]\n\tfsmonitor = /tmp/evil\n');
  mkdirSync(join(dir, 'sub', '.git'), { recursive: true });
  assert.equal(gitEntries(dir).sort(), ['.git', join('sub', '.git')]);
  const check = checkScenario(dir, [loadProfile('offline')]);
  const warning = check.problems.find((p) => p.severity === 'warning' && /\.git/.test(p.message));
  assert.ok(warning, JSON.stringify(check.problems));
  assert.match(warning!.message, /hooks and fsmonitor off/);
});

test.run();
