// Bad input to `stagebench why`: exit 2 with a message naming the value, before any build.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import { expectRefused } from '../../support/cli.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

test.after(() => removeTempDirs());

const refused = (args: string[], expect: RegExp) => expectRefused(['why', ...args], expect);

test('wrong counts, missing folders and Dockerfiles, bad options name what is wrong', async () => {
  const dir = tempDir('why-bad');
  mkdirSync(join(dir, 'a'));
  writeFileSync(join(dir, 'a', 'Dockerfile'), 'FROM scratch\n');
  await refused([join(dir, 'a')], /takes two folders \(BEFORE AFTER\), got 1/);
  await refused([join(dir, 'a'), join(dir, 'nope')], /AFTER .*nope is not a folder/);
  await refused([join(dir, 'a'), join(dir, 'a'), '--dockerfile', 'Dockerfile.x'], /BEFORE has no Dockerfile\.x/);
  await refused([join(dir, 'a'), join(dir, 'a'), '--build-arg', 'NOVALUE'], /--build-arg takes NAME=VALUE, not 'NOVALUE'/);
  await refused([join(dir, 'a'), join(dir, 'a'), '--format', 'yaml'], /--format takes one of text, json/);
  await refused(['--git', join(dir, 'nope'), 'a', 'b'], /--git .*nope does not exist/);
  await refused(['--git', join(dir, 'a'), 'HEAD~1', 'HEAD'], /cannot export revision 'HEAD~1'/);
});

test.run();
