// The one place that writes result files. Each row is written and synced as soon as it is measured, so an
// interrupted run keeps every finished sample.
import {
  closeSync, constants, existsSync, lstatSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { StagebenchError, EXIT } from '../errors.ts';
import {
  COMPOSITION_COLUMNS, FINDING_COLUMNS, SAMPLE_COLUMNS, SAMPLE_EXTRA_COLUMNS, STEP_COLUMNS, STEP_EXTRA_COLUMNS, SUMMARY_COLUMNS,
  type CompositionRow, type RunInfo, type SampleRow, type StepRow, type SummaryRow,
} from '../types.ts';
import { csvHeader, csvLine, csvDocument, parseCsv } from './csv.ts';

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

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function existingHeader(path: string, fallback: readonly string[]): readonly string[] {
  const first = readFileSync(path, 'utf8').split('\n', 1)[0].trim();
  return first ? first.split(',') : fallback;
}

class AppendFile {
  private fd: number;
  /** The columns rows are written in: the file's own header when it exists already (a resumed run keeps its shape). */
  readonly columns: readonly string[];
  constructor(
    readonly path: string,
    columns: readonly string[],
  ) {
    // A link at a result file's path (left there by someone else, or dangling) is never followed: rows go to the run
    // folder or nowhere.
    if (isLink(path)) {
      throw new DiskError(`${path} is a symbolic link; stagebench writes results only to plain files. Remove the link, or choose another output folder.`, EXIT.usage);
    }
    const fresh = !existsSync(path);
    this.columns = fresh ? columns : existingHeader(path, columns);
    this.fd = guard(path, () => openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o644));
    if (fresh) this.write(csvHeader(columns));
  }
  /** Current length: a mark to go back to. */
  size(): number {
    return fstatSync(this.fd).size;
  }

  /**
   * Appends whole lines or nothing: a write the disk cuts short (a short write is not an error to writeSync) is
   * taken back, so the file never ends inside a row.
   */
  write(text: string): void {
    const before = this.size();
    guard(this.path, () => {
      try {
        const buf = Buffer.from(text);
        let done = 0;
        while (done < buf.length) {
          const n = writeSync(this.fd, buf, done, buf.length - done);
          if (n <= 0) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
          done += n;
        }
        fsyncSync(this.fd);
      } catch (err) {
        this.truncate(before);
        throw err;
      }
    });
  }

  truncate(length: number): void {
    try {
      ftruncateSync(this.fd, length);
    } catch {
      // Nothing more can be done here; the reader refuses a file that ends inside a row.
    }
  }
  close(): void {
    closeSync(this.fd);
  }
}

export class ResultWriter {
  private readonly samples: AppendFile;
  private readonly steps: AppendFile;
  private findings?: AppendFile;
  private composition?: { file: AppendFile; keys: Set<string> };

  constructor(readonly dir: string) {
    guard(dir, () => mkdirSync(dir, { recursive: true }));
    this.samples = new AppendFile(join(dir, 'samples.csv'), [...SAMPLE_COLUMNS, ...SAMPLE_EXTRA_COLUMNS]);
    this.steps = new AppendFile(join(dir, 'steps.csv'), [...STEP_COLUMNS, ...STEP_EXTRA_COLUMNS]);
  }

  sample(row: SampleRow, steps: StepRow[]): void {
    // Steps first: a sample row is the mark that its sample is complete (--resume relies on it). If the row cannot
    // be written, its steps are taken back, so steps.csv never holds steps of a sample that has no row.
    const stepsBefore = this.steps.size();
    if (steps.length) this.steps.write(steps.map((s) => csvLine(this.steps.columns, s)).join(''));
    try {
      this.samples.write(csvLine(this.samples.columns, row));
    } catch (err) {
      this.steps.truncate(stepsBefore);
      throw err;
    }
  }

  /** findings.csv: the contract's FINDING_COLUMNS first; a scanner may add columns after them. */
  findingRows(rows: Record<string, unknown>[], columns: readonly string[] = FINDING_COLUMNS): void {
    this.findings ??= new AppendFile(join(this.dir, 'findings.csv'), columns);
    if (rows.length) this.findings.write(rows.map((r) => csvLine(columns, r)).join(''));
  }

  /**
   * composition.csv: an image's bytes by category. A row whose scenario, variant and category the file holds already
   * is dropped (a resumed run scans a variant again, a merge may meet it twice; the same image gives the same bytes),
   * so the file has one row per scenario, variant and category.
   */
  compositionRows(rows: readonly CompositionRow[]): void {
    const keyOf = (r: Partial<Record<'scenario' | 'variant' | 'category', string>>) => `${r.scenario ?? ''}\u0000${r.variant ?? ''}\u0000${r.category ?? ''}`;
    if (!this.composition) {
      const path = join(this.dir, 'composition.csv');
      const file = new AppendFile(path, COMPOSITION_COLUMNS);
      let before: Array<Record<string, string>>;
      try {
        before = parseCsv(readFileSync(path, 'utf8')).records;
      } catch (err) {
        file.close();
        throw new DiskError(`${path} is not valid CSV (${(err as Error).message}); move it away and run again.`, EXIT.usage, { cause: err });
      }
      this.composition = { file, keys: new Set(before.map(keyOf)) };
    }
    const { file, keys } = this.composition;
    const fresh = new Map<string, CompositionRow>();
    for (const r of rows) if (!keys.has(keyOf(r)) && !fresh.has(keyOf(r))) fresh.set(keyOf(r), r);
    if (fresh.size === 0) return;
    file.write([...fresh.values()].map((r) => csvLine(file.columns, r)).join(''));
    for (const k of fresh.keys()) keys.add(k);
  }

  /** summary.csv: the contract's columns, then any extra columns named. */
  summary(rows: SummaryRow[], extra: readonly string[] = []): void {
    this.atomic('summary.csv', csvDocument([...SUMMARY_COLUMNS, ...extra], rows));
  }

  runInfo(info: RunInfo): void {
    this.atomic('run.json', `${JSON.stringify(info, null, 2)}\n`);
  }

  private atomic(name: string, text: string): void {
    const file = join(this.dir, name);
    // The temporary file is created exclusively under a name nobody can guess ahead: a link planted at NAME.tmp is
    // never followed, and the rename replaces a link at NAME instead of writing through it.
    const temp = join(this.dir, `.${name}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    guard(file, () => {
      try {
        writeFileSync(temp, text, { flag: 'wx' });
        renameSync(temp, file);
      } catch (err) {
        rmSync(temp, { force: true });
        throw err;
      }
    });
  }

  close(): void {
    this.samples.close();
    this.steps.close();
    this.findings?.close();
    this.composition?.file.close();
  }
}
