// Loading scenario folders: a valid one, and every problem of an invalid one reported with the file it is in.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspectScenario, loadScenario, selectScenarios } from '../../../src/scenario/load.ts';
import { makeScenario, scenarioJson, slimDockerfile } from '../../support/scenario-folder.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';
import { usageErrorOf } from '../../support/usage-error.ts';
import { cleanupAfter } from '../../support/setup.ts';

cleanupAfter(test, removeTempDirs);

const VARIANTS = { single: { dockerfile: 'Dockerfile.single' }, multi: { dockerfile: 'Dockerfile.multi', target: 'runner' } };
const FILES = { 'Dockerfile.single': slimDockerfile('true'), 'Dockerfile.multi': slimDockerfile('true') };

function json(name: string, change: (j: any) => void = () => {}): Record<string, unknown> {
  const j = scenarioJson(name, VARIANTS);
  change(j);
  return j;
}


test('a valid folder loads: name, variants with target, smoke and changes, absolute dir', () => {
  const root = tempDir('scen');
  const dir = makeScenario(root, 'demo', { json: json('demo'), files: FILES });
  const r = inspectScenario(dir);
  assert.equal(r.problems, []);
  const s = loadScenario(dir);
  assert.is(s.name, 'demo');
  assert.is(s.dir, dir);
  assert.equal(Object.keys(s.variants), ['single', 'multi']);
  assert.is(s.variants.multi.target, 'runner');
  assert.is(s.variants.single.dockerfile, 'Dockerfile.single');
  assert.is(s.smoke.path, '/health');
  assert.is(s.changes.source.file, 'app.js');
  assert.equal(s.changes.dependency.replace, { 'package.json': 'bench-changes/package.json' });
});

test('smoke method and timeout take their defaults when left out', () => {
  const root = tempDir('scen');
  const dir = makeScenario(root, 'demo', { json: json('demo', (j) => { delete j.smoke.method; delete j.smoke.timeout_ms; }), files: FILES });
  const s = loadScenario(dir);
  assert.is(s.smoke.method, 'GET');
  assert.is(s.smoke.timeout_ms, 30000);
});

test('invalid JSON: one problem naming scenario.json and saying it is not valid JSON', () => {
  const root = tempDir('scen');
  const dir = makeScenario(root, 'demo', { json: '{ "name": "demo", ', files: FILES });
  const r = inspectScenario(dir);
  assert.is(r.scenario, undefined);
  assert.is(r.problems.length, 1);
  assert.is(r.problems[0].file, join(dir, 'scenario.json'));
  assert.match(r.problems[0].message, /not valid JSON/);
  const err = usageErrorOf(() => loadScenario(dir));
  assert.ok(err.message.includes(join(dir, 'scenario.json')), err.message);
});

test('a folder without scenario.json: the problem names the missing file', () => {
  const root = tempDir('scen');
  const dir = join(root, 'empty');
  mkdirSync(dir);
  const r = inspectScenario(dir);
  assert.is(r.problems[0].file, join(dir, 'scenario.json'));
  assert.match(r.problems[0].message, /missing/);
});

test('schema problems are all reported at once: unknown keys, wrong types, a missing field', () => {
  const root = tempDir('scen');
  const dir = makeScenario(root, 'demo', {
    json: json('demo', (j) => {
      j.colour = 'blue';
      j.variants.single.dockerfil = 'typo';
      j.smoke.status = '200';
      j.smoke.method = 'PUT';
      delete j.description;
    }),
    files: FILES,
  });
  const r = inspectScenario(dir);
  assert.is(r.scenario, undefined);
  const text = r.problems.map((p) => p.message).join('\n');
  for (const p of r.problems) assert.is(p.file, join(dir, 'scenario.json'));
  assert.match(text, /'colour'/);
  assert.match(text, /variants\.single.*'dockerfil'/);
  assert.match(text, /smoke\.status/);
  assert.match(text, /smoke\.method/);
  assert.match(text, /description/);
  assert.ok(r.problems.length >= 5, text);
  const err = usageErrorOf(() => loadScenario(dir));
  for (const needle of ["'colour'", 'smoke.status', 'smoke.method']) assert.ok(err.message.includes(needle), err.message);
});

test('a dockerfile path with ".." or an absolute one is refused by the schema, naming the variant', () => {
  const root = tempDir('scen');
  const dir = makeScenario(root, 'demo', {
    json: json('demo', (j) => {
      j.variants.single.dockerfile = '../other/Dockerfile';
      j.variants.multi.dockerfile = '/etc/passwd';
    }),
    files: FILES,
  });
  const text = inspectScenario(dir).problems.map((p) => p.message).join('\n');
  assert.match(text, /variants\.single\.dockerfile: .*inside the scenario folder/);
  assert.match(text, /variants\.multi\.dockerfile: .*inside the scenario folder/);
});

test('file problems are all reported at once: missing Dockerfiles, name not the folder name, escaping symlink', () => {
  const root = tempDir('scen');
  const outside = join(root, 'secret.txt');
  writeFileSync(outside, 'host secret');
  const dir = makeScenario(root, 'demo', { json: json('other-name'), files: { 'Dockerfile.single': 'FROM x' } });
  rmSync(join(dir, 'Dockerfile.multi'), { force: true });
  rmSync(join(dir, 'app.js'));
  symlinkSync(outside, join(dir, 'leak.txt'));
  const r = inspectScenario(dir);
  assert.is(r.scenario, undefined);
  const byMessage = (re: RegExp) => r.problems.find((p) => re.test(p.message));
  const missingDockerfile = byMessage(/Dockerfile\.multi/);
  assert.ok(missingDockerfile, 'the missing Dockerfile.multi is reported');
  assert.match(missingDockerfile!.message, /variants\.multi\.dockerfile 'Dockerfile\.multi' does not exist/);
  assert.is(missingDockerfile!.file, join(dir, 'scenario.json'));
  assert.ok(byMessage(/changes\.source\.file 'app\.js' does not exist/), 'the missing source file is reported');
  const name = byMessage(/name 'other-name' differs from its folder name 'demo'/);
  assert.ok(name, r.problems.map((p) => p.message).join('\n'));
  const link = r.problems.find((p) => /symlink/.test(p.message));
  assert.ok(link, 'the escaping symlink is reported');
  assert.is(link!.file, join(dir, 'leak.txt'));
  assert.ok(link!.message.includes(outside), link!.message);
  assert.is(r.problems.length, 4, r.problems.map((p) => p.message).join('\n'));
  const err = usageErrorOf(() => loadScenario(dir));
  for (const needle of ['Dockerfile.multi', 'other-name', 'leak.txt', 'app.js']) assert.ok(err.message.includes(needle), `${needle}: ${err.message}`);
});

test('a Dockerfile that is a symlink to a file outside the folder is refused', () => {
  const root = tempDir('scen');
  const outside = join(root, 'Dockerfile.elsewhere');
  writeFileSync(outside, 'FROM x');
  const dir = makeScenario(root, 'demo', { json: json('demo'), files: { 'Dockerfile.multi': 'FROM x' } });
  rmSync(join(dir, 'Dockerfile.single'), { force: true });
  symlinkSync(outside, join(dir, 'Dockerfile.single'));
  const text = inspectScenario(dir).problems.map((p) => p.message).join('\n');
  assert.match(text, /variants\.single\.dockerfile 'Dockerfile\.single' resolves outside the scenario folder/);
});

test('a symlink that stays inside the folder is fine', () => {
  const root = tempDir('scen');
  const dir = makeScenario(root, 'demo', { json: json('demo'), files: FILES });
  symlinkSync('app.js', join(dir, 'index.js'));
  assert.equal(inspectScenario(dir).problems, []);
});

function scenariosRoot(): string {
  const root = tempDir('scen');
  makeScenario(root, 'alpha', { json: json('alpha'), files: FILES });
  makeScenario(root, 'beta', { json: json('beta'), files: FILES });
  mkdirSync(join(root, 'not-a-scenario'));
  return root;
}

test('selectScenarios: no names selects every folder with a scenario.json, sorted', () => {
  assert.equal(selectScenarios(scenariosRoot(), []).map((s) => s.name), ['alpha', 'beta']);
});

test('selectScenarios: names select those scenarios, in the order given', () => {
  assert.equal(selectScenarios(scenariosRoot(), ['beta', 'alpha']).map((s) => s.name), ['beta', 'alpha']);
});

test('selectScenarios: an unknown name is a UsageError naming it and the available ones', () => {
  const err = usageErrorOf(() => selectScenarios(scenariosRoot(), ['gamma']));
  assert.match(err.message, /--scenario 'gamma'/);
  assert.match(err.message, /alpha, beta/);
});

test('selectScenarios: a path like ../x is refused as a path, not looked up', () => {
  const root = scenariosRoot();
  for (const name of ['../x', '../alpha', 'alpha/../beta', '/etc']) {
    const err = usageErrorOf(() => selectScenarios(root, [name]));
    assert.ok(err.message.includes(`'${name}'`), err.message);
    assert.match(err.message, /no paths/);
  }
});

test('selectScenarios: an invalid scenario among the selected ones is a UsageError naming its file', () => {
  const root = scenariosRoot();
  writeFileSync(join(root, 'beta', 'scenario.json'), '{');
  const err = usageErrorOf(() => selectScenarios(root, []));
  assert.ok(err.message.includes(join(root, 'beta', 'scenario.json')), err.message);
});

test('selectScenarios: a --scenarios folder that does not exist is a UsageError naming it', () => {
  const missing = join(tempDir('scen'), 'nope');
  const err = usageErrorOf(() => selectScenarios(missing, []));
  assert.ok(err.message.includes(missing), err.message);
});

test.run();
