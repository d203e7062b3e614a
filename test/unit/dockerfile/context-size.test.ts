import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contextSize } from '../../../src/dockerfile/context-size.ts';

async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'stagebench-tune-ctx-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

test('counts every file without a .dockerignore, and the same as sent', async () => {
  const dir = await folder({ 'package.json': '{}', 'src/a.ts': 'x'.repeat(10), 'node_modules/m/index.js': 'y'.repeat(100) });
  try {
    const size = await contextSize(dir);
    assert.equal(size.all, { files: 3, bytes: 112 });
    assert.equal(size.sent, size.all);
    assert.is(size.hasDockerignore, false);
    assert.equal(size.excluded, []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('leaves out what the .dockerignore excludes, with Docker semantics, and lists it by entry', async () => {
  const ignoreText = 'node_modules\n*.log\n!keep.log\n';
  const dir = await folder({
    '.dockerignore': ignoreText,
    'package.json': '{}',
    'debug.log': 'l'.repeat(7),
    'keep.log': 'k'.repeat(3),
    'src/nested.log': 'n'.repeat(5),
    'node_modules/m/index.js': 'y'.repeat(100),
    'node_modules/m/package.json': 'z'.repeat(20),
  });
  try {
    const size = await contextSize(dir);
    assert.is(size.all.files, 7);
    // *.log matches at the root only; src/nested.log is sent, keep.log is let back in.
    assert.equal(size.sent, { files: 4, bytes: ignoreText.length + 2 + 3 + 5 });
    assert.equal(size.excluded, [{ entry: 'node_modules', files: 2, bytes: 120 }, { entry: 'debug.log', files: 1, bytes: 7 }]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the Dockerfile and .dockerignore are sent even when a pattern excludes them', async () => {
  const dir = await folder({ '.dockerignore': 'Dockerfile*\n.dockerignore\n', 'Dockerfile.single': 'FROM x\n' });
  try {
    const size = await contextSize(dir, ['Dockerfile.single', '.dockerignore']);
    assert.is(size.sent.files, 2);
    assert.is((await contextSize(dir)).sent.files, 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
