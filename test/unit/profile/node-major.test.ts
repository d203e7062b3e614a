// The Node major a scenario builds on: profile files parsed with their majors, scenario.json's `node` validated,
// and a major the machine cannot provide refused before any build, naming the scenario.json, the value and what to do.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import type { Engine } from '../../../src/engine/engine.ts';
import { EXIT, StagebenchError } from '../../../src/errors.ts';
import { loadProfile, parseProfile, resolveProfile, scenarioImages } from '../../../src/profile/profile.ts';
import { imagesFor, profileMajors } from '../../../src/scenario/node-major.ts';
import { checkNodeMajor } from '../../../src/scenario/check.ts';
import { buildRequest } from '../../../src/phases/build.ts';
import { loadScenario } from '../../../src/scenario/load.ts';
import { PROFILE_NAMES } from '../../../src/types.ts';
import { removeTempDirs } from '../../support/temp-dir.ts';
import { baseScenario, check, editJson, errors, shown, warnings } from '../scenarios/broken-folder.ts';

test.after(removeTempDirs);

const images = (tag: string) => ({ NODE_IMAGE: `node:${tag}`, NODE_SLIM_IMAGE: `node:${tag}-slim` });

/** An engine that has exactly these image references, and nothing else is asked of it. */
function engineWith(refs: string[]): Engine {
  return {
    address: 'memory',
    inspectImage: async (ref: string) => (refs.includes(ref) ? { id: `sha256:${ref}`, repoDigests: [] } : undefined),
  } as unknown as Engine;
}

async function thrown(p: Promise<unknown>): Promise<StagebenchError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof StagebenchError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

test('a profile file without node is Node 20; node_majors adds majors; the default inside node_majors is refused', () => {
  const old = parseProfile('online', { description: 'd', images: images('20') }, 'p.json');
  assert.is(old.node, 20);
  assert.equal(profileMajors(old), [20]);
  assert.equal(imagesFor(old), images('20'));
  assert.equal(imagesFor(old, 20), images('20'));
  assert.is(imagesFor(old, 18), undefined);

  const p = parseProfile('online', { description: 'd', node: 20, images: images('20'), node_majors: { 22: images('22'), 18: images('18') } }, 'p.json');
  assert.equal(profileMajors(p), [18, 20, 22]);
  assert.equal(imagesFor(p, 18), images('18'));

  assert.throws(() => parseProfile('online', { images: images('20'), node_majors: { latest: images('22') } }, 'p.json'), /p\.json: node_majors\.latest: Invalid key in record/);
  assert.throws(() => parseProfile('online', { images: images('20'), node_majors: { 20: images('20') } }, 'p.json'), /node_majors\.20: 20 is the default major/);
  assert.throws(() => parseProfile('online', { images: { NODE_IMAGE: '' } }, 'p.json'), /p\.json: 'images' must map build-arg names to image references \(non-empty strings\) \(images\.NODE_IMAGE: /);
});

test('the shipped profiles: online has Node 18, 20, 22 and 24; offline has the stand-ins of Node 20 only, and says why', () => {
  const online = loadProfile('online');
  const offline = loadProfile('offline');
  assert.equal(profileMajors(online), [18, 20, 22, 24]);
  assert.is(imagesFor(online, 18)?.NODE_SLIM_IMAGE, 'node:18-slim');
  assert.is(imagesFor(online, 22)?.DISTROLESS_IMAGE, 'gcr.io/distroless/nodejs22-debian12');
  assert.equal(profileMajors(offline), [20]);
  assert.match(offline.nodeNote ?? '', /host's node/);
  // Every major names the same build args, so a Dockerfile that works on one works on all.
  for (const major of profileMajors(online)) assert.equal(Object.keys(imagesFor(online, major)!).sort(), Object.keys(online.images).sort());
});

test('scenario.json "node": a whole number; the build request then carries that major\'s images', () => {
  const { dir } = baseScenario();
  editJson(dir, 'scenario.json', (j) => { j.node = '18'; });
  const wrongType = errors(check(dir)).map((p) => p.message).join('\n');
  assert.match(wrongType, /node: Invalid input: expected number, received string/);
  // A value of the wrong type is not a missing one.
  assert.not.match(wrongType, /required, missing/);
  editJson(dir, 'scenario.json', (j) => { j.node = 18.5; });
  assert.ok(errors(check(dir)).some((p) => p.message.startsWith('node:')), shown(check(dir)));
  editJson(dir, 'scenario.json', (j) => { j.node = 18; });
  const scenario = loadScenario(dir);
  assert.is(scenario.node, 18);
  const online = loadProfile('online');
  const req = buildRequest({ runId: 'r', profile: online, builder: 'buildkit', scenario, variant: 'multi', contextDir: dir });
  assert.is(req.buildArgs.NODE_ALPINE_IMAGE, 'node:18-alpine');
  assert.is(req.buildArgs.DISTROLESS_IMAGE, 'gcr.io/distroless/nodejs18-debian12');
  // Without "node": the profile's default major.
  assert.is(scenarioImages(online, { dir }).NODE_IMAGE, 'node:20');
  assert.throws(() => scenarioImages(loadProfile('offline'), scenario), (e: unknown) => e instanceof StagebenchError && e.exitCode === EXIT.environment && /scenario\.json: "node": 18/.test(e.message));
});

test('scenarios check: a major no profile defines is an error; one the offline profile lacks a warning; ARG defaults are judged against that major', () => {
  const profiles = PROFILE_NAMES.map((n) => loadProfile(n));
  assert.equal(checkNodeMajor(undefined, profiles, 's.json'), []);
  assert.equal(checkNodeMajor(20, profiles, 's.json'), []);
  const none = checkNodeMajor(16, profiles, 's.json');
  assert.is(none.length, 1);
  assert.is(none[0].severity, 'error');
  assert.match(none[0].message, /"node": 16: no profile defines Node 16 images \(online: 18, 20, 22, 24; offline: 20\)/);
  const some = checkNodeMajor(18, profiles, 's.json');
  assert.equal(some.map((p) => p.severity), ['warning']);
  assert.match(some[0].message, /the offline profile provides Node 20 only .*stops with exit 3; remove "node"/);

  const { dir } = baseScenario();
  // express-api's Dockerfiles default to the Node 20 images: with "node": 18 each default is another base.
  editJson(dir, 'scenario.json', (j) => { j.node = 18; });
  const r = check(dir);
  assert.ok(r.valid, shown(r));
  assert.ok(warnings(r).some((p) => /ARG NODE_ALPINE_IMAGE defaults to node:20-alpine, not the online profile's Node 18 image node:18-alpine/.test(p.message)), shown(r));
});

test('a run refuses a major the machine cannot provide: exit 3 naming the scenario.json, the value and what to do', async () => {
  const { dir } = baseScenario();
  const file = join(dir, 'scenario.json');
  const online = loadProfile('online');
  const offline = loadProfile('offline');
  const standIns = Object.values(offline.images);
  const need = { node: 18, args: new Set(['NODE_IMAGE']), scenarioFile: file };

  // This machine: the stand-ins only. auto tries online (images missing) and offline (no Node 18).
  const e = await thrown(resolveProfile(engineWith(standIns), 'auto', [need]));
  assert.is(e.exitCode, EXIT.environment);
  assert.ok(e.message.startsWith(`${file}: "node": 18 asks for Node.js 18 base images, which this machine cannot provide`), e.message);
  assert.match(e.message, /the online profile's Node 18 images are not present \(missing node:18\)/);
  assert.match(e.message, /the offline profile provides Node 20 only/);
  assert.match(e.message, /What to do: remove "node" from .*scenario\.json to build on Node 20; or .*pull node:18 \(docker pull\) and run with --profile online/);

  const named = await thrown(resolveProfile(engineWith(standIns), 'offline', [need]));
  assert.is(named.exitCode, EXIT.environment);
  assert.match(named.message, /"node": 18 .*the offline profile provides Node 20 only/);

  // A major no profile defines is bad input, whatever the engine has.
  const bad = await thrown(resolveProfile(engineWith(standIns), 'auto', [{ ...need, node: 16 }]));
  assert.is(bad.exitCode, EXIT.usage);
  assert.match(bad.message, /scenario\.json: "node": 16: no profile defines Node 16 images/);

  // Where the Node 18 images are present, the online profile serves them and run.json gets their facts.
  const ok = await resolveProfile(engineWith([...Object.values(online.images), 'node:18']), 'auto', [need, { args: new Set(['NODE_IMAGE']) }]);
  assert.is(ok.profile.name, 'online');
  assert.equal(Object.keys(ok.nodeImages ?? {}), ['18']);
  assert.is(ok.nodeImages?.['18'].NODE_IMAGE.ref, 'node:18');

  // Without "node" nothing changes: the default major's stand-ins serve the run.
  const plain = await resolveProfile(engineWith(standIns), 'auto', [{ args: new Set(['NODE_IMAGE']), scenarioFile: file }]);
  assert.is(plain.profile.name, 'offline');
  assert.equal(plain.nodeImages, {});
});

test.run();
