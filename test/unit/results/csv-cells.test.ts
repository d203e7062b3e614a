// CSV cells as the contract writes them: booleans, numbers to 3 decimals, empty for unknown, a formula guard that
// spreadsheets respect, and lines quoted so that commas, quotes and newlines survive a round trip.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cellText, csvDocument, csvHeader, csvLine, parseCsv, unescapeCell } from '../../../src/results/csv.ts';

test('booleans are true/false', () => {
  assert.is(cellText(true), 'true');
  assert.is(cellText(false), 'false');
});

test('numbers: up to 3 decimals, integers as they are, no trailing zeros', () => {
  assert.is(cellText(1234.56789), '1234.568');
  assert.is(cellText(0.0004), '0');
  assert.is(cellText(42), '42');
  assert.is(cellText(2.5), '2.5');
  assert.is(cellText(971542321), '971542321');
  assert.is(cellText(-12.3456), '-12.346');
});

test('unknown values are empty cells: null, undefined, NaN, Infinity', () => {
  assert.is(cellText(null), '');
  assert.is(cellText(undefined), '');
  assert.is(cellText(Number.NaN), '');
  assert.is(cellText(Number.POSITIVE_INFINITY), '');
});

test('text starting with = + - @ gets a quote in front, so a spreadsheet shows it rather than runs it', () => {
  assert.is(cellText('=HYPERLINK("http://x")'), `'=HYPERLINK("http://x")`);
  assert.is(cellText('+cmd'), "'+cmd");
  assert.is(cellText('-rf'), "'-rf");
  assert.is(cellText('@SUM(A1)'), "'@SUM(A1)");
  assert.is(cellText('\t=1'), "'\t=1");
});

test('plain negative numbers in text are not guarded', () => {
  assert.is(cellText('-5'), '-5');
  assert.is(cellText('-12.25'), '-12.25');
  assert.is(cellText('-1e3'), '-1e3');
});

test('ordinary text passes unchanged', () => {
  assert.is(cellText('build failed: exit code: 1'), 'build failed: exit code: 1');
  assert.is(cellText('a-b=c'), 'a-b=c');
  assert.is(cellText(''), '');
});

const ROUND_TRIP = ['=1+1', '+x', '-rf /', '@cmd', '-5', 'plain', "it's", '', 'a, b', 'say "hi"', 'line1\nline2', "'quoted'"];

test('unescapeCell reverses cellText for text cells', () => {
  for (const s of ROUND_TRIP) assert.is(unescapeCell(cellText(s)), s, JSON.stringify(s));
});

// A text that itself starts with an apostrophe and a formula character must not lose its apostrophe on the way.
test("unescapeCell reverses cellText for text that starts with an apostrophe and a formula character", () => {
  for (const s of ["'=x", "'-rf"]) assert.is(unescapeCell(cellText(s)), s, JSON.stringify(s));
});

test('csvLine: the columns in order, quoting commas, quotes and newlines, one unix line', () => {
  const line = csvLine(['a', 'b', 'c', 'd', 'e'], { e: 'last', a: 'x, y', b: 'say "hi"', c: 'two\nlines', d: null });
  assert.is(line, '"x, y","say ""hi""","two\nlines",,last\n');
});

test('csvLine + parseCsv round trip: commas, quotes, newlines, guards, numbers and booleans', () => {
  const columns = ['text', 'n', 'ok'];
  const rows = ROUND_TRIP.map((text, i) => ({ text, n: i + 0.5, ok: i % 2 === 0 }));
  const doc = csvDocument(columns, rows);
  assert.ok(doc.startsWith(csvHeader(columns)));
  const parsed = parseCsv(doc);
  assert.equal(parsed.header, columns);
  assert.equal(parsed.records.map((r) => r.text), ROUND_TRIP);
  assert.equal(parsed.records.map((r) => r.n), rows.map((r) => String(r.n)));
  assert.equal(parsed.records.map((r) => r.ok), rows.map((r) => String(r.ok)));
});

test('parseCsv: a row with a missing cell is an error, not a silently shifted row', () => {
  assert.throws(() => parseCsv('a,b,c\n1,2\n'));
});

test.run();
