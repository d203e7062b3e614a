// `stagebench replay` on a repository made here (issue 32): six commits (source, test-only, docs-only, a dependency
// added, the lockfile alone, a Dockerfile change) built in order on a warm cache for single and multi; replay.csv says
// which steps each commit rebuilt, whether it reinstalled dependencies and whether it touched the build context.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../../../src/results/csv.ts';
import { REPLAY_COLUMNS } from '../../../src/types.ts';
import { runCli, type CliResult } from '../../support/cli.ts';
import { spawnCaptured } from '../../support/spawn.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';
import { setupBefore, cleanupAfter } from '../../support/setup.ts';

let repo: string;
let out: string;
let cli: CliResult;

const SINGLE = [
  'ARG NODE_IMAGE=node:20',
  'FROM ${NODE_IMAGE}',
  'WORKDIR /app',
  'COPY package.json package-lock.json ./',
  'ARG NPM_CONFIG_REGISTRY',
  'RUN npm ci --omit=dev',
  'COPY . .',
  'CMD ["node", "server.js"]',
  '',
].join('\n');

const MULTI = [
  'ARG NODE_SLIM_IMAGE=node:20-slim',
  'FROM ${NODE_SLIM_IMAGE} AS builder',
  'WORKDIR /app',
  'COPY package.json package-lock.json ./',
  'ARG NPM_CONFIG_REGISTRY',
  'RUN npm ci --omit=dev',
  'COPY . .',
  'FROM ${NODE_SLIM_IMAGE} AS runner',
  'WORKDIR /app',
  'COPY --from=builder /app ./',
  'USER node',
  'CMD ["node", "server.js"]',
  '',
].join('\n');

async function sh(cmd: string, args: string[]): Promise<void> {
  const r = await spawnCaptured(cmd, args, { cwd: repo });
  assert.is(r.code, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
}

async function commit(message: string): Promise<void> {
  await sh('git', ['add', '-A']);
  await sh('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-q', '-m', message]);
}

const pkg = (deps: Record<string, string>) => `${JSON.stringify({ name: 'replayed', version: '1.0.0', dependencies: deps }, null, 2)}\n`;

setupBefore(test, async () => {
  const root = tempDir('replay');
  repo = join(root, 'repo');
  out = join(root, 'results');
  mkdirSync(join(repo, 'test'), { recursive: true });
  await sh('git', ['init', '-q', '-b', 'main']);
  // The base: ms locked at 2.1.2 under the range ^2.1.1, so a later lockfile-only commit can move it.
  writeFileSync(join(repo, 'package.json'), pkg({ ms: '2.1.2' }));
  await sh('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund']);
  writeFileSync(join(repo, 'package.json'), pkg({ ms: '^2.1.1' }));
  await sh('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund']);
  writeFileSync(join(repo, 'server.js'), "require('http').createServer((q, s) => s.end(require('ms')('1h') + '')).listen(process.env.PORT || 3000);\n");
  writeFileSync(join(repo, 'test', 'server.test.js'), "console.log('ok');\n");
  writeFileSync(join(repo, 'README.md'), '# replayed\n');
  mkdirSync(join(repo, 'bench-changes'));
  for (const f of ['package.json', 'package-lock.json']) writeFileSync(join(repo, 'bench-changes', f), readFileSync(join(repo, f)));
  writeFileSync(join(repo, '.dockerignore'), 'node_modules\n.git\n*.md\nDockerfile*\nscenario.json\nbench-changes\n');
  writeFileSync(join(repo, 'Dockerfile.single'), SINGLE);
  writeFileSync(join(repo, 'Dockerfile.multi'), MULTI);
  writeFileSync(join(repo, 'scenario.json'), `${JSON.stringify({
    name: 'replayed', description: 'a repository replayed by the test',
    variants: { single: { dockerfile: 'Dockerfile.single' }, multi: { dockerfile: 'Dockerfile.multi', target: 'runner' } },
    smoke: { method: 'GET', path: '/', status: 200 },
    changes: { source: { file: 'server.js', append: '\n' }, dependency: { replace: { 'package.json': 'bench-changes/package.json', 'package-lock.json': 'bench-changes/package-lock.json' }, description: 'the same manifests' } },
  }, null, 2)}\n`);
  await commit('base');
  writeFileSync(join(repo, 'server.js'), `${readFileSync(join(repo, 'server.js'), 'utf8')}// a source change\n`);
  await commit('source');
  writeFileSync(join(repo, 'test', 'server.test.js'), "console.log('still ok');\n");
  await commit('test-only');
  writeFileSync(join(repo, 'README.md'), '# replayed\n\nMore words.\n');
  await commit('docs-only');
  await sh('npm', ['install', '--package-lock-only', '--save-exact', '--no-audit', '--no-fund', 'escape-html@1.0.3']);
  await commit('dependency added');
  await sh('npm', ['update', '--package-lock-only', '--no-audit', '--no-fund', 'ms']);
  await commit('lockfile only');
  writeFileSync(join(repo, 'Dockerfile.single'), SINGLE.replace('CMD', 'RUN node -e "process.exit(0)"\nCMD'));
  await commit('Dockerfile change');
  cli = await runCli(['replay', repo, '--commits', '6', '--variant', 'single,multi', '--profile', 'offline', '--out', out]);
});

cleanupAfter(test, removeTempDirs);

function rows(): Array<Record<string, string>> {
  const [dir] = readdirSync(out);
  const { header, records } = parseCsv(readFileSync(join(out, dir, 'replay.csv'), 'utf8'));
  assert.equal(header, [...REPLAY_COLUMNS]);
  return records;
}

test('the lockfile-only commit changed the lockfile alone (the history is what the test says)', async () => {
  const r = await spawnCaptured('git', ['show', '--name-only', '--format=', 'HEAD~1'], { cwd: repo });
  assert.is(r.stdout.trim(), 'package-lock.json');
});

test('replay exits 0 and prints the per-variant table', () => {
  assert.is(cli.code, 0, `${cli.stdout}\n${cli.stderr}`);
  assert.match(cli.stdout, /variant\s+commits\s+median\/commit\s+total/);
  assert.match(cli.stdout, /most expensive commits:/);
});

test('rebuilt steps per commit: docs touch nothing, tests and sources the sources, dependencies the install', () => {
  const all = rows();
  assert.ok(all.length > 0, cli.stdout);
  const subjects = ['source', 'test-only', 'docs-only', 'dependency added', 'lockfile only', 'Dockerfile change'];
  const got = (variant: string, field: string) => subjects.map((s) => all.find((r) => r.variant === variant && r.subject === s)?.[field]);
  // single: WORKDIR, COPY manifests, RUN npm ci, COPY . . (and the added RUN in the last commit). The engine's API
  // sends the Dockerfile a build uses with its context even when .dockerignore lists it, so changing it rebuilds COPY . .
  assert.equal(got('single', 'rebuilt_steps'), ['1', '1', '0', '3', '3', '2']);
  // multi: the builder's four steps and the runner's WORKDIR and COPY --from; Dockerfile.single is not its Dockerfile
  assert.equal(got('multi', 'rebuilt_steps'), ['2', '2', '0', '4', '4', '0']);
  assert.equal(got('single', 'reinstalled'), ['false', 'false', 'false', 'true', 'true', 'false']);
  assert.equal(got('multi', 'touched_context'), ['true', 'true', 'false', 'true', 'true', 'true']);
  assert.ok(all.every((r) => r.ok === 'true'), JSON.stringify(all.filter((r) => r.ok !== 'true').map((r) => r.error)));
  // A commit that rebuilt nothing pushes nothing new; a reinstall moves a new layer.
  const docs = all.find((r) => r.variant === 'single' && r.subject === 'docs-only')!;
  const deps = all.find((r) => r.variant === 'single' && r.subject === 'dependency added')!;
  assert.ok(Number(docs.push_bytes) < Number(deps.push_bytes), `${docs.push_bytes} vs ${deps.push_bytes}`);
  assert.ok(Number(deps.image_bytes) > 0);
});

test.run();
