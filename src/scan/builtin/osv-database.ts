// The built-in scanner's vulnerability database: OSV JSON records from a folder (read recursively) or a .zip
// (the per-ecosystem all.zip osv.dev publishes), indexed by ecosystem and package name.
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { UsageError } from '../../errors.ts';
import { parseOsvRecord, type Advisory } from './osv-record.ts';

export interface OsvDatabase {
  source: string;
  advisories: number;
  /** The latest `modified` among the records (ISO 8601), '' when none says. */
  dbDate: string;
  /** Records naming `name` in an ecosystem family ("npm", "Debian" also finds "Debian:12"). */
  lookup(ecosystemFamily: string, name: string): Advisory[];
  /** Records that could not be used, with why: at most a few, and the total. */
  skipped: { count: number; examples: string[] };
}

function family(ecosystem: string): string {
  return ecosystem.split(':')[0];
}

class Index {
  private byKey = new Map<string, Advisory[]>();
  advisories = 0;
  dbDate = '';
  skipped = { count: 0, examples: [] as string[] };

  add(file: string, text: string): void {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      this.skip(`${file}: not JSON (${(err as Error).message})`);
      return;
    }
    const adv = parseOsvRecord(doc);
    if (typeof adv === 'string') {
      this.skip(`${file}: ${adv}`);
      return;
    }
    this.advisories += 1;
    if (adv.modified > this.dbDate) this.dbDate = adv.modified;
    const keys = new Set(adv.affected.map((a) => `${family(a.ecosystem)}\0${a.name}`));
    for (const key of keys) {
      const list = this.byKey.get(key);
      if (list) list.push(adv);
      else this.byKey.set(key, [adv]);
    }
  }

  tooLarge(name: string, bytes: number): void {
    this.skip(`${name}: ${bytes} bytes, more than an OSV record (${RECORD_MAX_BYTES} at most); not read`);
  }

  private skip(why: string): void {
    this.skipped.count += 1;
    if (this.skipped.examples.length < 5) this.skipped.examples.push(why);
  }

  finish(source: string): OsvDatabase {
    return {
      source,
      advisories: this.advisories,
      dbDate: this.dbDate,
      skipped: this.skipped,
      lookup: (eco, name) => this.byKey.get(`${eco}\0${name}`) ?? [],
    };
  }
}

// One OSV record is a few kilobytes; the largest osv.dev publishes are well under a megabyte. A record (a file, or a
// zip entry once inflated) past this is skipped unread: a small zip can inflate to gigabytes.
export const RECORD_MAX_BYTES = 8 * 1024 * 1024;

async function readFolder(dir: string, index: Index): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  for (const e of entries) {
    if (!e.isFile() || !e.name.endsWith('.json')) continue;
    const file = join(e.parentPath ?? dir, e.name);
    const size = (await stat(file)).size;
    if (size > RECORD_MAX_BYTES) index.tooLarge(file, size);
    else index.add(file, await readFile(file, 'utf8'));
  }
}

function readZip(file: string, index: Index): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: true }, (err, zip) => {
      if (err) return reject(err);
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/') || !entry.fileName.endsWith('.json')) return zip.readEntry();
        const name = `${file}:${entry.fileName}`;
        // yauzl checks that an entry inflates to the size its header says, so the header's size is the size.
        if (entry.uncompressedSize > RECORD_MAX_BYTES) {
          index.tooLarge(name, entry.uncompressedSize);
          return zip.readEntry();
        }
        zip.openReadStream(entry, (e2, stream) => {
          if (e2) return reject(e2);
          const chunks: Buffer[] = [];
          let bytes = 0;
          stream.on('data', (c: Buffer) => {
            bytes += c.length;
            if (bytes > RECORD_MAX_BYTES) stream.destroy(new Error(`${name} inflates past ${RECORD_MAX_BYTES} bytes`));
            else chunks.push(c);
          });
          stream.on('error', reject);
          stream.on('end', () => {
            index.add(name, Buffer.concat(chunks).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/**
 * Opens --vuln-db PATH without loading it, so that a wrong path is exit 2 when the run starts rather than a failed
 * scan row much later: it must be a readable folder, a readable .zip (its signature checked), or a readable file.
 */
export async function checkOsvDatabase(path: string): Promise<void> {
  const advice = 'Give a folder or a .zip of OSV JSON records (osv.dev publishes one per ecosystem, e.g. npm/all.zip and Debian/all.zip).';
  let st;
  try {
    st = await stat(path);
  } catch {
    throw new UsageError(`--vuln-db ${path}: no such file or folder. ${advice}`);
  }
  try {
    if (st.isDirectory()) {
      await readdir(path);
      return;
    }
    if (!st.isFile()) throw new UsageError(`--vuln-db ${path}: not a file or folder. ${advice}`);
    const handle = await open(path, 'r');
    try {
      const head = Buffer.alloc(4);
      await handle.read(head, 0, 4, 0);
      if (path.toLowerCase().endsWith('.zip') && head.readUInt32LE(0) !== 0x04034b50 && head.readUInt32LE(0) !== 0x06054b50) {
        throw new UsageError(`--vuln-db ${path}: named .zip but is not a zip file. ${advice}`);
      }
    } finally {
      await handle.close();
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`--vuln-db ${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}). ${advice}`);
  }
}

/** Loads --vuln-db PATH; UsageError (exit 2) when it is missing, unreadable or holds no usable record. */
export async function loadOsvDatabase(path: string): Promise<OsvDatabase> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch {
    throw new UsageError(`--vuln-db ${path}: no such file or folder. Give a folder or a .zip of OSV JSON records (osv.dev publishes one per ecosystem, e.g. npm/all.zip and Debian/all.zip).`);
  }
  const index = new Index();
  try {
    if (isDir) await readFolder(path, index);
    else if (path.toLowerCase().endsWith('.zip')) await readZip(path, index);
    else index.add(path, await readFile(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`--vuln-db ${path}: cannot be read (${(err as Error).message}). Give a folder or a .zip of OSV JSON records.`, { cause: err });
  }
  if (index.advisories === 0) {
    const why = index.skipped.examples.length ? ` (skipped: ${index.skipped.examples.join('; ')})` : '';
    throw new UsageError(`--vuln-db ${path}: holds no usable OSV record${why}. Each record is a JSON file with "id" and "affected".`);
  }
  return index.finish(path);
}
