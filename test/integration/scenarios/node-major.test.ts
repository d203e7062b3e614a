// scenario.json's `node` on the real engine and CLI (issue 16): without it a scenario builds on the profile's default
// major (Node 20: the image's node says so); with a major this machine's profile cannot provide, the run stops before
// any build with exit 3, naming the scenario.json, the value and what to do.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSamples } from '../../../src/results/read.ts';
import { hasStackTrace, runCli } from '../../support/cli.ts';
import { makeScenario, scenarioJson, uniqueToken } from '../../support/scenario-folder.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

const token = uniqueToken();
// The app answers with the Node major the image runs: the smoke test checks it.
const APP = "require('http').createServer((q, s) => s.end('ok node ' + process.versions.node.split('.')[0])).listen(process.env.PORT || 3000, process.env.HOST || '0.0.0.0');\n";
const DOCKERFILE = ['ARG NODE_SLIM_IMAGE=node:20-slim', 'FROM ${NODE_SLIM_IMAGE}', `RUN echo ${token} > /token.txt`, 'WORKDIR /app', 'COPY app.js ./', 'CMD ["node", "app.js"]', ''].join('\n');

test.after(removeTempDirs);

function scenario(node?: number): { root: string; name: string } {
  const root = tempDir('node-major');
  const name = `node-${node ?? 'default'}-${token}`;
  const json = scenarioJson(name, { single: { dockerfile: 'Dockerfile.single' } });
  (json.smoke as { contains: string }).contains = 'ok node 20';
  if (node !== undefined) json.node = node;
  makeScenario(root, name, { variants: { single: { dockerfile: DOCKERFILE } }, json, files: { 'app.js': APP } });
  return { root, name };
}

test('no "node": the profile\'s default major; the container runs Node 20 and run.json records the major', async () => {
  const { root, name } = scenario();
  const out = join(root, 'out');
  const r = await runCli(['run', '--scenarios', root, '--scenario', name, '--phase', 'build-cold,run', '--iterations', '1', '--scanner', 'none', '--out', out]);
  assert.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
  assert.equal(readSamples(out).map((s) => [s.phase, s.ok]), [['build-cold', true], ['run', true]]);
  const info = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.is(info.profile.node, 20);
  assert.is(info.profile.node_images, undefined);
});

test('"node": 18 on a profile without Node 18 images: exit 3 before any build, naming the file, the value and what to do', async () => {
  const { root, name } = scenario(18);
  const out = join(root, 'out');
  const r = await runCli(['run', '--scenarios', root, '--scenario', name, '--profile', 'offline', '--phase', 'build-cold', '--iterations', '1', '--scanner', 'none', '--out', out]);
  assert.is(r.code, 3, `${r.stdout}\n${r.stderr}`);
  assert.ok(r.stderr.includes(`${join(root, name, 'scenario.json')}: "node": 18 asks for Node.js 18 base images, which this machine cannot provide`), r.stderr);
  assert.match(r.stderr, /the offline profile provides Node 20 only/);
  assert.match(r.stderr, /What to do: remove "node" from .*scenario\.json to build on Node 20/);
  assert.not.ok(hasStackTrace(r.stderr), r.stderr);
  assert.not.ok(existsSync(join(out, 'samples.csv')), 'nothing was measured');
});

test('"node": 16, a major no profile defines: exit 2 at once, listing the majors there are', async () => {
  const { root, name } = scenario(16);
  const r = await runCli(['run', '--scenarios', root, '--scenario', name, '--phase', 'build-cold', '--iterations', '1', '--scanner', 'none', '--out', join(root, 'out')]);
  assert.is(r.code, 2, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stderr, /scenario\.json: "node": 16: no profile defines Node 16 images \(online: 18, 20, 22, 24; offline: 20\)/);
});

test.run();
