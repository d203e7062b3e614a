// A sample made not-cold on purpose must come out failed: an image that is not labelled as the scenario, built by
// hand from the same steps, holds the layers, so the cold build reuses them after the harness's own clean-up.
// Real engine, real CLI; the hand build is the docker_build line run.json gives.
//
// With the legacy builder the engine's image store is the build cache: an image built by hand keeps its steps
// cached whatever the harness prunes, and only images labelled as the scenario are the harness's to remove. (With
// BuildKit on this engine, `docker builder prune -af` drops the cache records even while such an image exists: the
// same test under BuildKit gets 0 cached steps, a truly cold build, so it cannot make a not-cold sample that way.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { readRunInfo, readSamples } from '../../../src/results/read.ts';
import type { RunInfo, SampleRow } from '../../../src/types.ts';
import { hasStackTrace, runCli, type CliResult } from '../../support/cli.ts';
import { imagesWithLabel, removeImages, removeLabelledImages, shell, type CommandResult } from '../../support/docker.ts';
import { makeScenario, slimDockerfile, uniqueToken } from '../../support/scenario-folder.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';
import { setupBefore, cleanupAfter } from '../../support/setup.ts';

const token = uniqueToken();
const name = `holdcache-${token}`;
const HOLDER = `stagebench-dev-core-holdcache:${token}`;
let root: string;
let first: { cli: CliResult; rows: SampleRow[]; info: RunInfo | undefined };
let handBuild: CommandResult;
let handCommand = '';
let second: { cli: CliResult; rows: SampleRow[]; info: RunInfo | undefined };
/** Images labelled with each run's id that were still there when the run had ended. */
const leftOver: string[][] = [];

function coldRun(out: string): Promise<CliResult> {
  return runCli(['run', '--scenarios', root, '--scenario', name, '--phase', 'build-cold', '--builder', 'legacy', '--iterations', '1', '--profile', 'auto', '--out', out]);
}

setupBefore(test, async () => {
  root = tempDir('notcold');
  // The token makes the RUN step new to the engine: nothing but this test's own builds can hold its layers.
  makeScenario(root, name, { variants: { single: { dockerfile: slimDockerfile(`echo ${token} > /token.txt`) } } });
  const cli1 = await coldRun(join(root, 'first'));
  first = { cli: cli1, rows: readSamples(join(root, 'first')), info: readRunInfo(join(root, 'first')) };
  leftOver.push(await imagesWithLabel('org.stagebench.run', first.info?.run_id ?? '?'));
  // The run removes its images at its end; should it leave some (see 'each run removed every image it built'),
  // they would still be labelled as the scenario and the next cold sample's preparation would have to remove them.
  await removeLabelledImages('org.stagebench.scenario', name);
  const line = first.info?.builds.find((b) => b.variant === 'single')?.docker_build ?? '';
  const tag = `-t stagebench/${name}:single `;
  if (line.includes(tag)) {
    handCommand = line.replace(tag, `-t ${HOLDER} `);
    handBuild = await shell(handCommand);
  }
  const cli2 = await coldRun(join(root, 'second'));
  second = { cli: cli2, rows: readSamples(join(root, 'second')), info: readRunInfo(join(root, 'second')) };
  leftOver.push(await imagesWithLabel('org.stagebench.run', second.info?.run_id ?? '?'));
});

cleanupAfter(test, async () => {
  await removeImages(HOLDER);
  // The harness removes its own images at the end of a run; this is for a run that left some.
  await removeLabelledImages('org.stagebench.scenario', name);
  removeTempDirs();
});

test('the first cold build, with nothing holding its layers, is cold and ok', () => {
  assert.is(first.rows.length, 1);
  assert.is(first.rows[0].ok, true, first.rows[0].error);
  assert.is(first.rows[0].cached_steps, 0);
});

// The engine appends one LABEL step per build label to a legacy build; they are not the Dockerfile's.
test('the legacy build counts the Dockerfile\'s steps: RUN, WORKDIR, COPY, CMD (no ARG, FROM or build-label LABEL)', () => {
  assert.is(first.rows[0].steps, 4);
});

test("run.json's docker_build line rebuilds the variant by hand", () => {
  assert.ok(handCommand, `run.json builds: ${JSON.stringify(first.info?.builds)}`);
  assert.match(handCommand, /^DOCKER_BUILDKIT=0 docker build /);
  assert.is(handBuild.code, 0, `${handCommand}\n${handBuild.stderr}`);
});

test('with an unlabelled image holding the layers, the cold sample is failed: "not cold", and the CLI exits 1', () => {
  assert.is(second.cli.code, 1, second.cli.stderr);
  assert.is(second.rows.length, 1);
  const row = second.rows[0];
  assert.is(row.ok, false);
  assert.ok(row.error.startsWith('not cold'), row.error);
  assert.ok((row.cached_steps ?? 0) > 0, String(row.cached_steps));
  // The failure names the step that came from the cache.
  assert.ok(row.error.includes(`echo ${token}`), row.error);
});

test('the runs end cleanly: exit 0 when all samples are ok, and a failed sample reported without an internal error or a stack trace', () => {
  assert.is(first.cli.code, 0, first.cli.stderr);
  assert.not.ok(/internal error/.test(second.cli.stderr), second.cli.stderr);
  assert.not.ok(hasStackTrace(second.cli.stderr), second.cli.stderr);
  assert.match(second.cli.stderr, /1 sample\(s\) failed/);
});

// A legacy build's intermediate images carry the build labels too; a parent cannot go before its child, so the
// removal must go round until nothing labelled is left.
test('each run removed every image it built', () => {
  assert.equal(leftOver, [[], []]);
  for (const cli of [first.cli, second.cli]) assert.not.match(cli.stderr, /could not remove/);
});

test('the hand-built image is still there: the harness removes only images labelled as its own', async () => {
  const r = await shell(`docker image inspect --format '{{.Id}}' ${HOLDER}`);
  assert.is(r.code, 0, r.stderr);
});

test.run();
