// The CSV adapter: the only module that imports csv-stringify and csv-parse.
import { stringify } from 'csv-stringify/sync';
import { parse } from 'csv-parse/sync';

export type Cell = string | number | boolean | null | undefined;

// A spreadsheet runs a cell that begins with one of these as a formula; a quote in front keeps it text.
const FORMULA_START = /^[=+\-@\t\r]/;
// A text that already starts with quotes before such a character gets one more, so unescapeCell is exact.
const GUARDED = /^'*[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

export function cellText(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? String(Math.round(value * 1000) / 1000) : '';
  if (GUARDED.test(value) && !PLAIN_NUMBER.test(value)) return `'${value}`;
  return value;
}

/** Reverses cellText's formula guard. */
export function unescapeCell(text: string): string {
  return /^'+[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}

/** One row as a CSV line: the row's fields named by the columns, in their order (a row is any object of cells). */
export function csvLine(columns: readonly string[], row: object): string {
  const cells = row as Record<string, unknown>;
  return stringify([columns.map((c) => cellText(cells[c] as Cell))], { record_delimiter: 'unix' });
}

export function csvHeader(columns: readonly string[]): string {
  return stringify([columns as string[]], { record_delimiter: 'unix' });
}

export function csvDocument(columns: readonly string[], rows: readonly object[]): string {
  return csvHeader(columns) + rows.map((r) => csvLine(columns, r)).join('');
}

/**
 * Parses CSV text into header and records (objects keyed by the header), with the line each record ends on (for
 * messages that name a cell). Throws the parser's error.
 */
export function parseCsv(text: string): { header: string[]; records: Record<string, string>[]; lines: number[] } {
  const lines: number[] = [];
  const rows = parse(text, {
    relax_column_count: false, skip_empty_lines: true, bom: true,
    on_record: (record, context) => {
      lines.push(context.lines);
      return record;
    },
  });
  const [header = [], ...body] = rows;
  const records = body.map((cells) => Object.fromEntries(header.map((h, i) => [h, unescapeCell(cells[i] ?? '')])));
  return { header, records, lines: lines.slice(1) };
}
