// A profile file (bench/profiles/NAME.json) is parsed with a schema: its images must be build-arg names mapped to
// image references, and a broken file is refused naming the file and what to fix.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadProfile } from '../../../src/profile/profile.ts';
import { cleanupAfter } from '../../support/setup.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';
import { usageErrorOf } from '../../support/usage-error.ts';

cleanupAfter(test, removeTempDirs);

function profileDir(content: unknown): string {
  const dir = tempDir('profile');
  writeFileSync(join(dir, 'offline.json'), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}

test('the shipped profiles load, named by their file', () => {
  for (const name of ['online', 'offline'] as const) {
    const p = loadProfile(name);
    assert.is(p.name, name);
    assert.ok(Object.keys(p.images).length > 0);
  }
});

test('the name is the file\'s, whatever the file says; a missing description reads empty', () => {
  const p = loadProfile('offline', profileDir({ name: 'online', images: { NODE_IMAGE: 'n:20' } }));
  assert.is(p.name, 'offline');
  assert.is(p.description, '');
  assert.equal(p.images, { NODE_IMAGE: 'n:20' });
});

test('images that are not non-empty strings are refused, naming the file', () => {
  for (const bad of [{ images: { NODE_IMAGE: '' } }, { images: { NODE_IMAGE: 3 } }, { images: 'node:20' }, {}, []]) {
    const dir = profileDir(bad);
    const err = usageErrorOf(() => loadProfile('offline', dir));
    assert.match(err.message, /offline\.json: 'images' must map build-arg names to image references/);
  }
});

test('a description that is not text is refused with its path', () => {
  const err = usageErrorOf(() => loadProfile('offline', profileDir({ description: 5, images: { A: 'a' } })));
  assert.match(err.message, /offline\.json: description: /);
});

test('a file that is not JSON is refused, naming it', () => {
  const err = usageErrorOf(() => loadProfile('offline', profileDir('{ "images": ')));
  assert.match(err.message, /cannot read profile .*offline\.json/);
});

test.run();
