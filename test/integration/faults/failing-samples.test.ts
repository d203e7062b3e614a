// A RUN step that fails and smoke tests that fail (issue 8, "Bad input"): the run phase of four variants, one whose
// build fails, one whose server exits, one whose server answers 500, one good. Each failure is a failed row with its
// reason, the good variant is still measured, the CLI exits 1, no container is left. The failing step prints a text
// that a spreadsheet would run as a formula; it must come back exactly, and no cell may start as a formula.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSamples } from '../../../src/results/read.ts';
import type { SampleRow } from '../../../src/types.ts';
import { hasStackTrace } from '../../support/cli.ts';
import { removeLabelledImages } from '../../support/docker.ts';
import { makeScenario, uniqueToken } from '../../support/scenario-folder.ts';
import { cleanupAfter, setupBefore } from '../../support/setup.ts';
import { Folders, LABEL, exitOf, killHarness, leftoversOf, rawCsvCells, runIdIn, startHarness, until, type Harness } from './support.ts';

const dirs = new Folders();
let root = '';
let out = '';
const token = uniqueToken();
const FORMULA = `=HYPERLINK("http://example.invalid/${token}","x")`;

function dockerfile(v: string, app: string, extra = ''): string {
  return [
    'ARG NODE_SLIM_IMAGE=node:20-slim',
    'FROM ${NODE_SLIM_IMAGE}',
    `RUN echo ${token}-${v} > /token.txt${extra}`,
    'WORKDIR /app',
    `COPY ${app} ./app.js`,
    'CMD ["node", "app.js"]',
    '',
  ].join('\n');
}

setupBefore(test, () => {
  root = dirs.make('faults-failing');
  out = join(root, 'run');
  makeScenario(root, 'failing', {
  variants: {
    'broken-step': { dockerfile: dockerfile('broken-step', 'app.js', ` && echo '${FORMULA}' && exit 3`) },
    exits: { dockerfile: dockerfile('exits', 'app-exit.js') },
    'answers-500': { dockerfile: dockerfile('answers-500', 'app-500.js') },
    good: { dockerfile: dockerfile('good', 'app.js') },
  },
  files: {
    'app-exit.js': "console.error('exiting on purpose'); process.exit(4);\n",
    'app-500.js': "require('http').createServer((q, s) => { s.statusCode = 500; s.end('boom-500'); }).listen(process.env.PORT || 3000, process.env.HOST || '0.0.0.0');\n",
  },
  });
});

let h: Harness | undefined;
let runId = '';
let code: number | null = null;
let rows: SampleRow[] = [];
const row = (v: string) => rows.find((r) => r.variant === v);

test('run phase with a broken step and failing smoke tests: exit 1, each failure counted, no stack trace', async () => {
  h = startHarness(['run', '--scenarios', root, '--phase', 'run', '--iterations', '1', '--out', out]);
  runId = await until('run.json', () => runIdIn(out), 60_000);
  code = (await exitOf(h, 300_000)).code;
  rows = readSamples(out);
  assert.is(code, 1, h.stderr());
  assert.not.ok(hasStackTrace(h.stderr()), h.stderr());
  assert.match(h.stderr(), /3 sample\(s\) failed/);
  assert.equal(rows.map((r) => r.variant), ['broken-step', 'exits', 'answers-500', 'good']);
});

test('the failing RUN step: a failed row naming the build failure, the command and its exit code', () => {
  const r = row('broken-step');
  assert.ok(r, 'a row for broken-step');
  assert.is(r!.ok, false);
  assert.match(r!.error, /build failed/);
  assert.match(r!.error, /exit code: 3/);
  assert.ok(r!.error.includes(`${token}-broken-step`), r!.error);
});

test('a server that exits: a failed row with its exit code and last log line', () => {
  const r = row('exits');
  assert.ok(r, 'a row for exits');
  assert.is(r!.ok, false);
  assert.match(r!.error, /the container exited with code 4 before answering GET \/health/);
  assert.match(r!.error, /exiting on purpose/);
});

test('a server that answers 500: a failed row with the status and the body', () => {
  const r = row('answers-500');
  assert.ok(r, 'a row for answers-500');
  assert.is(r!.ok, false);
  assert.match(r!.error, /smoke test failed: GET \/health answered 500, expected 200: boom-500/);
});

test('the good variant is still measured', () => {
  const r = row('good');
  assert.ok(r, 'a row for good');
  assert.is(r!.ok, true, r!.error);
  assert.ok((r!.duration_ms ?? 0) > 0);
});

test('the formula text the step printed comes back exactly, and no cell of the CSV files starts as a formula', () => {
  assert.ok(row('broken-step')?.error.includes(FORMULA), row('broken-step')?.error);
  for (const file of ['samples.csv', 'steps.csv', 'summary.csv']) {
    const bad = rawCsvCells(readFileSync(join(out, file), 'utf8')).filter((c) => /^[=+\-@\t\r]/.test(c) && !/^-?\d+(\.\d+)?$/.test(c));
    assert.equal(bad, [], `${file}: cells a spreadsheet would run`);
  }
});

test('no container of the run is left', async () => {
  assert.ok(runId, 'the run');
  const left = await leftoversOf(runId);
  assert.equal([left.containers, left.images, left.folders, left.record], [[], [], [], false], JSON.stringify(left));
});

cleanupAfter(test, async () => {
  killHarness(h);
  if (runId) await removeLabelledImages(LABEL, runId);
  dirs.remove();
});

test.run();
