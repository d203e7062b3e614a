import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError } from '../../../src/errors.ts';
import { csvDocument } from '../../../src/results/csv.ts';
import { readFindings } from '../../../src/report/read-findings.ts';
import { FINDING_COLUMNS } from '../../../src/types.ts';
import { finding } from './run-folder.ts';

const work = mkdtempSync(join(tmpdir(), 'stagebench-findings-'));

function folder(name: string, text?: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  if (text !== undefined) writeFileSync(join(dir, 'findings.csv'), text);
  return dir;
}

test('reads the rows of findings.csv back as they were written', () => {
  const rows = [
    finding('app', 'single', 'hygiene', 'runs-as-root'),
    { ...finding('app', 'multi', 'vulnerability', 'CVE-2024-0001', 'high'), package: 'openssl', version: '3.0.1', fixed_version: '3.0.2' },
  ];
  const dir = folder('ok', csvDocument(FINDING_COLUMNS, rows));
  assert.equal(readFindings(dir), rows);
});

test('columns a scanner adds after the required ones are accepted', () => {
  const row = { ...finding('app', 'single', 'hygiene', 'source-map'), count: 200 };
  const dir = folder('extra', csvDocument([...FINDING_COLUMNS, 'count'], [row]));
  assert.equal(readFindings(dir), [finding('app', 'single', 'hygiene', 'source-map')]);
});

test('a run without findings.csv has no findings rather than zero', () => {
  assert.is(readFindings(folder('none')), undefined);
});

test('a file with other columns is refused, naming the file and the column', () => {
  const dir = folder('bad', 'scenario,variant,kind\napp,single,hygiene\n');
  try {
    readFindings(dir);
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.instance(err, UsageError);
    assert.match((err as Error).message, join(dir, 'findings.csv'));
    assert.match((err as Error).message, "column 'scanner'");
  }
});

test('an unknown kind of finding is refused with its row number', () => {
  const dir = folder('kind', csvDocument(FINDING_COLUMNS, [{ ...finding('app', 'single', 'hygiene', 'x'), kind: 'rumour' }]));
  assert.throws(() => readFindings(dir), (err: Error) => err instanceof UsageError && /row 2: kind 'rumour'/.test(err.message));
});

test.after(() => rmSync(work, { recursive: true, force: true }));

test.run();
