import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareRuns } from '../../../src/gate/compare-runs.ts';
import { COMPARE_CSV_COLUMNS, formatCsv } from '../../../src/gate/format-csv.ts';
import { formatJson } from '../../../src/gate/format-json.ts';
import { formatMarkdown } from '../../../src/gate/format-markdown.ts';
import { formatTable } from '../../../src/gate/format-table.ts';
import { parseCsv } from '../../../src/results/csv.ts';
import { COMPARE_COLUMNS } from '../../../src/types.ts';
import { generateRun, runInfo } from './fixtures.ts';

// A regression (multi build-warm 50% slower, distroless image 25% bigger), a missing and a new row.
function result() {
  const base = generateRun({ runId: 'run-a', seed: 1, iterations: 6 }).filter((r) => r.scenario !== 'next-ssr' || r.variant !== 'multi');
  const cur = generateRun({ runId: 'run-b', seed: 2, iterations: 6 })
    .filter((r) => r.variant !== 'single' || r.scenario !== 'next-ssr')
    .map((r) => r.phase === 'build-warm' ? { ...r, duration_ms: (r.duration_ms as number) * 1.5 } : r)
    .map((r) => r.variant === 'distroless' ? { ...r, image_bytes: 200_000_000 } : r);
  return compareRuns(base, cur, { gate_timings: true }, {
    baseline: { label: 'results/baselines/ci', info: runInfo() },
    current: { label: 'results/ci', info: runInfo({ env: { cpus: 4 } }) },
  });
}

test('csv: the contract columns first, a row per timing then per exact figure, readable back', () => {
  const r = result();
  const { header, records } = parseCsv(formatCsv(r));
  assert.equal(header.slice(0, COMPARE_COLUMNS.length), [...COMPARE_COLUMNS]);
  assert.equal(header, [...COMPARE_CSV_COLUMNS]);
  assert.is(records.length, r.timing.length + r.sizes.length);
  const warm = records.find((x) => x.phase === 'build-warm' && x.metric === 'duration_ms');
  assert.equal([warm?.metric, warm?.verdict], ['duration_ms', 'slower']);
  assert.is(Number(warm?.current_median_ms), Number(warm?.current));
  const size = records.find((x) => x.metric === 'image_bytes' && x.variant === 'distroless');
  assert.equal([size?.verdict, size?.baseline, size?.current, size?.change_pct, size?.p_value, size?.phase],
    ['bigger', '160000000', '200000000', '25', '', 'build-cold']);
  assert.ok(records.some((x) => x.verdict === 'new') && records.some((x) => x.verdict === 'missing'));
});

test('md: the verdict on the first line, then GitHub tables and the warnings', () => {
  const lines = formatMarkdown(result()).trimEnd().split('\n');
  assert.match(lines[0], /^\*\*stagebench compare: regression: 1 slower, 1 bigger; .*\(threshold 20%, sizes 5%, alpha 0.05\)\*\*$/);
  // The exact metrics come first, as their own table.
  const exactStart = lines.indexOf('| scenario | variant | metric | phase | baseline | current | change | verdict |');
  assert.ok(exactStart > 0);
  const tableStart = lines.indexOf('| scenario | variant | phase | baseline | current | change | p | verdict |');
  assert.ok(tableStart > exactStart);
  assert.is(lines[tableStart + 1], '| --- | --- | --- | ---: | ---: | ---: | ---: | --- |');
  assert.ok(lines.some((l) => /^\| express-api \| multi \| build-warm \| .* \| \+\d+\.\d% \| (?:&lt;)?0\.\d+ \| \*\*slower\*\* \|$/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /^\| express-api \| distroless \| image_bytes \| build-cold \| 160\.0 MB \| 200\.0 MB \| \+25\.0% \| \*\*bigger\*\* \|$/.test(l)));
  assert.ok(lines.some((l) => /^> warning: CPU count differs: 2 in results\/baselines\/ci, 4 in results\/ci/.test(l)));
});

test('table: aligned columns, the summary line last', () => {
  const text = formatTable(result());
  const lines = text.trimEnd().split('\n');
  const header = lines.findIndex((l) => l.startsWith('scenario') && l.includes(' p '));
  assert.ok(header > lines.findIndex((l) => l.startsWith('scenario')), 'the exact table comes first');
  const body = lines.slice(header + 1, lines.indexOf('', header));
  // Right-aligned numbers: every row of the timing table ends its 'p' column at the same place as the header.
  const pEnd = lines[header].indexOf(' p ') + 2;
  assert.ok(body.length > 0 && body.every((l) => l[pEnd - 1] !== ' ' && l[pEnd] === ' '), body.join('\n'));
  assert.match(lines.at(-1) as string, /^regression: 1 slower, 1 bigger/);
});

test('json: the whole result, parseable, with the regression flag', () => {
  const parsed = JSON.parse(formatJson(result()));
  assert.is(parsed.regressed, true);
  assert.equal(parsed.options, { threshold_pct: 20, size_threshold_pct: 5, alpha: 0.05, allow_missing: false, whole_baseline: false, gate_timings: true });
  assert.is(parsed.mode, 'separate');
  assert.is(parsed.failed, true);
  assert.equal(parsed.baseline, { label: 'results/baselines/ci', run_ids: ['run-a'] });
  assert.ok(parsed.timing.some((r: { verdict: string }) => r.verdict === 'slower'));
  assert.ok(parsed.sizes.some((r: { verdict: string }) => r.verdict === 'bigger'));
  assert.ok(parsed.warnings.length > 0);
});

test('no regression reads as such', () => {
  const rows = generateRun({ runId: 'run-a', seed: 1, iterations: 5 });
  const r = compareRuns(rows, rows, {}, { baseline: { label: 'a', info: runInfo() }, current: { label: 'b', info: runInfo() } });
  assert.match(formatMarkdown(r).split('\n')[0], /^\*\*stagebench compare: no regression: \d+ same \(threshold 20%, sizes 5%, alpha 0.05\)\*\*$/);
});

test.run();
