// The .dockerignore phases for a pnpm app whose build context is a subfolder (issue 16): the developer folder's
// node_modules comes from pnpm's frozen install (through corepack) in that subfolder, and the context without the
// .dockerignore carries it. An app without a lockfile gets failed rows that say why, never a crash.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readSamples } from '../../../src/results/read.ts';
import type { SampleRow } from '../../../src/types.ts';
import { hasStackTrace, runCli, type CliResult } from '../../support/cli.ts';
import { removeLabelledImages } from '../../support/docker.ts';
import { makeScenario, scenarioJson, uniqueToken } from '../../support/scenario-folder.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';
import { setupBefore, cleanupAfter } from '../../support/setup.ts';

const token = uniqueToken();
const name = `pnpm-ctx-${token}`;
const bare = `no-lock-${token}`;
// A pnpm 9 lockfile of one dependency, as `pnpm install --lockfile-only` writes it for this package.json.
const PACKAGE = `${JSON.stringify({ name: 'app', version: '1.0.0', private: true, packageManager: 'pnpm@9.15.9', dependencies: { ms: '2.1.3' } }, null, 2)}\n`;
const LOCK = `lockfileVersion: '9.0'

settings:
  autoInstallPeers: true
  excludeLinksFromLockfile: false

importers:

  .:
    dependencies:
      ms:
        specifier: 2.1.3
        version: 2.1.3

packages:

  ms@2.1.3:
    resolution: {integrity: sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==}

snapshots:

  ms@2.1.3: {}
`;
// Builds the app's own way: pnpm through corepack, as the official images document.
const DOCKERFILE = [
  'ARG NODE_SLIM_IMAGE=node:20-slim', 'FROM ${NODE_SLIM_IMAGE}', `RUN echo ${token} > /token.txt`, 'WORKDIR /app',
  'COPY app.js ./', 'CMD ["node", "app.js"]', '',
].join('\n');
let root: string;
let out: string;
let cli: CliResult;
let samples: SampleRow[];

function scenario(scenarioName: string, files: Record<string, string>): void {
  const json = scenarioJson(scenarioName, { single: { dockerfile: 'app/Dockerfile' } });
  json.context = 'app';
  json.changes = { source: { file: 'app/app.js', append: '\n// changed\n' }, dependency: { replace: { 'app/package.json': 'bench-changes/package.json' }, description: 'a field' } };
  makeScenario(root, scenarioName, {
    variants: {},
    json,
    files: { 'app/Dockerfile': DOCKERFILE, 'app/app.js': "require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT || 3000, process.env.HOST || '0.0.0.0');\n", 'app/.dockerignore': 'node_modules\n', ...files },
  });
}

setupBefore(test, async () => {
  root = tempDir('context-pnpm');
  scenario(name, { 'app/package.json': PACKAGE, 'app/pnpm-lock.yaml': LOCK });
  scenario(bare, { 'app/package.json': PACKAGE });
  out = join(root, 'out');
  // This machine's registry proxy strips npm's signatures, so corepack refuses to fetch pnpm unless told not to check
  // (as setup's stand-ins are); a user behind such a proxy sets the same (README: Phases).
  cli = await runCli(['run', '--scenarios', root, '--scenario', name, '--scenario', bare, '--phase', 'context', '--iterations', '1', '--scanner', 'none', '--out', out], { env: { COREPACK_INTEGRITY_KEYS: '0' } });
  samples = existsSync(join(out, 'samples.csv')) ? readSamples(out) : [];
});

cleanupAfter(test, async () => {
  await removeLabelledImages('org.stagebench.scenario', name);
  await removeLabelledImages('org.stagebench.scenario', bare);
  removeTempDirs();
});

test('the pnpm app: both phases ok; the full context carries the node_modules pnpm made in the subfolder', () => {
  assert.not.ok(hasStackTrace(cli.stderr), cli.stderr);
  const mine = samples.filter((s) => s.scenario === name);
  assert.equal(mine.map((s) => [s.phase, s.ok, s.error]), [['build-context-ignored', true, ''], ['build-context-full', true, '']], cli.stderr);
  const [ignored, full] = mine;
  // pnpm's node_modules: its .pnpm store with ms's files and the link; the sources alone are a few kB of tar.
  assert.ok(ignored.context_bytes! < 20_000, `ignored context ${ignored.context_bytes}`);
  assert.ok(full.context_bytes! > ignored.context_bytes! + 5_000, `full ${full.context_bytes} vs ignored ${ignored.context_bytes}`);
  assert.match(cli.stderr, /making a developer folder \(corepack pnpm\S* install --frozen-lockfile --ignore-scripts --ignore-pnpmfile --ignore-workspace on a private copy of package\.json and pnpm-lock\.yaml, git init\)/);
});

test('no lockfile: both phases are failed rows saying so; the run goes on and exits 1', () => {
  assert.is(cli.code, 1, cli.stderr);
  const rows = samples.filter((s) => s.scenario === bare);
  assert.equal(rows.map((s) => [s.phase, s.ok]), [['build-context-ignored', false], ['build-context-full', false]]);
  for (const r of rows) assert.match(r.error, /has no lockfile \(package-lock\.json, yarn\.lock or pnpm-lock\.yaml\): the developer folder's node_modules is made with a frozen install \(pnpm install --frozen-lockfile\)/);
});

test.run();
