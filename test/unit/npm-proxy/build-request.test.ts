// What a build request gets from the run's npm route: the build arg for a Dockerfile that declares it, the npmrc
// secret for one that mounts it, nothing for one that takes neither (and nothing at all when direct).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRequest, dockerBuildCommand } from '../../../src/phases/build.ts';
import { directRoute, staticRoute } from '../../../src/npm-proxy/npm-route.ts';
import type { Scenario } from '../../../src/types.ts';

const dir = mkdtempSync(join(tmpdir(), 'sb-npmroute-'));
const files: Record<string, string> = {
  'Dockerfile.arg': 'FROM a\nARG NPM_CONFIG_REGISTRY\nRUN npm ci\n',
  'Dockerfile.secret': 'FROM a\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n',
  'Dockerfile.plain': 'FROM a\nRUN npm ci\n',
};
for (const [f, t] of Object.entries(files)) writeFileSync(join(dir, f), t);
const scenario = {
  name: 'demo', description: '', dir,
  variants: { arg: { dockerfile: 'Dockerfile.arg' }, secret: { dockerfile: 'Dockerfile.secret' }, plain: { dockerfile: 'Dockerfile.plain' } },
} as unknown as Scenario;
const profile = { name: 'offline' as const, description: '', images: { NODE_IMAGE: 'stand-in' } };
const local = staticRoute({ kind: 'local', chosen_by: 'option', address: '127.0.0.1:4873' }, 'http://127.0.0.1:4873/', '/run/npmrc');
const req = (variant: string, npm = local) => buildRequest({ runId: 'r', profile, builder: 'buildkit', scenario, variant, contextDir: dir, npm });

test('a Dockerfile declaring the ARG gets the registry as that build arg, beside the profile images', () => {
  const r = req('arg');
  assert.equal(r.buildArgs, { NPM_CONFIG_REGISTRY: 'http://127.0.0.1:4873/', NODE_IMAGE: 'stand-in' });
  assert.is(r.secrets, undefined);
  assert.match(dockerBuildCommand(r), /--build-arg NPM_CONFIG_REGISTRY=http:\/\/127\.0\.0\.1:4873\//);
});

test('a Dockerfile mounting the npmrc secret gets the secret file, and no build arg', () => {
  const r = req('secret');
  assert.equal(r.secrets, { npmrc: { file: '/run/npmrc' } });
  assert.equal(r.buildArgs, { NODE_IMAGE: 'stand-in' });
});

test('a Dockerfile that takes neither, and any Dockerfile on a direct route, is built as before', () => {
  assert.equal(req('plain').buildArgs, { NODE_IMAGE: 'stand-in' });
  assert.is(req('plain').secrets, undefined);
  assert.equal(req('arg', directRoute('option')).buildArgs, { NODE_IMAGE: 'stand-in' });
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
