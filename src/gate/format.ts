// The output formats of compare, by name.
import type { CompareResult } from './types.ts';
import { formatCsv } from './format-csv.ts';
import { formatJson } from './format-json.ts';
import { formatMarkdown } from './format-markdown.ts';
import { formatTable } from './format-table.ts';

export const COMPARE_FORMATS = ['table', 'md', 'csv', 'json'] as const;
export type CompareFormat = (typeof COMPARE_FORMATS)[number];

export const FORMATTERS: Record<CompareFormat, (result: CompareResult) => string> = {
  table: formatTable,
  md: formatMarkdown,
  csv: formatCsv,
  json: formatJson,
};
