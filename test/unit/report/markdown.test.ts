import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { collectFacts } from '../../../src/report/facts.ts';
import { mdEscape, renderMarkdown } from '../../../src/report/markdown.ts';
import { loadRunData } from '../../../src/report/run-data.ts';
import { finding, fullRun, makeRun, stepRow, writeRunFolder, type Measure, type RunFiles } from './run-folder.ts';

const work = mkdtempSync(join(tmpdir(), 'stagebench-markdown-'));
let runs = 0;

function markdownOf(run: RunFiles): string {
  const dir = writeRunFolder(join(work, `run-${runs++}`), run);
  return renderMarkdown(collectFacts(loadRunData(dir)));
}

const m = (variant: string, phase: Measure['phase'], samples: Measure['samples'], extra: Partial<Measure> = {}): Measure =>
  ({ scenario: 'app', variant, phase, samples, ...extra });

function section(md: string, heading: string): string {
  const start = md.indexOf(`${heading}\n`);
  assert.ok(start >= 0, `no section '${heading}' in:\n${md}`);
  const rest = md.slice(start + heading.length + 1);
  const level = heading.match(/^#+/)![0];
  const next = rest.search(new RegExp(`^#{1,${level.length}} `, 'm'));
  return next < 0 ? rest : rest.slice(0, next);
}

function tableRow(md: string, ...first: string[]): string[] {
  const row = md.split('\n').find((l) => l.startsWith(`| ${first.join(' | ')} |`));
  assert.ok(row, `no table row starting with ${first.join(' | ')}`);
  return row!.slice(2, -2).split(' | ');
}

test('headlines come first, each scenario next, and the environment last', () => {
  const md = markdownOf(fullRun('express-api'));
  const order = ["## The article's claims, checked", '## Headlines', '## What it is worth in a month', '## express-api', '### Image size', '### Build times', '### Push and pull', '### Start-up',
    '### Scan', '### Slowest build steps', '## Environment'].map((h) => md.indexOf(`\n${h}\n`));
  assert.ok(order.every((i) => i > 0), JSON.stringify(order));
  assert.equal(order, [...order].sort((a, b) => a - b));
  assert.match(section(md, '## Headlines'), /- \*\*express-api, multi-stage\*\*: 5\.3x smaller \(142\.0 MB vs 751\.0 MB\)\./);
  assert.equal(tableRow(md, 'Multi-stage and distroless images are much smaller').slice(1, 2), ['confirmed']);
  assert.match(section(md, '## What it is worth in a month'), /Assumptions: 50 pipeline builds and 50 deploys a day, 30 days a month/);
  assert.match(section(md, '## Environment'), /\| engine \| Docker 20\.10\.24 \(API 1\.41\), overlay2, linux \|/);
});

test('sizes are tabulated with their ratio to single-stage, times with median, spread, samples and failures', () => {
  const md = markdownOf(fullRun('express-api'));
  assert.equal(tableRow(md, 'multi', '142.0 MB'), ['multi', '142.0 MB', '5.3x smaller', '54.0 MB', '5.3x smaller', '8']);
  assert.equal(tableRow(md, 'single', 'build-cold'), ['single', 'build-cold', '21.0 s', '20.4 s – 21.8 s', '± 737 ms', '3', '0']);
  assert.equal(tableRow(md, 'multi', 'push-cold').at(-1), '54.0 MB');
  assert.equal(tableRow(md, 'distroless', 'builtin'), ['distroless', 'builtin', '18', '176', 'not checked', '—', '—', '—', '0']);
  assert.equal(tableRow(md, 'shell-present'), ['shell-present', '1', '1', '0']);
});

test('failed samples show as failed with their reasons, never as numbers', () => {
  const md = markdownOf(makeRun([
    m('single', 'build-cold', [10_000, 'build-cold had 2 cached steps']),
    m('multi', 'build-cold', ['error from the build stream: npm ERR! 404', 'npm ERR! 404 again'], { image_bytes: 90e6 }),
  ]));
  assert.equal(tableRow(md, 'multi', 'build-cold'), ['multi', 'build-cold', 'failed (2 of 2)', '—', '—', '2', '2']);
  assert.equal(tableRow(md, 'single', 'build-cold'), ['single', 'build-cold', '10.0 s', '10.0 s – 10.0 s', '—', '2', '1']);
  const failures = section(md, '### Failed samples');
  assert.equal(tableRow(failures, 'multi', 'build-cold', '0'), ['multi', 'build-cold', '0', 'error from the build stream: npm ERR\\! 404']);
  assert.equal(tableRow(failures, 'single', 'build-cold', '1'), ['single', 'build-cold', '1', 'build-cold had 2 cached steps']);
});

test('hygiene findings count once per check and package, however many scans wrote them', () => {
  const shell = (variant: string, pkg: string, path: string) => ({ ...finding('app', variant, 'hygiene', 'shell'), package: pkg, path });
  const md = markdownOf(makeRun([m('single', 'scan', [900, 950], { packages_os: 10 }), m('multi', 'scan', [800], { packages_os: 5 })], {
    findings: [shell('single', 'sh', '/bin/sh'), shell('single', 'bash', '/bin/bash'), shell('single', 'sh', '/usr/bin/sh'),
      shell('single', 'sh', '/bin/sh'), shell('single', 'bash', '/bin/bash'), shell('multi', 'sh', '/bin/sh')],
  }));
  assert.equal(tableRow(md, 'shell'), ['shell', '2', '1']);
  assert.equal(tableRow(md, 'single', 'builtin').at(-1), '2');
});

test('phases a run lacks are named, for the run and for each table', () => {
  const md = markdownOf(makeRun([m('single', 'build-cold', [10_000]), m('multi', 'build-cold', [6_000]), m('multi', 'run', [300])]));
  assert.match(md, /Not measured in this run: build-warm, build-warm-src, build-warm-deps, push-cold, push-warm, pull-cold, pull-warm, scan, build-context-ignored, build-context-full, build-ci, build-ci-src\./);
  assert.match(section(md, '### Push and pull'), /No push or pull phase in this run\./);
  assert.match(section(md, '### Scan'), /No scan phase in this run\./);
  assert.match(section(md, '### Image size'), /No image size was recorded in this run\./);
  assert.match(section(md, '### Build times'), /Not measured: build-warm, build-warm-src, build-warm-deps\./);
  assert.equal(tableRow(md, 'single', 'run'), ['single', 'run', 'not measured', '—', '—', '—', '—']);
  assert.not.match(md, /### Failed samples/);
});

test('steps of failed samples are left out of the slowest steps', () => {
  const run = makeRun([m('single', 'build-cold', [10_000, 'cached step'])], {
    steps: [
      stepRow('app', 'single', 'build-cold', 0, '[2/4]', 'RUN npm ci', 7_000),
      stepRow('app', 'single', 'build-cold', 1, '[2/4]', 'RUN npm ci', 100, true),
      stepRow('app', 'single', 'build-cold', 0, '[3/4]', 'COPY . .', 200),
    ],
  });
  const steps = section(markdownOf(run), '### Slowest build steps');
  assert.equal(tableRow(steps, 'single', 'build-cold', '\\[2/4\\]'), ['single', 'build-cold', '\\[2/4\\]', 'RUN npm ci', '7.00 s', '0 of 1']);
  assert.ok(steps.indexOf('RUN npm ci') < steps.indexOf('COPY . .'));
});

test('a run without run.json says its environment is unknown', () => {
  const md = markdownOf(makeRun([m('single', 'build-cold', [10_000])], { info: undefined }));
  assert.match(section(md, '## Environment'), /run\.json \| missing: the environment of this run is unknown/);
  assert.match(md, /^# stagebench report: 20250101T000000Z-test$/m);
});

test('names and errors from the data cannot break a table or inject markup', () => {
  const hostile = 'a|b <script>alert(1)</script> [x](http://e) *y*';
  const md = markdownOf(makeRun([
    { scenario: hostile, variant: 'single', phase: 'build-cold', samples: ['line one\nline two | <b>bold</b>'] },
  ]));
  // Inside a fenced code block nothing is markup; everywhere else every '<' and ']' must be escaped.
  const prose = md.replace(/^(`{3,})sh\n[\s\S]*?^\1$/gm, '');
  assert.match(md, /^```sh\ndocker build .*<script>/m);
  assert.not.match(prose, /(?<!\\)[<\]]/);
  assert.match(md, /^## a\\\|b \\<script\\>alert\(1\)\\<\/script\\> \\\[x\\\]\(http\u2060:\/\/e\) \\\*y\\\*$/m);
  const failures = section(md, '### Failed samples');
  const row = failures.split('\n').find((l) => l.startsWith('| single |'))!;
  assert.is(row.split(/(?<!\\)\|/).length - 2, 4, row);
  assert.is(mdEscape('x\r\ny'), 'x y');
});

test.after(() => rmSync(work, { recursive: true, force: true }));

test.run();
