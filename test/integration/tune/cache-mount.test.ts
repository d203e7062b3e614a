// `stagebench tune express-api --variant multi` on the real engine, through the CLI: the rule names both `npm ci`
// lines (no cache mount), the cache-mount candidate builds with the mounts and passes the smoke test, and the
// dependency change is measured for the original and the candidate, interleaved, on the warm engine and on a fresh
// CI runner importing the cache from the embedded registry, each rerunning the install.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { connectEngine } from '../../../src/engine/connect.ts';
import { ROOT, runCli } from '../../support/cli.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

const PREFIX = 'stagebench-dev-tune-mount';
const dockerfile = readFileSync(join(ROOT, 'scenarios/express-api/Dockerfile.multi'), 'utf8').split('\n');
const installLines = dockerfile.flatMap((l, i) => (/^RUN npm ci\b/.test(l) ? [i + 1] : []));

test.after(removeTempDirs);

interface Cost { rebuilt: Array<{ line: number | null }> }

test('tune multi: the cache-mount candidate is proposed, built, smoke-tested and timed on a dependency change', async () => {
  assert.is(installLines.length, 2, 'Dockerfile.multi has two npm ci lines');
  const out = tempDir('tune-mount');
  const r = await runCli(['tune', 'express-api', '--variant', 'multi', '--iterations', '1', '--format', 'json', '--out', out, '--name-prefix', PREFIX]);
  assert.is(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.errors, []);

  const found = j.findings.filter((f: { rule: string }) => f.rule === 'install-without-cache-mount');
  assert.equal(found.map((f: { line: number }) => f.line), installLines);

  const m = j.cache_mount;
  assert.ok(m && existsSync(m.candidate_path), `cache-mount candidate at ${m?.candidate_path}`);
  const candidate = readFileSync(m.candidate_path, 'utf8').split('\n');
  for (const line of installLines) assert.match(candidate[line - 1], /^RUN --mount=type=cache,target=\/root\/\.npm npm ci\b/);
  assert.is(m.smoke.ok, true, JSON.stringify(m.smoke));

  for (const [what, pair] of [['build-warm-deps', m.build_warm_deps], ['build-ci after the dependency change', m.build_ci_deps]] as const) {
    assert.is(pair.not_measured, null, `${what}: ${pair.not_measured}`);
    assert.is(pair.samples_ms.original.length, 1, what);
    assert.is(pair.samples_ms.candidate.length, 1, what);
    assert.type(pair.saved_ms, 'number', what);
    // The dependency change reaches the builder's install in both Dockerfiles (same line numbers: the mount is a flag).
    for (const side of ['original', 'candidate'] as const) {
      const lines = (pair.steps_rebuilt[side] as Cost).rebuilt.map((s) => s.line);
      assert.ok(lines.includes(installLines[0]), `${what} ${side}: rebuilt ${JSON.stringify(lines)}`);
    }
  }

  const engine = await connectEngine();
  for (const tag of ['multi', 'multi-cache-mount']) {
    assert.is(await engine.inspectImage(`${PREFIX}-express-api:${tag}`), undefined, `image ${tag} removed at the end`);
  }
  assert.equal(await engine.imagesWithLabels({ 'org.stagebench.run': basename(j.results_dir) }), [], 'images of the tune left');
});

test.run();
