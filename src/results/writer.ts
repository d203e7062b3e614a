// The one place that writes result files. Each row is written and synced as soon as it is measured, so an
// interrupted run keeps every finished sample.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { StagebenchError, EXIT } from '../errors.ts';
import {
  FINDING_COLUMNS, SAMPLE_COLUMNS, STEP_COLUMNS, SUMMARY_COLUMNS,
  type RunInfo, type SampleRow, type StepRow, type SummaryRow,
} from '../types.ts';
import { csvHeader, csvLine, csvDocument } from './csv.ts';

export class DiskError extends StagebenchError {}

function guard<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      throw new DiskError(`the disk is full: cannot write ${file}. Every row written before this one is intact; free some space (docker system df, docker builder prune) and resume with --resume.`, EXIT.failed, { cause: err });
    }
    throw new DiskError(`cannot write ${file}: ${(err as Error).message}`, EXIT.failed, { cause: err });
  }
}

class AppendFile {
  private fd: number;
  constructor(
    readonly path: string,
    columns: readonly string[],
  ) {
    const fresh = !existsSync(path);
    this.fd = guard(path, () => openSync(path, 'a'));
    if (fresh) this.write(csvHeader(columns));
  }
  write(text: string): void {
    guard(this.path, () => {
      writeSync(this.fd, text);
      fsyncSync(this.fd);
    });
  }
  close(): void {
    closeSync(this.fd);
  }
}

export class ResultWriter {
  private readonly samples: AppendFile;
  private readonly steps: AppendFile;
  private findings?: AppendFile;

  constructor(readonly dir: string) {
    guard(dir, () => mkdirSync(dir, { recursive: true }));
    this.samples = new AppendFile(join(dir, 'samples.csv'), SAMPLE_COLUMNS);
    this.steps = new AppendFile(join(dir, 'steps.csv'), STEP_COLUMNS);
  }

  sample(row: SampleRow, steps: StepRow[]): void {
    // Steps first: a sample row is the mark that its sample is complete (--resume relies on it).
    if (steps.length) this.steps.write(steps.map((s) => csvLine(STEP_COLUMNS, s as unknown as Record<string, unknown>)).join(''));
    this.samples.write(csvLine(SAMPLE_COLUMNS, row as unknown as Record<string, unknown>));
  }

  /** findings.csv: the contract's FINDING_COLUMNS first; a scanner may add columns after them. */
  findingRows(rows: Record<string, unknown>[], columns: readonly string[] = FINDING_COLUMNS): void {
    this.findings ??= new AppendFile(join(this.dir, 'findings.csv'), columns);
    if (rows.length) this.findings.write(rows.map((r) => csvLine(columns, r)).join(''));
  }

  /** summary.csv: the contract's columns, then any extra columns named. */
  summary(rows: SummaryRow[], extra: readonly string[] = []): void {
    this.atomic('summary.csv', csvDocument([...SUMMARY_COLUMNS, ...extra], rows as unknown as Record<string, unknown>[]));
  }

  runInfo(info: RunInfo): void {
    this.atomic('run.json', `${JSON.stringify(info, null, 2)}\n`);
  }

  readRunInfo(): RunInfo | undefined {
    const f = join(this.dir, 'run.json');
    return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as RunInfo) : undefined;
  }

  private atomic(name: string, text: string): void {
    const file = join(this.dir, name);
    guard(file, () => {
      writeFileSync(`${file}.tmp`, text);
      renameSync(`${file}.tmp`, file);
    });
  }

  close(): void {
    this.samples.close();
    this.steps.close();
    this.findings?.close();
  }
}
