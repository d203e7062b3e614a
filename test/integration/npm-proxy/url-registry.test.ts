// --npm-registry URL against an existing registry: a Verdaccio the test starts itself (as a team's own proxy would
// be) on 127.0.0.1. Builds that take the ARG and builds that mount the npmrc secret install through it (its log
// shows the requests), run.json records the kind and the address, and the run leaves the registry alone.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { installProxy, machineNpm, startLocalProxy, type LocalNpmProxy } from '../../../src/npm-proxy/verdaccio.ts';
import { readRunInfo, readSamples } from '../../../src/results/read.ts';
import type { RunInfo, SampleRow } from '../../../src/types.ts';
import { runCli, type CliResult } from '../../support/cli.ts';
import { removeLabelledImages } from '../../support/docker.ts';
import { uniqueToken } from '../../support/scenario-folder.ts';
import { cleanupAfter, setupBefore } from '../../support/setup.ts';
import { Folders, leftoversOf, nothingLeft } from '../faults/support.ts';
import { installDockerfile, npmScenario, TEST_CACHE } from './support.ts';

const dirs = new Folders();
const NAME = 'npmurl';
let registry: LocalNpmProxy | undefined;
let requests = 0;
let cli: CliResult;
let rows: SampleRow[] = [];
let info: RunInfo | undefined;

setupBefore(test, async () => {
  process.env.STAGEBENCH_CACHE = TEST_CACHE;
  const entry = await installProxy(new AbortController().signal, () => undefined);
  registry = await startLocalProxy(`test-registry-${uniqueToken()}`, entry, await machineNpm());
  const root = dirs.make('npmurl');
  npmScenario(root, NAME, {
    arg: installDockerfile('TOKEN', ['ARG NPM_CONFIG_REGISTRY', 'RUN npm ci']),
    secret: installDockerfile('TOKEN', ['RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci']),
  });
  const mark = registry.mark();
  const out = join(root, 'run');
  cli = await runCli(['run', '--scenarios', root, '--scenario', NAME, '--phase', 'build-cold', '--iterations', '1', '--npm-registry', registry.url, '--out', out]);
  requests = await registry.requestsSince(mark);
  rows = readSamples(out);
  info = readRunInfo(out);
});

cleanupAfter(test, async () => {
  await registry?.stop();
  await removeLabelledImages('org.stagebench.scenario', NAME);
  dirs.remove();
});

test('both routes install through the given registry: the samples are ok and its log shows the requests', () => {
  assert.is(cli.code, 0, `${cli.stdout}\n${cli.stderr}`);
  for (const v of ['arg', 'secret']) assert.is(rows.find((r) => r.variant === v)?.ok, true, JSON.stringify(rows.find((r) => r.variant === v)));
  assert.ok(requests > 0, `the registry answered ${requests} requests during the run`);
});

test('run.json records the registry given, chosen by the option, and each build as using it', () => {
  assert.is(info?.npm_registry?.kind, 'url');
  assert.is(info?.npm_registry?.chosen_by, 'option');
  assert.is(info?.npm_registry?.address, registry?.url);
  const builds = Object.fromEntries((info?.builds ?? []).map((b) => [b.variant, b]));
  assert.is(builds.arg?.npm_registry, 'url');
  assert.is(builds.secret?.npm_registry, 'url');
  assert.match(builds.secret?.docker_build ?? '', /--secret id=npmrc/);
});

test('the run leaves nothing of its own behind, and the registry it was given keeps running', async () => {
  const left = await leftoversOf(info?.run_id ?? '');
  assert.ok(nothingLeft(left), JSON.stringify(left, null, 1));
  assert.is((await fetch(`${registry?.url}-/ping`)).status, 200);
});

test.run();
