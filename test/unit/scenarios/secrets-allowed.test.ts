// build.secrets of a scenario someone else wrote: a file inside the scenario folder is fine; a host file elsewhere
// (absolute, `..`, or a link out) only inside a folder named with --secret-dir; an environment variable only when
// named with --secret-env. Otherwise `stagebench run` stops with exit 2 and says which option allows it.
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planRun } from '../../../src/commands/run.ts';
import { UsageError } from '../../../src/errors.ts';
import { parseRunOptions } from '../../../src/run/options.ts';
import { loadScenario } from '../../../src/scenario/load.ts';
import { secretRefusals } from '../../../src/scenario/secrets.ts';
import { makeScenario, scenarioJson } from '../../support/scenario-folder.ts';
import { cleanupAfter } from '../../support/setup.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

cleanupAfter(test, removeTempDirs);

function withSecrets(root: string, secrets: Record<string, unknown>) {
  const json = { ...scenarioJson('demo', { single: { dockerfile: 'Dockerfile.single' } }), build: { secrets } };
  return makeScenario(root, 'demo', { json, files: { 'token.txt': 'inside' } });
}

test('a file inside the scenario folder needs no option', () => {
  const dir = withSecrets(tempDir('secrets-in'), { tok: { file: 'token.txt' } });
  assert.equal(secretRefusals(loadScenario(dir), { dirs: [], env: [] }), []);
});

test('an absolute host file, a `..` path and a link out: refused until their folder is named', () => {
  const host = tempDir('secrets-host');
  writeFileSync(join(host, 'id_rsa'), 'host secret');
  const root = tempDir('secrets-out');
  writeFileSync(join(root, 'outside.txt'), 'x');
  const dir = withSecrets(root, { abs: { file: join(host, 'id_rsa') }, up: { file: '../outside.txt' } });
  const loaded = loadScenario(dir);
  // The loader refuses a link out of the folder; the secret check holds on its own for one made after loading.
  symlinkSync(host, join(dir, 'linked'));
  const scenario = { ...loaded, build: { secrets: { ...loaded.build!.secrets, link: { file: 'linked/id_rsa' } } } };
  const refused = secretRefusals(scenario, { dirs: [], env: [] });
  assert.is(refused.length, 3, refused.join('\n'));
  assert.match(refused[0], new RegExp(`--secret-dir ${host}`));
  assert.equal(secretRefusals(scenario, { dirs: [host, root], env: [] }), []);
});

test('an environment variable: refused unless named with --secret-env', () => {
  const dir = withSecrets(tempDir('secrets-env'), { aws: { env: 'AWS_SECRET_ACCESS_KEY' } });
  const [refusal] = secretRefusals(loadScenario(dir), { dirs: [], env: [] });
  assert.match(refusal, /--secret-env AWS_SECRET_ACCESS_KEY/);
  assert.equal(secretRefusals(loadScenario(dir), { dirs: [], env: ['AWS_SECRET_ACCESS_KEY'] }), []);
});

test('stagebench run: exit 2 before anything starts, naming the file and the option; allowed with the option', () => {
  const host = tempDir('secrets-run-host');
  writeFileSync(join(host, 'npmrc'), 'token');
  const root = tempDir('secrets-run');
  withSecrets(root, { npm: { file: join(host, 'npmrc') } });
  const err = (() => {
    try {
      planRun(parseRunOptions(['--scenarios', root, '--quick']));
    } catch (e) {
      return e;
    }
  })();
  assert.ok(err instanceof UsageError, String(err));
  assert.match((err as Error).message, /build\.secrets\.npm\.file .* outside the scenario folder.*run with --secret-dir/);
  assert.ok(planRun(parseRunOptions(['--scenarios', root, '--quick', '--secret-dir', host])).length > 0);
});

test.run();
