// The text output of `stagebench tune` hides no entry its JSON has: every finding, every entry the .dockerignore
// keeps out, every rebuilt step, candidate edit, sample, smoke test and error.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatBytes, formatDuration } from '../../../src/units.ts';
import { tuneJson, tuneText } from '../../../src/tune/format.ts';
import type { TuneReport } from '../../../src/tune/report.ts';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function report(): TuneReport {
  const cost = (ms: number, n: number) => ({
    rebuilt: Array.from({ length: n }, (_, i) => ({ label: `[${i + 2}/9]`, instruction: `RUN step-${ms}-${i}`, line: i + 3, cached: false, durationMs: ms + i })),
    rebuiltMs: ms * n, steps: 9, cachedSteps: 9 - n, buildMs: ms * n + 100,
  });
  // More excluded entries than the text used to show (it cut the list at four).
  const excluded = ['node_modules', '.git', 'coverage', 'dist', '.next', 'logs', 'tmp'].map((entry, i) => ({ entry, files: 100 - i, bytes: 9_000_000 - i * 1_000_000 }));
  return {
    scenario: 'app', variant: 'bad', dockerfile: 'Dockerfile.bad', target: 'runner', profile: 'offline', iterations: 4,
    measured: true, results_dir: '/r/tune-app-bad-x', context_dir: 'apps/api',
    findings: [
      { rule: 'deps-after-context-copy', file: 'Dockerfile.bad', line: 7, severity: 'error', message: 'install after COPY . .', fix: 'reorder' },
      { rule: 'no-user', file: 'Dockerfile.bad', line: 12, severity: 'warning', message: 'runs as root', fix: 'USER node' },
      { rule: 'dockerignore-leaks', file: '.dockerignore', line: null, severity: 'info', message: 'lets .env in', fix: 'add .env' },
    ],
    context: { all: { files: 700, bytes: 40_000_000 }, sent: { files: 4, bytes: 1000 }, excluded, hasDockerignore: true },
    candidate_path: '/r/tune-app-bad-x/Dockerfile.candidate',
    candidate_edits: [
      { kind: 'copy-manifests', line: 5, description: 'line 5: copy package.json and the lockfile first' },
      { kind: 'npm-ci', line: 7, description: 'line 7: npm install -> npm ci' },
    ],
    smoke: { original: { ok: true, ms: 321 }, candidate: { ok: false, error: 'exited with code 1' } },
    steps_rebuilt: { source: { original: cost(20000, 3), candidate: cost(10, 1) }, dependency: { original: cost(30000, 4), candidate: cost(19000, 2) } },
    warm_src: {
      original: { samples: [21000, 23000, 22000, 24500], stats: { n: 4, median: 22500, mean: 22625, stddev: 1400, min: 21000, max: 24500, p75: 23400, p99: 24500, rme: 10 } },
      candidate: { samples: [4000, 5000, 4500, 4250], stats: { n: 4, median: 4375, mean: 4437, stddev: 420, min: 4000, max: 5000, p75: 4600, p99: 5000, rme: 15 } },
    },
    saved: { median_ms: 18000, min_ms: 17000, max_ms: 20000 },
    cache_mount: null,
    discarded_samples: 1,
    errors: ['app/bad candidate: the smoke test failed: exited with code 1', 'app/bad original: the build after the dependency change failed: boom'],
  };
}

test('every entry of the JSON appears in the text', () => {
  const r = report();
  const j = tuneJson(r);
  const text = tuneText(r);
  const missing: string[] = [];
  const expect = (what: string, pattern: RegExp) => { if (!pattern.test(text)) missing.push(`${what}: ${pattern}`); };

  for (const f of j.findings) expect(`finding ${f.rule}`, new RegExp(`${escape(f.file)}:${f.line ?? '-'} +${f.severity} +${f.rule}\\n +${escape(f.message)}\\n +fix: ${escape(f.fix)}`));
  assert.is(j.context.excluded.length, 7);
  for (const e of j.context.excluded) expect(`excluded ${e.entry}`, new RegExp(`^ +${escape(e.entry)} +${e.files} files, ${escape(formatBytes(e.bytes))}$`, 'm'));
  expect('context dir', new RegExp(`context ${escape(j.context.dir)}`));
  for (const change of ['source', 'dependency'] as const) {
    for (const which of ['original', 'candidate'] as const) {
      for (const s of j.steps_rebuilt[change][which]!.rebuilt) expect(`${change} ${which} ${s.step}`, new RegExp(`${escape(s.step)} +line ${s.line} +${escape(formatDuration(s.duration_ms))} +${escape(s.instruction)}`));
    }
  }
  for (const e of j.candidate_edits) expect(`edit ${e.kind}`, new RegExp(escape(e.description)));
  for (const which of ['original', 'candidate'] as const) {
    expect(`samples of ${which}`, new RegExp(`samples: ${j.samples_ms[which].map((ms) => escape(formatDuration(ms))).join(', ')}`));
  }
  expect('original smoke', /Original's smoke test: passed in 321 ms/);
  expect('candidate smoke', /smoke test: FAILED: exited with code 1/);
  for (const e of j.errors) expect('error', new RegExp(escape(e.split('\n')[0])));
  expect('discarded', new RegExp(`${j.discarded_samples} build was discarded`));
  expect('results dir', new RegExp(`Results: ${escape(j.results_dir!)}`));
  assert.equal(missing, [], `the text lacks:\n${missing.join('\n')}\n--- text ---\n${text}`);
});

test('a static report says no samples and no smoke test, and still lists every excluded entry', () => {
  const r = { ...report(), measured: false, warm_src: { original: null, candidate: null }, saved: null, smoke: { original: null, candidate: null }, errors: [] };
  const text = tuneText(r);
  for (const e of r.context.excluded) assert.match(text, new RegExp(`^ +${escape(e.entry)} +\\d+ files`, 'm'));
  assert.not.match(text, /samples:/);
  assert.not.match(text, /smoke test/);
});

test.run();
