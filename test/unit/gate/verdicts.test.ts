import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareRuns } from '../../../src/gate/compare-runs.ts';
import type { SampleRow } from '../../../src/types.ts';
import { generateRun, runInfo } from './fixtures.ts';

const SIDES = { baseline: { label: 'base', info: runInfo() }, current: { label: 'cur', info: runInfo({ run_id: 'run-b' }) } };

function slowDown(rows: SampleRow[], phase: string, variant: string, factor: number): SampleRow[] {
  return rows.map((r) => r.phase === phase && r.variant === variant ? { ...r, duration_ms: (r.duration_ms as number) * factor } : r);
}

test('two runs of the same machine and code: every verdict is same, nothing regressed', () => {
  const base = generateRun({ runId: 'run-a', seed: 1, iterations: 8 });
  const cur = generateRun({ runId: 'run-b', seed: 2, iterations: 8 });
  const result = compareRuns(base, cur, {}, SIDES);
  assert.is(result.timing.length, 6);
  assert.ok(result.timing.every((r) => r.verdict === 'same'), JSON.stringify(result.timing.map((r) => r.verdict)));
  assert.ok(result.sizes.every((r) => r.verdict === 'same'));
  assert.is(result.regressed, false);
  assert.equal(result.warnings, []);
});

test('a phase made 50% slower is slower, with a small p, and the run regressed', () => {
  const base = generateRun({ runId: 'run-a', seed: 1, iterations: 8 });
  const cur = slowDown(generateRun({ runId: 'run-b', seed: 2, iterations: 8 }), 'build-warm', 'multi', 1.5);
  const result = compareRuns(base, cur, {}, SIDES);
  const row = result.timing.find((r) => r.phase === 'build-warm');
  assert.ok(row);
  assert.is(row.verdict, 'slower');
  assert.ok(row.change_pct !== null && row.change_pct > 40 && row.change_pct < 60, String(row.change_pct));
  // Fully separated 8 vs 8: 2 / C(16, 8).
  assert.is(row.p_value, 2 / 12870);
  assert.is(result.timing.filter((r) => r.verdict !== 'same').length, 1);
  // Between separate runs a slower timing is indicative only; --gate-timings makes it count.
  assert.is(result.regressed, false);
  assert.is(compareRuns(base, cur, { gate_timings: true }, SIDES).regressed, true);
});

test('a phase made 40% faster is faster and no regression', () => {
  const base = generateRun({ runId: 'run-a', seed: 1, iterations: 6 });
  const cur = slowDown(generateRun({ runId: 'run-b', seed: 2, iterations: 6 }), 'build-cold', 'single', 0.6);
  const result = compareRuns(base, cur, {}, SIDES);
  assert.is(result.timing.find((r) => r.variant === 'single' && r.phase === 'build-cold')?.verdict, 'faster');
  assert.is(result.regressed, false);
});

test('a significant change below the threshold stays same; a lower threshold makes it slower', () => {
  const base = generateRun({ runId: 'run-a', seed: 1, iterations: 8 });
  const cur = slowDown(base.map((r) => ({ ...r, run_id: 'run-b' })), 'build-warm', 'multi', 1.04);
  const at5 = compareRuns(base, cur, { threshold_pct: 5 }, SIDES).timing.find((r) => r.phase === 'build-warm');
  const at2 = compareRuns(base, cur, { threshold_pct: 2 }, SIDES).timing.find((r) => r.phase === 'build-warm');
  assert.ok(at5 && at2);
  assert.ok((at5.p_value as number) < 0.05, 'every sample is 4% slower: the test sees it');
  assert.is(at5.verdict, 'same');
  assert.is(at2.verdict, 'slower');
});

test('a large change with too few samples stays same, with a warning that says how many are needed', () => {
  const base = generateRun({ runId: 'run-a', seed: 1, iterations: 3 });
  const cur = slowDown(generateRun({ runId: 'run-b', seed: 2, iterations: 3 }), 'build-warm', 'multi', 2);
  const result = compareRuns(base, cur, {}, SIDES);
  const row = result.timing.find((r) => r.phase === 'build-warm');
  assert.is(row?.verdict, 'same');
  assert.is(row?.p_value, 0.1);
  assert.is(result.regressed, false);
  assert.ok(result.warnings.some((w) => /too few ok samples/.test(w) && /--iterations 4/.test(w)), result.warnings.join('\n'));
});

test('a bigger image is bigger beyond the threshold and regresses; timings may all be same', () => {
  const base = generateRun({ runId: 'run-a', seed: 1, iterations: 5 });
  const cur = generateRun({ runId: 'run-b', seed: 2, iterations: 5 }).map((r) =>
    r.variant === 'distroless' && r.scenario === 'express-api' ? { ...r, image_bytes: 200_000_000 } : r);
  const result = compareRuns(base, cur, {}, SIDES);
  const row = result.sizes.find((r) => r.variant === 'distroless' && r.metric === 'image_bytes');
  assert.ok(row);
  assert.is(row.verdict, 'bigger');
  assert.is(row.baseline, 160_000_000);
  assert.is(row.current, 200_000_000);
  assert.is(row.change_pct, 25);
  assert.is(row.phase, 'build-cold');
  assert.ok(result.timing.every((r) => r.verdict === 'same'));
  assert.is(result.regressed, true);
});

test('a smaller image is smaller and no regression; a 1% growth is same', () => {
  const base = generateRun({ runId: 'run-a', seed: 1, iterations: 5 });
  const cur = generateRun({ runId: 'run-b', seed: 2, iterations: 5 }).map((r) =>
    r.variant === 'single' ? { ...r, image_bytes: (r.image_bytes as number) * 0.5 } :
      r.variant === 'multi' ? { ...r, image_bytes: (r.image_bytes as number) * 1.01 } : r);
  const result = compareRuns(base, cur, {}, SIDES);
  const verdicts = result.sizes.filter((r) => r.metric === 'image_bytes').map((r) => `${r.scenario}/${r.variant}=${r.verdict}`);
  assert.equal(verdicts, [
    'express-api/single=smaller', 'express-api/multi=same', 'express-api/distroless=same', 'next-ssr/single=smaller', 'next-ssr/multi=same',
  ]);
  assert.is(result.regressed, false);
});

test('vulnerability counts appear when present: from 0 to 2 critical is bigger', () => {
  const scan = (runId: string, critical: number) => generateRun({
    runId, seed: 3, iterations: 1, cells: [{ scenario: 'express-api', variant: 'single', phase: 'scan', ms: 3000 }],
  }).map((r) => ({ ...r, vulns_critical: critical, vulns_high: 4 }));
  const result = compareRuns(scan('run-a', 0), scan('run-b', 2), {}, SIDES);
  const critical = result.sizes.find((r) => r.metric === 'vulns_critical');
  assert.equal([critical?.verdict, critical?.change_pct], ['bigger', null]);
  assert.is(result.sizes.find((r) => r.metric === 'vulns_high')?.verdict, 'same');
  assert.is(result.regressed, true);
});

test('rows on one side only are new or missing, and neither is a regression', () => {
  const base = generateRun({ runId: 'run-a', seed: 1, iterations: 5 }).filter((r) => r.scenario !== 'next-ssr');
  const cur = generateRun({ runId: 'run-b', seed: 2, iterations: 5 }).filter((r) => r.variant !== 'distroless');
  const result = compareRuns(base, cur, {}, SIDES);
  const verdict = (scenario: string, variant: string) => result.timing.find((r) => r.scenario === scenario && r.variant === variant)?.verdict;
  assert.is(verdict('express-api', 'distroless'), 'missing');
  assert.is(verdict('next-ssr', 'single'), 'new');
  const missing = result.timing.find((r) => r.verdict === 'missing');
  assert.equal([missing?.current_median_ms, missing?.p_value, missing?.change_pct], [null, null, null]);
  assert.is(result.sizes.find((r) => r.variant === 'distroless')?.verdict, 'missing');
  assert.is(result.sizes.find((r) => r.scenario === 'next-ssr')?.verdict, 'new');
  assert.is(result.regressed, false);
});

test('a phase whose current samples all failed is failed, fails the gate, and the failures are warned about', () => {
  const base = generateRun({ runId: 'run-a', seed: 1, iterations: 5 });
  const cur = generateRun({ runId: 'run-b', seed: 2, iterations: 5 }).map((r) =>
    r.phase === 'build-warm' ? { ...r, ok: false, error: 'build-warm had an uncached step' } : r);
  const result = compareRuns(base, cur, {}, SIDES);
  assert.is(result.timing.find((r) => r.phase === 'build-warm')?.verdict, 'failed');
  assert.is(result.failed, true);
  assert.ok(result.warnings.some((w) => w.startsWith('cur has 5 failed sample(s) (express-api/multi/build-warm)')), result.warnings.join('\n'));
});


test('the defaults between runs: 18% slower, fully separated, is drift (same); 30% slower is slower; a 6% bigger image is bigger', () => {
  const base = generateRun({ runId: 'run-a', seed: 1, iterations: 4 });
  const again = base.map((r) => ({ ...r, run_id: 'run-b' }));
  const drift = compareRuns(base, slowDown(again, 'build-warm', 'multi', 1.18), {}, SIDES).timing.find((r) => r.phase === 'build-warm');
  assert.ok((drift?.p_value as number) < 0.05, 'the test sees the shift');
  assert.is(drift?.verdict, 'same');
  const slower = compareRuns(base, slowDown(again, 'build-warm', 'multi', 1.3), {}, SIDES);
  assert.is(slower.timing.find((r) => r.phase === 'build-warm')?.verdict, 'slower');
  assert.is(slower.failed, false, 'timings between runs are indicative');
  assert.is(compareRuns(base, slowDown(again, 'build-warm', 'multi', 1.3), { gate_timings: true }, SIDES).failed, true);
  const bigger = compareRuns(base, again.map((r) => r.variant === 'multi' && r.image_bytes !== null ? { ...r, image_bytes: Math.round(r.image_bytes * 1.06) } : r), {}, SIDES);
  assert.equal(bigger.sizes.filter((r) => r.verdict === 'bigger').map((r) => `${r.scenario}/${r.variant}/${r.metric}`), ['express-api/multi/image_bytes', 'next-ssr/multi/image_bytes']);
  assert.is(compareRuns(base, again.map((r) => r.variant === 'multi' && r.image_bytes !== null ? { ...r, image_bytes: Math.round(r.image_bytes * 1.06) } : r), { size_threshold_pct: 10 }, SIDES).failed, false);
});

test.run();
