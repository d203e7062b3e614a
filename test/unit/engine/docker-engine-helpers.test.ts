// The engine adapter's pure helpers: the build context's file list after .dockerignore (dockerfile/context-size.ts, which the adapter packs), and container log frames.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sentFiles } from '../../../src/dockerfile/context-size.ts';
import { demuxLogs } from '../../../src/engine/docker-engine.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';
import { cleanupAfter } from '../../support/setup.ts';

function folder(files: Record<string, string>): string {
  const dir = tempDir('context');
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

cleanupAfter(test, removeTempDirs);

test('sentFiles: without .dockerignore every file goes, relative with / separators', () => {
  const dir = folder({ Dockerfile: 'FROM x', 'src/a.ts': 'a', 'src/lib/b.ts': 'b' });
  assert.equal(sentFiles(dir, 'Dockerfile').sort(), ['Dockerfile', 'src/a.ts', 'src/lib/b.ts']);
});

test('sentFiles: .dockerignore patterns leave files and whole folders out', () => {
  const dir = folder({
    '.dockerignore': 'node_modules\n*.log\nbench-changes\n# a comment\ndist\n',
    'Dockerfile.single': 'FROM x',
    'package.json': '{}',
    'node_modules/express/index.js': 'x',
    'npm-debug.log': 'x',
    'bench-changes/package.json': '{}',
    'dist/server.js': 'x',
    'src/server.ts': 'x',
  });
  assert.equal(sentFiles(dir, 'Dockerfile.single').sort(), ['.dockerignore', 'Dockerfile.single', 'package.json', 'src/server.ts']);
});

test('sentFiles: negated patterns bring a file back', () => {
  const dir = folder({ '.dockerignore': '*.md\n!README.md\n', Dockerfile: 'FROM x', 'README.md': 'r', 'NOTES.md': 'n' });
  assert.equal(sentFiles(dir, 'Dockerfile').sort(), ['.dockerignore', 'Dockerfile', 'README.md']);
});

test('sentFiles: the Dockerfile goes even when .dockerignore excludes it', () => {
  const dir = folder({ '.dockerignore': 'Dockerfile*\n', 'Dockerfile.multi': 'FROM x', 'Dockerfile.single': 'FROM x', 'app.js': 'x' });
  const entries = sentFiles(dir, 'Dockerfile.multi');
  assert.ok(entries.includes('Dockerfile.multi'), entries.join(','));
  assert.not.ok(entries.includes('Dockerfile.single'), 'the other Dockerfile stays out');
  assert.ok(entries.includes('app.js'));
});

test('sentFiles: a Dockerfile in a subfolder is kept when ignored', () => {
  const dir = folder({ '.dockerignore': 'docker\n', 'docker/Dockerfile': 'FROM x', 'docker/other.txt': 'x', 'app.js': 'x' });
  assert.equal(sentFiles(dir, 'docker/Dockerfile').sort(), ['.dockerignore', 'app.js', 'docker/Dockerfile']);
});

/** One frame of docker's multiplexed log stream: stream type (1 stdout, 2 stderr), 3 zero bytes, length, payload. */
function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

test('demuxLogs: stdout and stderr frames joined in order, headers removed', () => {
  const buf = Buffer.concat([frame(1, 'listening on 3000\n'), frame(2, 'warning: x\n'), frame(1, 'GET /health 200\n')]);
  assert.is(demuxLogs(buf), 'listening on 3000\nwarning: x\nGET /health 200\n');
});

test('demuxLogs: a frame with multi-byte characters keeps them whole', () => {
  assert.is(demuxLogs(frame(1, 'prêt à servir – ✓\n')), 'prêt à servir – ✓\n');
});

test('demuxLogs: plain text (a container with a TTY) is returned as it is', () => {
  assert.is(demuxLogs(Buffer.from('listening on 3000\n')), 'listening on 3000\n');
  assert.is(demuxLogs(Buffer.alloc(0)), '');
});

test.run();
