// The workspace copy the warm phases change: source and dependency changes applied to the copy only, each new to
// the cache, and restored byte for byte.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadScenario } from '../../../src/scenario/load.ts';
import { Workspace } from '../../../src/scenario/workspace.ts';
import { makeScenario } from '../../support/scenario-folder.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';
import { cleanupAfter } from '../../support/setup.ts';

cleanupAfter(test, removeTempDirs);

/** Every file under dir, relative path -> bytes. */
function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const abs = join(d, name);
      if (statSync(abs).isDirectory()) walk(abs);
      else out.set(relative(dir, abs), readFileSync(abs));
    }
  };
  walk(dir);
  return out;
}

function assertSame(a: Map<string, Buffer>, b: Map<string, Buffer>, what: string): void {
  assert.equal([...a.keys()].sort(), [...b.keys()].sort(), `${what}: same files`);
  for (const [rel, bytes] of a) assert.ok(bytes.equals(b.get(rel)!), `${what}: ${rel} byte for byte`);
}

function setup() {
  const root = tempDir('ws');
  // No trailing newline and a multi-byte character: restore must give back exactly these bytes.
  const dir = makeScenario(root, 'demo', {
    files: {
      'app.js': "console.log('héllo')",
      'package-lock.json': '{"name":"demo","lockfileVersion":3,"packages":{}}\n',
      'bench-changes/package.json': '{\n  "name": "demo",\n  "dependencies": { "ms": "2.1.3" }\n}\n',
      'bench-changes/package-lock.json': '{"name":"demo","lockfileVersion":3,"packages":{"node_modules/ms":{"version":"2.1.3"}}}\n',
    },
  });
  const scenario = loadScenario(dir);
  scenario.changes.dependency.replace = { 'package.json': 'bench-changes/package.json', 'package-lock.json': 'bench-changes/package-lock.json' };
  const before = snapshot(dir);
  const ws = new Workspace(scenario, join(tempDir('ws-parent'), 'workspaces'));
  return { dir, scenario, before, ws };
}

test('the workspace is a full copy of the scenario folder, elsewhere', () => {
  const { dir, before, ws } = setup();
  assert.is.not(ws.dir, dir);
  assertSame(snapshot(ws.dir), before, 'copy');
});

test('applySourceChange appends the text and the marker to the copy; the original is untouched', () => {
  const { dir, scenario, before, ws } = setup();
  ws.applySourceChange('marker-1');
  const changed = readFileSync(join(ws.dir, 'app.js'), 'utf8');
  assert.ok(changed.startsWith("console.log('héllo')"), changed);
  assert.ok(changed.includes(scenario.changes.source.append), changed);
  assert.ok(changed.includes('marker-1'), changed);
  assertSame(snapshot(dir), before, 'original after a source change');
});

test('each source change differs from the last: the marker replaces the previous one, nothing piles up', () => {
  const { scenario, ws } = setup();
  ws.applySourceChange('marker-1');
  const first = readFileSync(join(ws.dir, 'app.js'), 'utf8');
  ws.applySourceChange('marker-2');
  const second = readFileSync(join(ws.dir, 'app.js'), 'utf8');
  assert.is.not(second, first);
  assert.ok(second.includes('marker-2'));
  assert.not.ok(second.includes('marker-1'), 'the previous marker is gone');
  assert.is(second.split(scenario.changes.source.append).length - 1, 1, 'the text is appended once');
});

test('applyDependencyChange replaces the manifests and adds a stagebenchChange field to package.json', () => {
  const { dir, before, ws } = setup();
  ws.applyDependencyChange('marker-7');
  const pkg = JSON.parse(readFileSync(join(ws.dir, 'package.json'), 'utf8'));
  assert.equal(pkg.dependencies, { ms: '2.1.3' });
  assert.is(pkg.stagebenchChange, 'marker-7');
  assert.is(readFileSync(join(ws.dir, 'package-lock.json'), 'utf8'), readFileSync(join(dir, 'bench-changes/package-lock.json'), 'utf8'));
  ws.applyDependencyChange('marker-8');
  assert.is(JSON.parse(readFileSync(join(ws.dir, 'package.json'), 'utf8')).stagebenchChange, 'marker-8');
  assertSame(snapshot(dir), before, 'original after a dependency change');
});

test('restore puts every changed file back byte for byte', () => {
  const { before, ws } = setup();
  ws.applySourceChange('marker-1');
  ws.applyDependencyChange('marker-2');
  ws.restore();
  assertSame(snapshot(ws.dir), before, 'workspace after restore');
  ws.applySourceChange('marker-3');
  ws.restore();
  assertSame(snapshot(ws.dir), before, 'workspace after a second change and restore');
});

test('remove deletes the copy and only the copy', () => {
  const { dir, before, ws } = setup();
  ws.remove();
  assert.not.ok(existsSync(ws.dir));
  assertSame(snapshot(dir), before, 'original after remove');
});

test.run();
