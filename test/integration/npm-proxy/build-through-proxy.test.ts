// --npm-registry local against a real Verdaccio and a real engine: the proxy is installed (once) and started, warmed
// untimed, a build that declares ARG NPM_CONFIG_REGISTRY installs through it and so does one that mounts the npmrc
// secret, a Dockerfile
// that takes neither stays direct with a warning, a build that goes around the proxy fails "not through the proxy",
// and at the end nothing of the proxy is left.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { readRunInfo, readSamples } from '../../../src/results/read.ts';
import type { RunInfo, SampleRow } from '../../../src/types.ts';
import { runCli, type CliResult } from '../../support/cli.ts';
import { removeLabelledImages } from '../../support/docker.ts';
import { cleanupAfter, setupBefore } from '../../support/setup.ts';
import { Folders, leftoversOf, nothingLeft } from '../faults/support.ts';
import { installDockerfile, npmScenario, TEST_CACHE } from './support.ts';

const dirs = new Folders();
const NAME = 'npmproxy';
let cli: CliResult;
let rows: SampleRow[] = [];
let info: RunInfo | undefined;

setupBefore(test, async () => {
  const root = dirs.make('npmproxy');
  npmScenario(root, NAME, {
    arg: installDockerfile('TOKEN', ['ARG NPM_CONFIG_REGISTRY', 'RUN npm ci']),
    // The npmrc build secret as npm's user config; asked for after a slow step, as a real install is.
    secret: installDockerfile('TOKEN', ['RUN sleep 15', 'RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci']),
    // Takes the registry, then installs with the variable removed: npm goes to its own default registry.
    around: installDockerfile('TOKEN', ['ARG NPM_CONFIG_REGISTRY', 'RUN env -u NPM_CONFIG_REGISTRY npm ci']),
    plain: installDockerfile('TOKEN', ['RUN npm ci']),
  });
  const out = join(root, 'run');
  cli = await runCli(['run', '--scenarios', root, '--scenario', NAME, '--phase', 'build-cold', '--iterations', '1', '--npm-registry', 'local', '--out', out], {
    env: { STAGEBENCH_CACHE: TEST_CACHE },
  });
  rows = readSamples(out);
  info = readRunInfo(out);
});

cleanupAfter(test, async () => {
  await removeLabelledImages('org.stagebench.scenario', NAME);
  dirs.remove();
});

const row = (variant: string) => rows.find((r) => r.variant === variant);

test('run.json records the local proxy, its version and address, and an untimed warm-up that reached it', () => {
  const npm = info?.npm_registry;
  assert.is(npm?.kind, 'local', cli.stderr);
  assert.is(npm?.chosen_by, 'option');
  assert.is(npm?.proxy, 'verdaccio 6.8.0');
  assert.match(npm?.address ?? '', /^127\.0\.0\.1:\d+$/);
  assert.ok((npm?.warmup_requests ?? 0) > 0, JSON.stringify(npm));
});

test('a build arg routes the install through the proxy: the cold sample is ok', () => {
  assert.is(row('arg')?.ok, true, row('arg')?.error);
  const builds = Object.fromEntries((info?.builds ?? []).map((b) => [b.variant, b]));
  assert.is(builds.arg?.npm_registry, 'local');
  assert.match(builds.arg?.docker_build ?? '', /--build-arg NPM_CONFIG_REGISTRY=http:\/\/127\.0\.0\.1:\d+\//);
});

test('the npmrc build secret routes the install through the proxy: the cold sample is ok, the secret never recorded', () => {
  assert.is(row('secret')?.ok, true, row('secret')?.error);
  const build = (info?.builds ?? []).find((b) => b.variant === 'secret');
  assert.is(build?.npm_registry, 'local');
  assert.match(build?.docker_build ?? '', /--secret id=npmrc/);
  assert.not.match(build?.docker_build ?? '', /replace-registry-host/);
});

test('a build that installs around the proxy is failed as "not through the proxy"', () => {
  assert.is(row('around')?.ok, false);
  assert.match(row('around')?.error ?? '', /^not through the proxy: .*RUN env -u NPM_CONFIG_REGISTRY npm ci/);
  assert.is(cli.code, 1, cli.stderr);
});

test('a Dockerfile that takes no registry stays direct, with a warning saying how to opt in', () => {
  assert.is(row('plain')?.ok, true, row('plain')?.error);
  assert.is(info?.builds.find((b) => b.variant === 'plain')?.npm_registry, 'direct');
  assert.match(cli.stderr + cli.stdout, /warning: npmproxy\/plain fetches npm packages directly \(stage 1\).*ARG NPM_CONFIG_REGISTRY/);
});

test('the proxy is stopped and its private folder removed at the end of the run', async () => {
  const left = await leftoversOf(info?.run_id ?? '');
  assert.ok(nothingLeft(left), JSON.stringify(left, null, 1));
});

test.run();
