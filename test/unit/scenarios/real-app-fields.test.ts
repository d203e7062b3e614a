// scenario.json's fields for real apps (run, build, context): validated with messages that say what to do, and
// resolved into the container environment and the build request as docs/scenarios.md says.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { readSecrets } from '../../../src/engine/docker-engine.ts';
import { buildRequest, dockerBuildCommand } from '../../../src/phases/build.ts';
import { containerEnv } from '../../../src/phases/smoke.ts';
import { loadScenario } from '../../../src/scenario/load.ts';
import { removeTempDirs } from '../../support/temp-dir.ts';
import { baseScenario, check, editJson, errors, shown } from './broken-folder.ts';

test.after(removeTempDirs);

const profile = { name: 'offline' as const, description: '', images: { NODE_IMAGE: 'stand-in:20' } };

test('an unknown key lists the keys allowed there, also inside the new sections', () => {
  const { dir } = baseScenario();
  editJson(dir, 'scenario.json', (j) => { j.run = { env: {}, ports: 3000 }; j.colour = 'blue'; });
  const messages = errors(check(dir)).map((p) => p.message).join('\n');
  assert.match(messages, /\(top level\): unknown key\(s\) 'colour'; allowed here: \$schema, name, description, variants, smoke, changes, reference, context, node, run, build/);
  assert.match(messages, /run: unknown key\(s\) 'ports'; allowed here: env, port/);
});

test('a missing required section says it is required, not "expected object, received undefined"', () => {
  const { dir } = baseScenario();
  editJson(dir, 'scenario.json', (j) => { delete j.changes.dependency; });
  const r = check(dir);
  const e = errors(r).find((p) => p.message.startsWith('changes.dependency'));
  assert.ok(e, shown(r));
  assert.match(e!.message, /required, missing/);
  assert.not.match(e!.message, /received undefined/);
});

test('a secret needs exactly one source; a missing secret file and a Dockerfile outside the context are errors', () => {
  const { dir } = baseScenario();
  editJson(dir, 'scenario.json', (j) => {
    j.build = { secrets: { both: { file: 'x', env: 'Y' }, nothing: {} } };
  });
  const messages = errors(check(dir)).map((p) => p.message).join('\n');
  assert.match(messages, /build\.secrets\.both: give exactly one of file or env/);
  assert.match(messages, /build\.secrets\.nothing: give exactly one of file or env/);
  const second = baseScenario();
  editJson(second.dir, 'scenario.json', (j) => {
    j.context = 'src';
    j.build = { secrets: { npmrc: { file: 'no-such-file' } } };
  });
  const more = errors(check(second.dir)).map((p) => p.message).join('\n');
  assert.match(more, /build\.secrets\.npmrc\.file 'no-such-file' does not exist/);
  assert.match(more, /variants\.single\.dockerfile 'Dockerfile\.single' lies outside the build context 'src'/);
});

test('the container gets run.env, HOST, and PORT only when the app has no fixed run.port', () => {
  assert.equal(containerEnv(4100, undefined), ['HOST=127.0.0.1', 'PORT=4100']);
  assert.equal(containerEnv(4100, { env: { DATABASE_URL: 'x', PORT: '1' } }), ['HOST=127.0.0.1', 'DATABASE_URL=x', 'PORT=4100']);
  assert.equal(containerEnv(8080, { port: 8080, env: { HOST: '0.0.0.0' } }), ['HOST=0.0.0.0']);
});

test('the build request: context subfolder, scenario args under the profile\'s, secrets by source only', () => {
  const { dir } = baseScenario();
  editJson(dir, 'scenario.json', (j) => {
    j.build = { args: { NODE_IMAGE: 'mine', APP_FLAVOUR: 'full' }, secrets: { npmrc: { file: 'package.json' }, token: { env: 'NPM_TOKEN' } } };
  });
  const scenario = loadScenario(dir);
  const req = buildRequest({ runId: 'r', profile, builder: 'buildkit', scenario, variant: 'single', contextDir: '/ws/x' });
  assert.equal(req.buildArgs, { NODE_IMAGE: 'stand-in:20', APP_FLAVOUR: 'full' });
  assert.equal(req.secrets, { npmrc: { file: join(scenario.dir, 'package.json') }, token: { env: 'NPM_TOKEN' } });
  const cmd = dockerBuildCommand(req);
  assert.match(cmd, /--secret id=npmrc,src=\S+package\.json --secret id=token,env=NPM_TOKEN/);
});

test('secret values: read from the env or file; a missing one names its source and no value', () => {
  const ok = readSecrets({ a: { env: 'SB_TEST_SECRET' } }, { SB_TEST_SECRET: 'v1' });
  assert.ok(ok instanceof Map);
  assert.is((ok as Map<string, Buffer>).get('a')!.toString(), 'v1');
  const missing = readSecrets({ a: { env: 'SB_NOT_SET' } }, {});
  assert.is(typeof missing, 'string');
  assert.match(missing as string, /build secret 'a': environment variable SB_NOT_SET is not set/);
  assert.match(readSecrets({ b: { file: '/no/such/file' } }, {}) as string, /build secret 'b': cannot read \/no\/such\/file .*ENOENT/);
});


/** The express-api copy as a monorepo: the app, its manifests and .dockerignore in app/, scenario.json's context 'app'. */
function monorepo(): string {
  const { dir } = baseScenario();
  mkdirSync(join(dir, 'app'));
  for (const f of ['Dockerfile.single', 'Dockerfile.multi', 'Dockerfile.distroless', 'Dockerfile.single-bad-order', 'Dockerfile.multi-same-base', 'package.json', 'package-lock.json', '.dockerignore', 'src']) {
    renameSync(join(dir, f), join(dir, 'app', f));
  }
  editJson(dir, 'scenario.json', (j) => {
    j.context = 'app';
    for (const v of Object.values(j.variants) as Array<{ dockerfile: string }>) v.dockerfile = `app/${v.dockerfile}`;
    j.changes.source.file = 'app/src/server.ts';
    j.changes.dependency.replace = { 'app/package.json': 'bench-changes/package.json', 'app/package-lock.json': 'bench-changes/package-lock.json' };
  });
  return dir;
}

test('check reads package.json, the lockfile and .dockerignore in the context subfolder, not the scenario folder\'s root', () => {
  const dir = monorepo();
  const r = check(dir);
  assert.is(r.valid, true, shown(r));
  assert.not.match(shown(r), /package\.json: missing|\.dockerignore: missing/);
  // Out of sync inside app/ is found there, and the dependency change is compared with app/package.json.
  editJson(dir, 'app/package.json', (j) => { j.dependencies['left-pad'] = '1.3.0'; });
  const broken = check(dir);
  assert.ok(errors(broken).some((p) => p.file === join(dir, 'app', 'package-lock.json') || p.file === join(dir, 'app', 'package.json')), shown(broken));
  assert.match(shown(broken), /left-pad/);
});
test.run();
