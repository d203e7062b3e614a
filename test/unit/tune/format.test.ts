import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tuneJson, tuneText } from '../../../src/tune/format.ts';
import type { TuneReport } from '../../../src/tune/report.ts';

function report(over: Partial<TuneReport> = {}): TuneReport {
  const cost = (ms: number) => ({
    rebuilt: [{ label: '[4/5]', instruction: 'RUN npm install', line: 7, cached: false, durationMs: ms }],
    rebuiltMs: ms, steps: 4, cachedSteps: 3, buildMs: ms + 500,
  });
  return {
    scenario: 'app', variant: 'bad', dockerfile: 'Dockerfile.bad', target: null, profile: 'offline', iterations: 3,
    measured: true, results_dir: '/r/tune-app-bad-x', context_dir: '.',
    findings: [{ rule: 'deps-after-context-copy', file: 'Dockerfile.bad', line: 7, severity: 'error', message: 'install after COPY . .', fix: 'reorder' }],
    context: { all: { files: 10, bytes: 5000 }, sent: { files: 4, bytes: 1000 }, excluded: [{ entry: 'node_modules', files: 6, bytes: 4000 }], hasDockerignore: true },
    candidate_path: '/r/tune-app-bad-x/Dockerfile.candidate',
    candidate_edits: [{ kind: 'npm-ci', line: 7, description: 'line 7: npm install -> npm ci' }],
    smoke: { original: { ok: true, ms: 300 }, candidate: { ok: true, ms: 250 } },
    steps_rebuilt: { source: { original: cost(20000), candidate: cost(10) }, dependency: { original: cost(20000), candidate: cost(19000) } },
    warm_src: {
      original: { samples: [21000, 23000, 22000], stats: { n: 3, median: 22000, mean: 22000, stddev: 1000, min: 21000, max: 23000, p75: 22500, p99: 23000, rme: 11 } },
      candidate: { samples: [4000, 5000, 4500], stats: { n: 3, median: 4500, mean: 4500, stddev: 500, min: 4000, max: 5000, p75: 4750, p99: 5000, rme: 28 } },
    },
    saved: { median_ms: 17500, min_ms: 17000, max_ms: 18000 },
    cache_mount: null,
    discarded_samples: 0,
    errors: [],
    ...over,
  };
}

test('json carries the contract fields: findings with lines, medians, the saving, the candidate path', () => {
  const j = tuneJson(report());
  assert.equal(j.findings.map((f) => [f.rule, f.line]), [['deps-after-context-copy', 7]]);
  assert.is(j.original_ms, 22000);
  assert.is(j.candidate_ms, 4500);
  assert.is(j.saved_ms, 17500);
  assert.is(j.candidate_path, '/r/tune-app-bad-x/Dockerfile.candidate');
  assert.equal(j.spread.saved, { min_ms: 17000, max_ms: 18000 });
  assert.equal(j.steps_rebuilt.source.original?.rebuilt, [{ step: '[4/5]', line: 7, instruction: 'RUN npm install', duration_ms: 20000 }]);
  assert.is(j.context.without_dockerignore_bytes, 5000);
  assert.is(j.context.sent_bytes, 1000);
});

test('text shows the finding with its line, the rebuilt step, and the saving with its range', () => {
  const t = tuneText(report());
  assert.match(t, /Dockerfile\.bad:7 +error +deps-after-context-copy/);
  assert.match(t, /\[4\/5\] +line 7 +20\.0 s +RUN npm install/);
  assert.match(t, /saved per source change: 17\.5 s \(median of the paired differences; range 17\.0 s to 18\.0 s\)/);
});

test('a slower candidate shows a negative saving; discarded samples and errors are said', () => {
  const t = tuneText(report({ saved: { median_ms: -1500, min_ms: -2000, max_ms: 300 }, discarded_samples: 2, errors: ['app/bad candidate: the smoke test failed: exited'] }));
  assert.match(t, /saved per source change: -1\.50 s/);
  assert.match(t, /2 builds were discarded/);
  assert.match(t, /Errors\n {2}app\/bad candidate: the smoke test failed/);
});

test('a static report leaves the measured sections out', () => {
  const t = tuneText(report({ measured: false, warm_src: { original: null, candidate: null }, saved: null }));
  assert.not.match(t, /build-warm-src/);
  assert.not.match(t, /What a change rebuilds/);
  assert.match(t, /Candidate: \/r\/tune-app-bad-x\/Dockerfile\.candidate/);
});

const stats = (xs: number[]) => ({ n: xs.length, median: xs[1], mean: xs[1], stddev: 100, min: xs[0], max: xs[2], p75: xs[2], p99: xs[2], rme: 5 });

function withMount(): TuneReport {
  return report({
    cache_mount: {
      candidate_path: '/r/tune-app-bad-x/Dockerfile.cache-mount',
      edits: [{ kind: 'cache-mount', line: 5, description: 'line 5: --mount=type=cache,target=/root/.npm added' }],
      smoke: { ok: true, ms: 280 },
      warm_deps: {
        original: { samples: [30000, 31000, 32000], stats: stats([30000, 31000, 32000]) },
        candidate: { samples: [12000, 13000, 14000], stats: stats([12000, 13000, 14000]) },
        saved: { median_ms: 18000, min_ms: 17500, max_ms: 18500 },
        rebuilt: { original: null, candidate: null },
        not_measured: null,
      },
      ci_deps: {
        original: null, candidate: null, saved: null, rebuilt: { original: null, candidate: null },
        not_measured: 'no registry to import the cache from: no docker-registry binary',
      },
    },
  });
}

test('the cache-mount candidate: its edits, the dependency-change saving, and why the fresh runner was not measured', () => {
  const t = tuneText(withMount());
  assert.match(t, /Cache-mount candidate: \/r\/tune-app-bad-x\/Dockerfile\.cache-mount\n {2}line 5: --mount=type=cache,target=\/root\/\.npm added/);
  assert.match(t, /build-warm-deps \(a dependency change on this engine, its build cache warm\), 3 iterations each\n {4}original: +median 31\.0 s/);
  assert.match(t, /saved per dependency change: 18\.0 s \(median of the paired differences; range 17\.5 s to 18\.5 s\)/);
  assert.match(t, /build-ci after the dependency change .*: not measured: no registry to import the cache from/);
  const j = tuneJson(withMount());
  assert.is(j.cache_mount?.build_warm_deps.saved_ms, 18000);
  assert.equal(j.cache_mount?.build_warm_deps.samples_ms.candidate, [12000, 13000, 14000]);
  assert.is(j.cache_mount?.build_ci_deps.not_measured, 'no registry to import the cache from: no docker-registry binary');
  assert.is(tuneJson(report()).cache_mount, null);
});


test('measured causes: the finding cites the rebuilt step and its cause; the candidate no longer rebuilding it shows the cause gone', () => {
  const original = {
    rebuilt: [
      { label: '[3/5]', instruction: 'COPY . .', line: 6, cached: false, durationMs: 100, cause: '1 file it copies changed: src/index.js (content)' },
      { label: '[4/5]', instruction: 'RUN npm install', line: 7, cached: false, durationMs: 20000, cause: 'rebuilt because [3/5] rebuilt' },
    ],
    rebuiltMs: 20100, steps: 4, cachedSteps: 2, buildMs: 20600,
  };
  const candidate = {
    rebuilt: [{ label: '[4/5]', instruction: 'COPY . .', line: 7, cached: false, durationMs: 90, cause: '1 file it copies changed: src/index.js (content)' }],
    rebuiltMs: 90, steps: 4, cachedSteps: 3, buildMs: 600,
  };
  const r = report({ steps_rebuilt: { source: { original, candidate }, dependency: { original: null, candidate: null } } });
  const text = tuneText(r);
  assert.match(text, /measured: after the source change, \[4\/5\] `RUN npm install` rebuilt: rebuilt because \[3\/5\] rebuilt/);
  assert.match(text, /why: 1 file it copies changed: src\/index\.js \(content\)/);
  assert.match(text, /source change: no longer rebuilt by the candidate:\n {4}RUN npm install \(was: rebuilt because \[3\/5\] rebuilt\)/);
  const json = tuneJson(r);
  assert.match(json.findings[0].measured_cause ?? '', /rebuilt because \[3\/5\] rebuilt/);
});

test.run();
