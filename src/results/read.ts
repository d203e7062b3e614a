// Reading finished results back: samples.csv, summary.csv, steps.csv and run.json of a run folder.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../errors.ts';
import {
  COMPOSITION_CATEGORIES, COMPOSITION_COLUMNS, PHASES, SAMPLE_COLUMNS, SCHEMA, STEP_COLUMNS, SUMMARY_COLUMNS,
  type CompositionRow, type PhaseName, type RunInfo, type SampleRow, type StepRow, type SummaryRow,
} from '../types.ts';
import { parseCsv } from './csv.ts';
import { expectedCell, SAMPLE_ROW, STEP_ROW, SUMMARY_ROW } from './rows.ts';

const BOOL_COLUMNS = new Set(['ok', 'cached']);
const TEXT_COLUMNS = new Set([
  'run_id', 'time', 'scenario', 'variant', 'phase', 'error', 'profile', 'builder', 'image', 'image_id', 'scanner',
  'engine', 'host', 'commit', 'step', 'instruction', 'category', 'cause_kind', 'cause', 'cause_origin',
]);

const NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

/** Where a cell is, for the message that refuses it. */
interface CellPlace {
  file: string;
  line: number;
  header: readonly string[];
}

function badCell(place: CellPlace, column: string, value: string, expected: string): UsageError {
  const index = place.header.indexOf(column) + 1;
  return new UsageError(
    `${place.file} line ${place.line}, column ${index} (${column}): ${JSON.stringify(value.slice(0, 40))} is not ${expected}. ` +
      'Fix or remove that row (a spreadsheet round trip or a hand edit changes cells), or restore the file from the run.',
  );
}

/**
 * Contract columns get their types, and a cell that is not of its column's type is refused: read as null or NaN it
 * would make a median vanish or a failed gate pass. ok and cached accept true/false in any case (a spreadsheet
 * writes TRUE). Columns beyond the contract stay numbers where they are numbers, else text.
 */
function typed(record: Record<string, string>, columns: readonly string[], place: CellPlace): Record<string, unknown> {
  const known = new Set(columns);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) {
    if (BOOL_COLUMNS.has(k)) {
      const word = v.toLowerCase();
      if (word !== 'true' && word !== 'false') throw badCell(place, k, v, 'true or false');
      out[k] = word === 'true';
    } else if (TEXT_COLUMNS.has(k)) out[k] = v;
    else if (v === '') out[k] = null;
    else if (NUMBER.test(v) && Number.isFinite(Number(v))) out[k] = Number(v);
    else if (known.has(k)) throw badCell(place, k, v, 'a number');
    else out[k] = v;
  }
  return out;
}

function readTable(file: string, columns: readonly string[], what: string): Record<string, unknown>[];
function readTable<T>(file: string, columns: readonly string[], what: string, row: z.ZodType<T>): T[];
function readTable<T>(file: string, columns: readonly string[], what: string, row?: z.ZodType<T>): Array<T | Record<string, unknown>> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let parsed: ReturnType<typeof parseCsv>;
  try {
    parsed = parseCsv(text);
  } catch (err) {
    throw new UsageError(`${file} is not valid CSV: ${(err as Error).message}`);
  }
  const missing = columns.filter((c, i) => parsed.header[i] !== c);
  if (parsed.header.length === 0 || missing.length > 0) {
    throw new UsageError(
      `${file} is not a stagebench ${what} file: its header must start with ${columns.slice(0, 4).join(',')},... ` +
        `(first difference at column '${missing[0] ?? ''}')`,
    );
  }
  const rows = parsed.records.map((r, i) => typed(r, columns, { file, line: parsed.lines[i], header: parsed.header }));
  if (!columns.includes('schema')) return rows;
  const schemas = new Set(rows.map((r) => r.schema));
  for (const s of schemas) {
    if (s !== SCHEMA) {
      throw new UsageError(`${file} has schema ${String(s)}; this stagebench reads schema ${SCHEMA}. Re-run it with this version, or compare it with the version that wrote it.`);
    }
  }
  if (!row) return rows;
  return rows.map((r, i) => {
    const checked = row.safeParse(r);
    if (checked.success) return checked.data;
    const column = String(checked.error.issues[0].path[0] ?? columns[0]);
    throw badCell({ file, line: parsed.lines[i], header: parsed.header }, column, parsed.records[i][column] ?? '', expectedCell(column));
  });
}

/** A run folder or a samples.csv inside one: returns the run folder and the samples file. */
export function resolveRunPath(path: string): { dir: string; samplesFile: string } {
  if (!existsSync(path)) throw new UsageError(`${path} does not exist: give a run folder (results/RUN_ID) or its samples.csv`);
  if (statSync(path).isDirectory()) {
    const samplesFile = join(path, 'samples.csv');
    if (!existsSync(samplesFile)) throw new UsageError(`${path} has no samples.csv: is it a stagebench run folder?`);
    return { dir: path, samplesFile };
  }
  return { dir: dirname(path), samplesFile: path };
}

export function readSamples(path: string): SampleRow[] {
  const { samplesFile } = resolveRunPath(path);
  // A file written before an extra column existed reads as if that column were empty.
  return readTable(samplesFile, SAMPLE_COLUMNS, 'samples', SAMPLE_ROW).map((r) => ({ ...r, context_ms: r.context_ms ?? null }));
}

export function readSummary(runDir: string): SummaryRow[] {
  return readTable(join(runDir, 'summary.csv'), SUMMARY_COLUMNS, 'summary', SUMMARY_ROW);
}

export function readSteps(runDir: string): StepRow[] {
  const file = join(runDir, 'steps.csv');
  // A file written before the cause columns existed reads as if they were empty.
  return existsSync(file)
    ? readTable(file, STEP_COLUMNS, 'steps', STEP_ROW).map((r) => ({ ...r, cause_kind: r.cause_kind ?? '', cause: r.cause ?? '', cause_origin: r.cause_origin ?? '' }))
    : [];
}

const COMPOSITION_ROW = z.object({
  scenario: z.string(),
  variant: z.string(),
  category: z.enum(COMPOSITION_CATEGORIES),
  bytes: z.number().int().nonnegative(),
});

/** composition.csv of a run folder, or undefined when the run has none (no scan ran, or an older run). */
export function readComposition(runDir: string): CompositionRow[] | undefined {
  const file = join(runDir, 'composition.csv');
  if (!existsSync(file)) return undefined;
  return readTable(file, COMPOSITION_COLUMNS, 'composition').map((r, i) => {
    const row = COMPOSITION_ROW.safeParse(r);
    if (row.success) return row.data;
    const issue = row.error.issues[0];
    const column = String(issue.path[0] ?? 'category');
    throw new UsageError(
      `${file} row ${i + 1}, column ${column}: ${JSON.stringify(r[column] ?? null)} is not ${column === 'category' ? `one of ${COMPOSITION_CATEGORIES.join(', ')}` : 'a whole number of bytes'}. ` +
        'Fix or remove that row, or restore the file from the run.',
    );
  });
}

// The fields of run.json whose type the readers rely on (report joins command_line, resume reads options). Fields may
// be absent (older runs, merged runs); present ones must have their type. The options are checked further on resume.
const RUN_INFO_FIELDS = z.looseObject({
  run_id: z.string().optional(),
  command_line: z.array(z.string()).optional(),
  environment: z.looseObject({}).optional(),
  profile: z.looseObject({}).optional(),
  options: z.looseObject({}).optional(),
  builds: z.array(z.looseObject({})).optional(),
  references: z.record(z.string(), z.string()).optional(),
  // compare's environment warnings read the kind
  npm_registry: z.looseObject({ kind: z.enum(['direct', 'local', 'url']) }).optional(),
});

/** run.json beside the samples, or undefined when the input is a lone samples file. */
export function readRunInfo(path: string): RunInfo | undefined {
  const { dir, samplesFile } = resolveRunPath(path);
  const file = join(dir, 'run.json');
  if (!existsSync(file) || basename(samplesFile) !== 'samples.csv') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`${file} is not a stagebench run.json: it holds ${JSON.stringify(parsed).slice(0, 40)}, not an object. Restore it from the run, or remove it to use samples.csv alone.`);
  }
  const fields = RUN_INFO_FIELDS.safeParse(parsed);
  if (!fields.success) {
    const issue = fields.error.issues[0];
    throw new UsageError(`${file}: ${issue.path.map(String).join('.') || '(top level)'}: ${issue.message}. Restore the file from the run, or remove it to use samples.csv alone.`);
  }
  return parsed as RunInfo;
}

export function isPhase(s: string): s is PhaseName {
  return (PHASES as readonly string[]).includes(s);
}
