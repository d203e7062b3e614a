// replay.csv: the header once, then each row appended and synced as soon as its build is measured, so an interrupted
// replay keeps every finished build (as samples.csv does).
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.ts';
import { REPLAY_COLUMNS } from '../types.ts';
import { csvHeader, csvLine, parseCsv } from './csv.ts';

export interface ReplayCsv {
  append(row: object): void;
  close(): void;
}

export function openReplayCsv(file: string): ReplayCsv {
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, 'wx');
  const write = (text: string) => {
    writeSync(fd, text);
    fsyncSync(fd);
  };
  write(csvHeader(REPLAY_COLUMNS));
  return { append: (row) => write(csvLine(REPLAY_COLUMNS, row)), close: () => closeSync(fd) };
}

const NUMERIC = new Set(['schema', 'round', 'position', 'duration_ms', 'steps', 'cached_steps', 'rebuilt_steps', 'files_changed', 'push_bytes', 'image_bytes']);
const BOOLEAN = new Set(['ok', 'reinstalled', 'touched_context']);

/** replay.csv of a replay folder (or the file itself), its cells typed; a wrong header or cell is exit 2. */
export function readReplayCsv(path: string): Array<Record<string, string | number | boolean | null>> {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'replay.csv') : path;
  if (!existsSync(file)) throw new UsageError(`${file}: no replay.csv there; give the folder stagebench replay wrote (results/replay-ID)`);
  const { header, records, lines } = parseCsv(readFileSync(file, 'utf8'));
  if (header.join(',') !== REPLAY_COLUMNS.join(',')) throw new UsageError(`${file}: the header is not replay.csv's (${REPLAY_COLUMNS.join(',')})`);
  return records.map((r, i) => Object.fromEntries(Object.entries(r).map(([k, v]) => {
    if (v === '') return [k, null];
    if (NUMERIC.has(k)) {
      if (!/^-?\d+(\.\d+)?$/.test(v)) throw new UsageError(`${file}:${lines[i]}: ${k} '${v}' is not a number`);
      return [k, Number(v)];
    }
    if (BOOLEAN.has(k)) {
      if (v !== 'true' && v !== 'false') throw new UsageError(`${file}:${lines[i]}: ${k} '${v}' is not true or false`);
      return [k, v === 'true'];
    }
    return [k, v];
  })));
}
