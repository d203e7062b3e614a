// tune reads the build context a run builds from: scenario.json's `context` subfolder, its .dockerignore and its
// entries, not the scenario folder's (issue 16); and its results folder holds what docs/tune.md says, also for --static.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadScenario } from '../../../src/scenario/load.ts';
import { readTuneInput } from '../../../src/tune/input.ts';
import { staticTune } from '../../../src/tune/report.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

test.after(removeTempDirs);

const BAD_ORDER = ['ARG NODE_SLIM_IMAGE=node:20-slim', 'FROM ${NODE_SLIM_IMAGE}', 'WORKDIR /app', 'COPY . .', 'RUN npm install', 'CMD ["node", "app.js"]', ''].join('\n');

/** A monorepo-like scenario: the app and its .dockerignore in app/, a large file and no .dockerignore beside it. */
function monorepo(): string {
  const dir = join(tempDir('tune-context'), 'mono');
  const files: Record<string, string> = {
    'scenario.json': JSON.stringify({
      name: 'mono', description: 'an app in a subfolder',
      context: 'app',
      variants: { single: { dockerfile: 'app/Dockerfile' } },
      smoke: { path: '/health', status: 200 },
      changes: { source: { file: 'app/app.js', append: '\n' }, dependency: { replace: { 'app/package.json': 'bench-changes/package.json' }, description: 'adds one' } },
    }),
    'app/Dockerfile': BAD_ORDER,
    'app/app.js': 'console.log(1)\n',
    'app/package.json': '{"name":"app","version":"1.0.0"}\n',
    'app/package-lock.json': '{"lockfileVersion":3,"packages":{"":{"name":"app"}}}\n',
    'app/.dockerignore': 'node_modules\n.git\n.env\n',
    'app/node_modules/x/index.js': 'x'.repeat(5000),
    'bench-changes/package.json': '{"name":"app","version":"1.0.0","dependencies":{"ms":"2.1.3"}}\n',
    'outside-the-context.bin': 'y'.repeat(100_000),
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

test('the context subfolder: its .dockerignore and entries, the Dockerfile named relative to it', () => {
  const scenario = loadScenario(monorepo());
  const input = readTuneInput(scenario, 'single');
  assert.is(input.context, 'app');
  assert.is(input.dockerfilePath, 'Dockerfile');
  assert.is(input.dockerignore, 'node_modules\n.git\n.env\n');
  assert.ok(input.contextEntries.includes('package-lock.json'));
  assert.not.ok(input.contextEntries.includes('outside-the-context.bin'));
});

test('static tune: context sizes of the subfolder only; no dockerignore-missing; the candidate installs with npm ci from the lockfile', async () => {
  const scenario = loadScenario(monorepo());
  const out = join(tempDir('tune-out'), 'tune-mono-single-static');
  const { report, candidate } = await staticTune({ scenario, variant: 'single', buildArgs: {}, profile: 'none', iterations: 0, measured: false, resultsDir: out });
  assert.is(report.context_dir, 'app');
  assert.is(report.dockerfile, 'Dockerfile');
  // Everything in app/ (the large file beside it is not in the context): 5 files and node_modules' one.
  assert.is(report.context.all.files, 6);
  assert.ok(report.context.all.bytes < 100_000, String(report.context.all.bytes));
  assert.equal(report.context.excluded.map((e) => e.entry), ['node_modules']);
  assert.not.ok(report.findings.some((f) => f.rule === 'dockerignore-missing'), JSON.stringify(report.findings));
  assert.ok(report.findings.some((f) => f.rule === 'deps-after-context-copy'));
  assert.match(candidate.text, /COPY package\.json package-lock\.json \.\/\nRUN npm ci/);
  assert.is(report.results_dir, out);
  assert.ok(existsSync(join(out, 'Dockerfile.candidate')));
});

test('--static\'s folder: a stale candidate of an earlier tune goes when the Dockerfile needs none now', async () => {
  const dir = monorepo();
  const out = join(tempDir('tune-out'), 'tune-mono-single-static');
  await staticTune({ scenario: loadScenario(dir), variant: 'single', buildArgs: {}, profile: 'none', iterations: 0, measured: false, resultsDir: out });
  writeFileSync(join(dir, 'app/Dockerfile'), ['ARG NODE_SLIM_IMAGE=node:20-slim', 'FROM ${NODE_SLIM_IMAGE}', 'WORKDIR /app', 'COPY package.json package-lock.json ./', 'RUN npm ci', 'COPY . .', 'USER node', 'CMD ["node", "app.js"]', ''].join('\n'));
  const { report } = await staticTune({ scenario: loadScenario(dir), variant: 'single', buildArgs: {}, profile: 'none', iterations: 0, measured: false, resultsDir: out });
  assert.is(report.candidate_path, null);
  assert.not.ok(readdirSync(out).includes('Dockerfile.candidate'), readdirSync(out).join(', '));
});

test.run();
