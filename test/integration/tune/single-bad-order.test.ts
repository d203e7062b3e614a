// `stagebench tune express-api --variant single-bad-order` on the real engine, through the CLI: the rules name the
// install after COPY . ., the candidate builds and passes the smoke test, a source change no longer reruns the
// install in the candidate, and the measured build-warm-src saving is positive. The cache-mount candidate has a test
// of its own (cache-mount.test.ts), so it is skipped here.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { connectEngine } from '../../../src/engine/connect.ts';
import { tuneFindings } from '../../../src/tune/rules.ts';
import { ROOT, runCli } from '../../support/cli.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

const PREFIX = 'stagebench-dev-tune';
const scenarioDir = join(ROOT, 'scenarios/express-api');
const dockerfile = readFileSync(join(scenarioDir, 'Dockerfile.single-bad-order'), 'utf8');
const lineOf = (text: string, re: RegExp) => text.split('\n').findIndex((l) => re.test(l)) + 1;
const installLine = lineOf(dockerfile, /^RUN npm (install|ci)\b/);

test.after(removeTempDirs);

test('tune single-bad-order: a positive saving, and a candidate that builds and runs', async () => {
  const out = tempDir('tune');
  const r = await runCli(['tune', 'express-api', '--variant', 'single-bad-order', '--iterations', '2', '--format', 'json', '--out', out, '--name-prefix', PREFIX, '--skip-cache-mount']);
  assert.is(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);

  const deps = j.findings.filter((f: { rule: string }) => f.rule === 'deps-after-context-copy');
  assert.is(deps.length, 1);
  assert.is(deps[0].line, installLine);

  assert.ok(j.candidate_path && existsSync(j.candidate_path), `candidate at ${j.candidate_path}`);
  const candidate = readFileSync(j.candidate_path, 'utf8');
  const again = tuneFindings({ dockerfilePath: 'Dockerfile.candidate', dockerfile: candidate, dockerignore: readFileSync(join(scenarioDir, '.dockerignore'), 'utf8'), contextEntries: ['package.json', 'package-lock.json', 'src'] });
  assert.not.ok(again.some((f) => f.rule === 'deps-after-context-copy'), 'the candidate is reordered');
  assert.is(j.smoke.candidate.ok, true, JSON.stringify(j.smoke.candidate));

  // The original reruns its install on a source change; the candidate does not.
  const rebuiltLines = (c: { rebuilt: Array<{ line: number | null }> }) => c.rebuilt.map((s) => s.line);
  assert.ok(rebuiltLines(j.steps_rebuilt.source.original).includes(installLine), JSON.stringify(j.steps_rebuilt.source.original));
  const candidateInstall = lineOf(candidate, /^RUN npm ci\b/);
  assert.not.ok(rebuiltLines(j.steps_rebuilt.source.candidate).includes(candidateInstall), JSON.stringify(j.steps_rebuilt.source.candidate));
  // A dependency change reruns the install in both.
  assert.ok(rebuiltLines(j.steps_rebuilt.dependency.candidate).includes(candidateInstall));

  assert.is(j.samples_ms.original.length, 2);
  assert.is(j.samples_ms.candidate.length, 2);
  assert.ok(j.saved_ms > 0, `saved ${j.saved_ms} ms: original ${j.original_ms}, candidate ${j.candidate_ms}`);
  assert.ok(j.context.without_dockerignore_bytes >= j.context.sent_bytes);
  assert.equal(j.errors, []);
  assert.ok(existsSync(join(j.results_dir, 'tune.json')));

  const engine = await connectEngine();
  for (const tag of ['single-bad-order', 'single-bad-order-candidate']) {
    assert.is(await engine.inspectImage(`${PREFIX}-express-api:${tag}`), undefined, `image ${tag} removed at the end`);
  }
  // Every rebuild leaves an untagged image with tune's label; none may stay behind.
  const tuneRun = basename(j.results_dir);
  assert.equal(await engine.imagesWithLabels({ 'org.stagebench.run': tuneRun }), [], `images labelled ${tuneRun} left`);
});

test.run();
