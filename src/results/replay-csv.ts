// replay.csv: the header once, then each row appended and synced as soon as its build is measured, so an interrupted
// replay keeps every finished build (as samples.csv does).
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { REPLAY_COLUMNS } from '../types.ts';
import { csvHeader, csvLine } from './csv.ts';

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
