// replay's pure planning and summary (issue 32): --commits, what a commit touched in the build context, the order of
// variants per round, which rebuilt step is a dependency install, and the summary of replay.csv's rows.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { commitSavings, isDependencyInstall, meanInterval, parseCommitSpec, replayMonthly, roundOrder, summarizeReplay, touchOf, type ReplayRow } from '../../../src/replay/plan.ts';

test('--commits takes N or A..B and nothing else', () => {
  assert.equal(parseCommitSpec('15', 'main'), { kind: 'last', n: 15, ref: 'main' });
  assert.equal(parseCommitSpec('v1.0..HEAD', 'main'), { kind: 'range', from: 'v1.0', to: 'HEAD' });
  for (const bad of ['0', '-3', 'ten', 'a...b', '1001']) assert.is(parseCommitSpec(bad, 'main'), undefined, bad);
});

test('a docs-only commit under a .dockerignore that leaves docs out touches nothing; a test commit does', () => {
  const ignore = 'node_modules\n**/*.md\nDockerfile*\n';
  const docs = touchOf(['README.md', 'docs/guide.md'], '', ignore, ['Dockerfile.single', '.dockerignore', 'scenario.json']);
  assert.is(docs.touched, false);
  assert.equal(docs.kinds, ['docs']);
  const tests = touchOf(['test/app.test.js'], '', ignore, ['Dockerfile.single']);
  assert.equal(tests.contextFiles, ['test/app.test.js']);
  assert.equal(tests.kinds, ['tests']);
  // A Dockerfile the .dockerignore leaves out of the context still changes the build.
  const df = touchOf(['Dockerfile.single'], '', ignore, ['Dockerfile.single']);
  assert.ok(df.touched);
  assert.equal(df.definition, ['Dockerfile.single']);
  assert.equal(touchOf(['package.json', 'yarn.lock', 'src/a.ts'], '', null, []).kinds, ['dependencies', 'lockfile', 'source']);
});

test('a service folder of a monorepo: commits outside it touch nothing', () => {
  const t = touchOf(['vote/app.py', 'README.md'], 'result', 'node_modules/\n', ['result/Dockerfile.single']);
  assert.is(t.touched, false);
  assert.equal(touchOf(['result/server.js'], 'result', 'node_modules/\n', []).contextFiles, ['result/server.js']);
});

test('variants take turns going first across rounds', () => {
  assert.equal(roundOrder(['single', 'multi', 'distroless'], 1), ['single', 'multi', 'distroless']);
  assert.equal(roundOrder(['single', 'multi', 'distroless'], 2), ['multi', 'distroless', 'single']);
  assert.equal(roundOrder(['single', 'multi'], 3), ['single', 'multi']);
});

test('dependency installs are told from other rebuilt steps', () => {
  for (const yes of ['RUN npm ci', 'RUN npm install --omit=dev', 'RUN yarn install --frozen-lockfile', 'RUN yarn', 'RUN --mount=type=cache,target=/root/.npm npm ci', 'RUN pnpm install --frozen-lockfile']) assert.ok(isDependencyInstall(yes), yes);
  for (const no of ['COPY . .', 'RUN npm run build', 'RUN yarn build', 'RUN npm prune --omit=dev']) assert.not.ok(isDependencyInstall(no), no);
});

const row = (over: Partial<ReplayRow>): ReplayRow => ({
  schema: 1, replay_id: 'r', mode: 'warm', scenario: 'app', round: 1, position: 1, commit: 'c1', subject: 's', variant: 'single', ok: true, error: '',
  duration_ms: 1000, steps: 4, cached_steps: 3, rebuilt_steps: 1, reinstalled: false, touched_context: true, kinds: 'source',
  files_changed: 1, context_files: 'server.js', push_bytes: 10, image_bytes: 100, image_id: 'sha256:x', rebuilt: '', ...over,
});

test('the summary: median and total per variant, reinstall share, untouched commits, the most expensive commits', () => {
  const rows = [
    row({ commit: 'a', duration_ms: 1000 }),
    row({ commit: 'b', duration_ms: 9000, reinstalled: true, kinds: 'dependencies lockfile', context_files: 'package.json yarn.lock', subject: 'bump x' }),
    row({ commit: 'c', duration_ms: 300, touched_context: false, kinds: 'docs', context_files: '' }),
    row({ commit: 'a', variant: 'multi', duration_ms: 2000 }),
    row({ commit: 'b', variant: 'multi', ok: false, duration_ms: null, error: 'build failed' }),
    row({ commit: 'c', variant: 'multi', duration_ms: 400, touched_context: false }),
  ];
  const s = summarizeReplay(rows, 'warm', 2);
  const single = s.variants.find((v) => v.variant === 'single')!;
  assert.is(single.median_ms, 1000);
  assert.is(single.total_ms, 10300);
  assert.is(single.reinstall_share, 1 / 3);
  assert.is(single.untouched, 1);
  assert.is(single.ci95_ms, null);
  assert.is(s.variants.find((v) => v.variant === 'multi')!.failed, 1);
  assert.equal(s.expensive.map((e) => `${e.commit} ${e.variant}`), ['b single', 'a multi']);
  assert.is(s.expensive[0].touched, 'dependencies lockfile: package.json yarn.lock');
});

test('rounds give each variant an interval on its total', () => {
  const rows = [1, 2, 3].flatMap((round) => [row({ round, commit: 'a', duration_ms: 1000 + round * 100 }), row({ round, commit: 'b', duration_ms: 2000 })]);
  const single = summarizeReplay(rows, 'warm').variants[0];
  assert.is(single.rounds, 3);
  assert.is(single.mean_total_ms, 3200);
  // Totals 3100, 3200, 3300: sd 100, t(2) = 4.303, half-width 4.303 * 100 / sqrt(3).
  assert.ok(Math.abs(single.ci95_ms! - 248.4) < 0.5, String(single.ci95_ms));
  assert.equal(meanInterval([5]), { mean: 5, half: null });
});

test('seconds saved per commit pair the original and the candidate by round and commit', () => {
  const rows = [
    row({ round: 1, commit: 'a', duration_ms: 5000 }), row({ round: 1, commit: 'a', variant: 'single-candidate', duration_ms: 1000 }),
    row({ round: 1, commit: 'b', duration_ms: 2000 }), row({ round: 1, commit: 'b', variant: 'single-candidate', duration_ms: 2000 }),
    row({ round: 2, commit: 'a', duration_ms: 6000 }), row({ round: 2, commit: 'a', variant: 'single-candidate', ok: false, duration_ms: null }),
  ];
  const s = commitSavings(rows, 'single', 'single-candidate');
  assert.is(s.pairs, 2);
  assert.is(s.median_ms, 2000);
  assert.is(s.total_original_ms, 7000);
  assert.is(s.total_candidate_ms, 3000);
});

test('the monthly CI minutes from a replay: mean per commit times commits a day, the assumption said', () => {
  const s = summarizeReplay([row({ commit: 'a', duration_ms: 3000 }), row({ commit: 'b', duration_ms: 9000 })], 'warm');
  const [m] = replayMonthly(s, 50, 30);
  assert.is(m.perCommitMs, 6000);
  assert.is(m.ciMinutes, 150);
  assert.match(m.assumption, /50 commits a day built like these 2 \(mean 6 s each/);
});

test.run();
