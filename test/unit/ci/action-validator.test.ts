// action.yml (the composite action other repositories use) and every example workflow pass a maintained validator
// of GitHub Actions files (@action-validator/cli), and the validator does reject a broken action (issue 16).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../support/cli.ts';
import { spawnCaptured } from '../../support/spawn.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

test.after(removeTempDirs);

const validate = (file: string) => spawnCaptured(join(ROOT, 'node_modules', '.bin', 'action-validator'), [file], { cwd: ROOT });

test('action.yml is a valid composite action', async () => {
  const r = await validate(join(ROOT, 'action.yml'));
  assert.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
});

test('every example workflow is valid', async () => {
  const dir = join(ROOT, 'examples', 'github-actions');
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
  assert.ok(files.includes('stagebench-composite.yml'), files.join(', '));
  for (const f of files) {
    const r = await validate(join(dir, f));
    assert.is(r.code, 0, `${f}:\n${r.stdout}\n${r.stderr}`);
  }
});

test('a composite step without its shell is rejected (the validator can fail)', async () => {
  const file = join(tempDir('action'), 'action.yml');
  writeFileSync(file, 'name: x\ndescription: y\nruns:\n  using: composite\n  steps:\n    - run: echo hi\n');
  const r = await validate(file);
  assert.is.not(r.code, 0);
  assert.match(r.stdout + r.stderr, /shell/);
});

test.run();
