// replay's loop on the in-memory engine (issue 32): a repository of three commits replayed warm and as a fresh CI
// runner; which steps each commit rebuilt, what its push moved, commits that touch nothing, and the fresh runner's
// empty engine before every build. git runs on the host; no Docker.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runReplay, type ReplayRequest } from '../../../src/replay/replay.ts';
import { loadScenario } from '../../../src/scenario/load.ts';
import { tuneOnReplay } from '../../../src/tune/replay.ts';
import type { Profile } from '../../../src/types.ts';
import { MemoryEngine } from '../../support/memory-engine.ts';
import { spawnCaptured } from '../../support/spawn.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

test.after(removeTempDirs);

const PROFILE = { name: 'offline', description: '', images: { NODE_IMAGE: 'node:20', NODE_SLIM_IMAGE: 'slim:20' } } as Profile;
const lock = (version: string) => `${JSON.stringify({ name: 'app', version, lockfileVersion: 3, requires: true, packages: { '': { name: 'app', version } } }, null, 2)}\n`;

async function repo(badOrder = false): Promise<string> {
  const dir = join(tempDir('replay-loop'), 'app');
  mkdirSync(dir);
  const git = async (...args: string[]) => {
    const r = await spawnCaptured('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: dir });
    assert.is(r.code, 0, r.stderr);
  };
  await git('init', '-q', '-b', 'main');
  const files: Record<string, string> = {
    'package.json': `${JSON.stringify({ name: 'app', version: '1.0.0' }, null, 2)}\n`,
    'package-lock.json': lock('1.0.0'),
    'app.js': 'console.log(1);\n',
    'README.md': '# app\n',
    '.dockerignore': '*.md\nDockerfile*\nscenario.json\nbench-changes\n',
    'Dockerfile.single': badOrder
      ? 'ARG NODE_IMAGE=node:20\nFROM ${NODE_IMAGE}\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "app.js"]\n'
      : 'ARG NODE_IMAGE=node:20\nFROM ${NODE_IMAGE}\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nCMD ["node", "app.js"]\n',
    'Dockerfile.multi': 'ARG NODE_SLIM_IMAGE=node:20-slim\nFROM ${NODE_SLIM_IMAGE} AS builder\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nFROM ${NODE_SLIM_IMAGE} AS runner\nWORKDIR /app\nCOPY --from=builder /app ./\nCMD ["node", "app.js"]\n',
    'scenario.json': `${JSON.stringify({
      name: 'app', description: 'replayed', variants: { single: { dockerfile: 'Dockerfile.single' }, multi: { dockerfile: 'Dockerfile.multi', target: 'runner' } },
      smoke: { method: 'GET', path: '/', status: 200 },
      changes: { source: { file: 'app.js', append: '\n' }, dependency: { replace: { 'package.json': 'bench-changes/package.json', 'package-lock.json': 'bench-changes/package-lock.json' }, description: 'same' } },
    }, null, 2)}\n`,
  };
  mkdirSync(join(dir, 'bench-changes'));
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  for (const f of ['package.json', 'package-lock.json']) writeFileSync(join(dir, 'bench-changes', f), files[f]);
  await git('add', '-A');
  await git('commit', '-q', '-m', 'base');
  writeFileSync(join(dir, 'app.js'), 'console.log(2);\n');
  await git('commit', '-q', '-am', 'source');
  writeFileSync(join(dir, 'README.md'), '# app\n\nmore\n');
  await git('commit', '-q', '-am', 'docs');
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'app', version: '1.1.0' }, null, 2)}\n`);
  writeFileSync(join(dir, 'package-lock.json'), lock('1.1.0'));
  await git('commit', '-q', '-am', 'manifest');
  return dir;
}

function request(engine: MemoryEngine, dir: string, over: Partial<ReplayRequest> = {}): ReplayRequest {
  return {
    engine, repo: dir, spec: { kind: 'last', n: 3, ref: 'HEAD' }, mode: 'warm', rounds: 1, profile: PROFILE, replayId: `replay-test-${Math.random().toString(16).slice(2, 8)}`,
    outDir: join(tempDir('replay-out'), 'r'), timeoutMs: 60_000, signal: new AbortController().signal, log: () => undefined,
    startRegistry: async () => ({ prefix: '127.0.0.1:5000', auth: undefined, repository: (s: string) => `stagebench/${s}`, stop: async () => undefined }),
    ...over,
  };
}

test('warm: each commit rebuilds what it touched, pushes only new layers, and a docs commit touches nothing', async () => {
  const engine = new MemoryEngine();
  const r = await runReplay(request(engine, await repo()));
  // The in-memory engine sends every file of the context (no .dockerignore), so the docs commit's rebuilt steps are
  // asserted on BuildKit by the integration test; here, that it touched nothing the build sends.
  const got = (variant: string) => r.rows.filter((x) => x.variant === variant && x.subject !== 'docs').map((x) => `${x.subject}:${x.rebuilt_steps}`);
  assert.equal(got('single'), ['source:1', 'manifest:3']);
  assert.equal(got('multi'), ['source:2', 'manifest:4']);
  assert.equal(r.rows.map((x) => x.touched_context), [true, true, false, false, true, true]);
  const single = r.rows.filter((x) => x.variant === 'single');
  assert.ok((single[2].push_bytes as number) > 0 && single[0].push_bytes !== null, 'pushes move the new layers');
  assert.is(r.rows.find((x) => x.subject === 'manifest' && x.variant === 'single')!.reinstalled, true);
  assert.is(r.summary.variants.find((v) => v.variant === 'single')!.untouched, 1);
  // Nothing of the replay is left on the engine.
  assert.is((await engine.imagesWithLabels({})).length, 0);
});

test('fresh runner: the engine is empty before every build and the cache comes from the registry', async () => {
  const engine = new MemoryEngine();
  const cacheFrom: string[][] = [];
  const build = engine.build.bind(engine);
  engine.build = async (req) => {
    cacheFrom.push(req.cacheFrom ?? []);
    assert.is(engine.cache.size, 0, 'a fresh runner starts with no build cache');
    return build(req);
  };
  const r = await runReplay(request(engine, await repo(), { mode: 'fresh-runner', variants: ['single'] }));
  assert.ok(r.rows.every((x) => x.ok === true), JSON.stringify(r.rows.map((x) => x.error)));
  // The base build has nothing to import; every replayed commit imports the previous one's image.
  assert.equal(cacheFrom, [[], ['127.0.0.1:5000/stagebench/app:single'], ['127.0.0.1:5000/stagebench/app:single'], ['127.0.0.1:5000/stagebench/app:single']]);
});

test('tune --replay: the reordered candidate replayed beside the original, seconds saved per commit paired', async () => {
  const dir = await repo(true);
  const engine = new MemoryEngine({ stepMs: 1000 });
  const r = await tuneOnReplay(loadScenario(dir), 'single', { ...request(engine, dir), rounds: 2 });
  assert.equal([...new Set(r.replay.rows.map((x) => x.variant))].sort(), ['single', 'single-cache-mount', 'single-candidate']);
  const candidate = r.savings.find((s) => s.candidate === 'single-candidate')!;
  assert.is(candidate.pairs, 6, '3 commits x 2 rounds');
  assert.is(candidate.total_original_ms - candidate.total_candidate_ms, candidate.mean_ms * candidate.pairs);
  // The source commit reinstalls under the original (COPY . . first) and not under the candidate.
  const source = (v: string) => r.replay.rows.find((x) => x.variant === v && x.subject === 'source' && x.round === 1)!;
  assert.is(source('single').reinstalled, true);
  assert.is(source('single-candidate').reinstalled, false);
});

test.run();
