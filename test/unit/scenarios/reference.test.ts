// scenario.json's `reference`: the variant the others are compared with; single when it is left out.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inspectScenario, loadScenario, scenarioReferences } from '../../../src/scenario/load.ts';
import { REFERENCE_VARIANT } from '../../../src/types.ts';
import { makeScenario, scenarioJson, slimDockerfile } from '../../support/scenario-folder.ts';
import { cleanupAfter } from '../../support/setup.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

cleanupAfter(test, removeTempDirs);

const VARIANTS = { single: { dockerfile: 'Dockerfile.single' }, multi: { dockerfile: 'Dockerfile.multi' } };
const FILES = { 'Dockerfile.single': slimDockerfile('true'), 'Dockerfile.multi': slimDockerfile('true') };

function folder(reference?: unknown): string {
  const json = scenarioJson('demo', VARIANTS);
  if (reference !== undefined) json.reference = reference;
  return makeScenario(tempDir('reference'), 'demo', { json, files: FILES });
}

test('a named reference loads and is the scenario\'s reference in run.json\'s map', () => {
  const s = loadScenario(folder('multi'));
  assert.is(s.reference, 'multi');
  assert.equal(scenarioReferences([s]), { demo: 'multi' });
});

test('left out, the reference is REFERENCE_VARIANT', () => {
  const s = loadScenario(folder());
  assert.is(s.reference, undefined);
  assert.equal(scenarioReferences([s]), { demo: REFERENCE_VARIANT });
});

test('a reference that is not one of the variants is a problem naming it and the variants', () => {
  const r = inspectScenario(folder('distroless'));
  const p = r.problems.find((x) => x.message.startsWith("reference 'distroless'"));
  assert.ok(p, JSON.stringify(r.problems));
  assert.match(p!.message, /single, multi/);
  assert.ok(p!.file.endsWith('scenario.json'));
});

test('a reference that is not a variant name is refused by the schema', () => {
  const r = inspectScenario(folder('Not A Name'));
  assert.ok(r.problems.some((x) => x.message.startsWith('reference:')), JSON.stringify(r.problems));
});

test.run();
