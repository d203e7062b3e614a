// OS packages from the package databases in the image: dpkg's status file, the one-file-per-package status.d
// folder that distroless images carry instead, and apk's installed database. Also the release from os-release.
import type { FileTree } from './file-tree.ts';

export interface OsPackage {
  manager: 'dpkg' | 'apk';
  name: string;
  version: string;
  /** The source package (Debian) or origin (Alpine); advisories name these. */
  source: string;
  sourceVersion: string;
  /** The database file the package was listed in, for findings. */
  path: string;
}

export interface OsRelease {
  /** "debian", "alpine", ... ('' when the image does not say). */
  id: string;
  /** "12" for bookworm; '' when unknown. */
  versionId: string;
}

/** Splits a deb822 file into paragraphs of fields; continuation lines are joined to their field. */
export function parseDeb822(text: string): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  let current: Record<string, string> = {};
  let last = '';
  const flush = () => {
    if (Object.keys(current).length > 0) out.push(current);
    current = {};
    last = '';
  };
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (line.trim() === '') {
      flush();
    } else if (/^[ \t]/.test(line)) {
      if (last) current[last] += `\n${line.trim()}`;
    } else {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      last = line.slice(0, colon).trim();
      current[last] = line.slice(colon + 1).trim();
    }
  }
  flush();
  return out;
}

/**
 * Installed packages of a dpkg status text. A paragraph without Status counts as installed: distroless's status.d
 * files have none. "Source: name (version)" gives the source version when it differs from the binary's.
 */
export function parseDpkgStatus(text: string, path: string): OsPackage[] {
  const out: OsPackage[] = [];
  for (const p of parseDeb822(text)) {
    const name = p.Package;
    const version = p.Version;
    if (!name || !version) continue;
    if (p.Status !== undefined && p.Status.split(/\s+/)[2] !== 'installed') continue;
    const m = /^(\S+)(?:\s*\(([^)]+)\))?/.exec(p.Source ?? '');
    out.push({
      manager: 'dpkg',
      name,
      version,
      source: m?.[1] ?? name,
      sourceVersion: m?.[2] ?? version,
      path,
    });
  }
  return out;
}

/** apk's installed database: paragraphs of one-letter fields (P name, V version, o origin). */
export function parseApkInstalled(text: string, path: string): OsPackage[] {
  const out: OsPackage[] = [];
  for (const block of text.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    const fields: Record<string, string> = {};
    for (const line of block.split('\n')) {
      if (line.length >= 2 && line[1] === ':' && !(line[0] in fields)) fields[line[0]] = line.slice(2);
    }
    if (!fields.P || !fields.V) continue;
    out.push({ manager: 'apk', name: fields.P, version: fields.V, source: fields.o || fields.P, sourceVersion: fields.V, path });
  }
  return out;
}

export function parseOsRelease(text: string): OsRelease {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) fields[m[1]] = m[2].replace(/^["']|["']$/g, '');
  }
  return { id: fields.ID ?? '', versionId: fields.VERSION_ID ?? '' };
}

const DPKG_STATUS = 'var/lib/dpkg/status';
const DPKG_STATUS_D = 'var/lib/dpkg/status.d/';
const APK_INSTALLED = 'lib/apk/db/installed';

export function osPackages(tree: FileTree): OsPackage[] {
  const out: OsPackage[] = [];
  const status = tree.read(DPKG_STATUS);
  if (status) out.push(...parseDpkgStatus(status.toString('utf8'), `/${DPKG_STATUS}`));
  for (const [path, node] of tree.entries()) {
    if (!path.startsWith(DPKG_STATUS_D) || node.type !== 'file' || !node.content) continue;
    // Newer distroless images put each package's md5sums beside its status file.
    if (path.endsWith('.md5sums')) continue;
    out.push(...parseDpkgStatus(node.content.toString('utf8'), `/${path}`));
  }
  const apk = tree.read(APK_INSTALLED);
  if (apk) out.push(...parseApkInstalled(apk.toString('utf8'), `/${APK_INSTALLED}`));
  return out;
}

/** The image's release: os-release first, then Debian's /etc/debian_version ("12.5" is release 12). */
export function osRelease(tree: FileTree): OsRelease {
  const text = tree.read('etc/os-release') ?? tree.read('usr/lib/os-release');
  const rel = text ? parseOsRelease(text.toString('utf8')) : { id: '', versionId: '' };
  if (!rel.versionId) {
    const deb = tree.read('etc/debian_version')?.toString('utf8').trim();
    const major = deb ? /^(\d+)(?:\.\d+)*$/.exec(deb)?.[1] : undefined;
    if (major) return { id: rel.id || 'debian', versionId: major };
  }
  return rel;
}
