// stagebench scenarios list (issue 16): a scenario that check rejects is not listed as fine, and a folder without
// a scenario.json is named as not a scenario rather than silently skipped.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cliCommand } from '../../support/cli.ts';
import { spawnCaptured } from '../../support/spawn.ts';
import { removeTempDirs } from '../../support/temp-dir.ts';
import { baseScenario, editText, ROOT } from './broken-folder.ts';

test.after(removeTempDirs);

test('a lockfile out of sync (the loader accepts it, check does not): list says INVALID with the reason', async () => {
  const { root, dir } = baseScenario();
  editText(dir, 'package.json', (t) => t.replace('"express": "^5.3.0"', '"express": "^5.3.0",\n    "ms": "^2.1.3"'));
  mkdirSync(join(root, 'my-app'));
  const r = await spawnCaptured(...cliCommand(['scenarios', 'list', '--scenarios', root]), { cwd: ROOT });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^express-api\s+INVALID\s+.*package-lock\.json: .*ms@\^2\.1\.3/m);
  assert.match(r.stderr, /my-app has no scenario\.json, so it is not a scenario; 'stagebench init .* --from APP_DIR' makes one/);
});

test.run();
