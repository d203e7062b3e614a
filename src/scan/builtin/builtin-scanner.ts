// stagebench's own scanner, for machines without Trivy or Grype: it reads the image's filesystem from the engine's
// export stream without running the image, counts OS and npm packages, reports hygiene findings, and matches the
// packages against an OSV database when one is given.
import type { Finding, ScanResult } from '../../types.ts';
import { VERSION } from '../../version.ts';
import type { ImageRead, ImageSource, Scanner } from '../scanner.ts';
import { FileTree } from './file-tree.ts';
import { hygieneFindings } from './hygiene.ts';
import { npmPackages, type NpmPackage } from './npm-packages.ts';
import type { OsvDatabase } from './osv-database.ts';
import { matchAdvisory, type PackageToMatch } from './osv-match.ts';
import { osPackages, osRelease, type OsPackage, type OsRelease } from './os-packages.ts';
import { readSavedImage, stopOnAbort } from './saved-image.ts';

export interface ImageContents {
  release: OsRelease;
  os: OsPackage[];
  npm: NpmPackage[];
  findings: Finding[];
}

function vulnFinding(m: { id: string; severity: Finding['severity']; fixed: string }, name: string, version: string, path: string): Finding {
  return { kind: 'vulnerability', id: m.id, package: name, version, fixed_version: m.fixed, severity: m.severity, path };
}

/** Every (record, package, path) match of the image's packages in the database. */
export function matchPackages(db: OsvDatabase, release: OsRelease, os: OsPackage[], npm: NpmPackage[]): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  const add = (f: Finding) => {
    const key = `${f.id}\0${f.package}\0${f.version}\0${f.path}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(f);
    }
  };
  for (const p of npm) {
    const pkg: PackageToMatch = { ecosystem: 'npm', name: p.name, version: p.version };
    for (const adv of db.lookup('npm', p.name)) {
      const m = matchAdvisory(adv, pkg);
      if (m) add(vulnFinding(m, p.name, p.version, p.path));
    }
  }
  // Debian's advisories name source packages at source versions; an Ubuntu or other dpkg image is not Debian.
  const debian = release.id === '' || release.id === 'debian';
  const debianRelease = release.id === 'debian' && release.versionId ? release.versionId : undefined;
  for (const p of os) {
    if (p.manager !== 'dpkg' || !debian) continue;
    const pkg: PackageToMatch = { ecosystem: 'Debian', name: p.source, version: p.sourceVersion };
    for (const adv of db.lookup('Debian', p.source)) {
      const m = matchAdvisory(adv, pkg, debianRelease);
      if (m) add(vulnFinding(m, p.name, p.version, p.path));
    }
  }
  return out;
}

/** What the scanner reports of one saved image. */
export async function readImageContents(stream: NodeJS.ReadableStream, ref: string, db: OsvDatabase | undefined, signal?: AbortSignal, read?: ImageRead): Promise<ImageContents> {
  // Aborting destroys the image stream, which ends the reading with an error; between the synchronous stages below
  // the event loop gets a turn, so a Ctrl-C is handled while a large image is analysed.
  const unlisten = stopOnAbort(stream, `scan of ${ref}`, signal);
  try {
    signal?.throwIfAborted();
    const saved = await readSavedImage(stream, ref);
    const step = async () => {
      await new Promise((resolve) => setImmediate(resolve));
      signal?.throwIfAborted();
    };
    await step();
    const tree = FileTree.fromLayers(saved.layers);
    await step();
    const release = osRelease(tree);
    const os = osPackages(tree);
    await step();
    const npm = npmPackages(tree);
    await step();
    const findings: Finding[] = hygieneFindings(tree, saved.config);
    await step();
    if (db) findings.push(...matchPackages(db, release, os, npm));
    read?.(saved);
    return { release, os, npm, findings };
  } finally {
    unlisten();
  }
}

export function builtinScanner(db: OsvDatabase | undefined): Scanner {
  const notes: string[] = [];
  if (!db) {
    notes.push('builtin scanner: no vulnerability database (--vuln-db PATH, a folder or .zip of OSV records): packages and hygiene only, vulns_* cells left empty');
  } else {
    notes.push(`builtin scanner: ${db.advisories} OSV records from ${db.source}, latest modified ${db.dbDate || 'unknown'}`);
    if (db.skipped.count > 0) notes.push(`builtin scanner: skipped ${db.skipped.count} records of ${db.source}: ${db.skipped.examples.join('; ')}`);
    notes.push('builtin scanner: matches npm and Debian packages; apk packages are counted but not matched');
  }
  return {
    name: 'builtin',
    notes,
    async version() {
      return { version: VERSION, db_date: db?.dbDate ?? '' };
    },
    async scan(imageRef: string, source: ImageSource, signal?: AbortSignal, read?: ImageRead): Promise<ScanResult> {
      let contents: ImageContents;
      try {
        contents = await readImageContents(await source.saveImage(imageRef), imageRef, db, signal, read);
      } catch (err) {
        throw new Error(`builtin scanner could not read image ${imageRef} from the engine's export (docker save): ${(err as Error).message}`, { cause: err });
      }
      return {
        scanner: 'builtin',
        scanner_version: VERSION,
        db_date: db?.dbDate ?? '',
        vulns_checked: db !== undefined,
        packages_os: contents.os.length,
        packages_npm: contents.npm.length,
        findings: contents.findings,
      };
    },
  };
}
