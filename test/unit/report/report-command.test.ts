import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { reportCommand } from '../../../src/commands/report.ts';
import { UsageError } from '../../../src/errors.ts';
import { fullRun, writeRunFolder } from './run-folder.ts';

const work = mkdtempSync(join(tmpdir(), 'stagebench-report-command-'));

async function run(argv: string[]): Promise<{ code: number; printed: string[] }> {
  const printed: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => printed.push(args.join(' '));
  try {
    return { code: await reportCommand.run(argv), printed };
  } finally {
    console.log = log;
  }
}

async function usageError(argv: string[]): Promise<string> {
  try {
    await run(argv);
  } catch (err) {
    assert.instance(err, UsageError);
    return (err as Error).message;
  }
  assert.unreachable(`stagebench report ${argv.join(' ')} should have failed`);
  return '';
}

test('writes report.md and report.html into the run folder by default and prints their paths', async () => {
  const dir = writeRunFolder(join(work, 'default'), fullRun());
  const { code, printed } = await run([dir]);
  assert.is(code, 0);
  assert.equal(printed, [join(dir, 'report.md'), join(dir, 'report.html')]);
  assert.match(readFileSync(join(dir, 'report.md'), 'utf8'), /^# stagebench report: /);
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  assert.match(html, /^<!doctype html>/);
  // Self-contained: Chart.js inline, nothing fetched from elsewhere.
  assert.ok(html.length > 150_000, `report.html is only ${html.length} bytes: is Chart.js inline?`);
  assert.not.match(html, /<script[^>]*\ssrc=|<link[^>]*\shref=|@import/);
});

test('--md and --html choose other paths, creating their folders', async () => {
  const dir = writeRunFolder(join(work, 'paths'), fullRun());
  const md = join(work, 'out', 'a', 'r.md');
  const html = join(work, 'out', 'b', 'r.html');
  const { printed } = await run([dir, '--md', md, '--html', html]);
  assert.equal(printed, [md, html]);
  assert.ok(existsSync(md) && existsSync(html));
  assert.not.ok(existsSync(join(dir, 'report.md')));
});

test('a RUN_DIR that is missing or not a run folder is a usage error naming it', async () => {
  const missing = join(work, 'no-such-run');
  assert.match(await usageError([missing]), missing);
  const empty = join(work, 'empty');
  mkdirSync(empty);
  assert.match(await usageError([empty]), `${empty} has no samples.csv`);
});

test('an interrupted run without summary.csv is reported from its samples, and says so', async () => {
  const dir = writeRunFolder(join(work, 'interrupted'), fullRun());
  unlinkSync(join(dir, 'summary.csv'));
  assert.is((await run([dir])).code, 0);
  const md = readFileSync(join(dir, 'report.md'), 'utf8');
  assert.match(md, 'no summary.csv (was the run interrupted?)');
  assert.match(md, '| single | build-cold | 21.0 s | 20.4 s – 21.8 s |');
});

test('no RUN_DIR, two of them, or an unknown option is a usage error', async () => {
  assert.match(await usageError([]), 'takes one RUN_DIR');
  assert.match(await usageError(['a', 'b']), 'takes one RUN_DIR, not a b');
  assert.match(await usageError(['a', '--pdf', 'x']), '--pdf');
});

test.after(() => rmSync(work, { recursive: true, force: true }));

test.run();
