// Path rules shared by the layer reader and the analyses: how tar names become image paths, which files' contents
// the reader keeps, and which files it checks for private keys.

/**
 * Caps on what an image may make the built-in scanner and explain walk: no real image nears them, and a crafted one
 * (an 80 kB PATH of one deep folder, millions of tar entries) would otherwise hold the process for minutes, deaf to
 * Ctrl-C and --timeout while it computes.
 */
export const IMAGE_LIMITS = {
  /** Folders in one path (a layer entry, a link's target, a PATH folder). */
  pathDepth: 256,
  /** Entries across all layers of one image. */
  entries: 4_000_000,
  /** Folders of the image's PATH searched for tools. */
  pathFolders: 64,
};

/** How many folders deep a normalised path is. */
export function depthOf(path: string): number {
  let n = path === '' ? 0 : 1;
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) n += 1;
  return n;
}

/** "./usr/bin/" and "/usr/bin" both become "usr/bin"; the root is "". */
export function normalizePath(name: string): string {
  const parts: string[] = [];
  for (const p of name.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return parts.join('/');
}

export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function baseOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

// A package folder right under node_modules: "node_modules/x/package.json", "node_modules/@s/x/package.json".
export const NPM_MANIFEST = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/@.][^/]*)\/package\.json$/;

// An app's own package.json: not inside node_modules, at most three folders deep ("app/package.json").
export const APP_MANIFEST = /^(?!.*node_modules\/)(?:[^/]+\/){0,3}package\.json$/;

const KEPT = [
  /^var\/lib\/dpkg\/status$/,
  /^var\/lib\/dpkg\/status\.d\/[^/]+$/,
  /^lib\/apk\/db\/installed$/,
  /^(?:etc|usr\/lib)\/os-release$/,
  /^etc\/debian_version$/,
  /^etc\/passwd$/,
  /(?:^|\/)\.npmrc$/,
  /(?:^|\/)etc\/npmrc$/,
  NPM_MANIFEST,
  // explain tells devDependencies from production ones by the lockfile, or by the app's own package.json.
  /(?:^|\/)(?:package-lock|npm-shrinkwrap)\.json$/,
  /(?:^|\/)node_modules\/\.package-lock\.json$/,
  APP_MANIFEST,
];

// dpkg's and apk's databases of a full image are a few megabytes; every other kept file (os-release, passwd, npmrc,
// a package.json) is a few kilobytes. A larger file of those names is not what it claims, and is not kept.
const DATABASE = /^(?:var\/lib\/dpkg\/status|lib\/apk\/db\/installed)$/;
const DATABASE_MAX_BYTES = 32 * 1024 * 1024;
const KEPT_MAX_BYTES = 1024 * 1024;

/**
 * All kept bytes of one image together: an image crafted with many large kept files (thousands of package.json of
 * a megabyte) makes the scan fail with this said, rather than hold gigabytes.
 */
export const KEPT_TOTAL_BYTES = 256 * 1024 * 1024;

/** Whether the reader keeps this file's bytes for the analyses. */
export function keepsContent(path: string, size: number): boolean {
  return size <= (DATABASE.test(path) ? DATABASE_MAX_BYTES : KEPT_MAX_BYTES) && KEPT.some((re) => re.test(path));
}

/** Key files are small; only files up to this size are searched for a PEM private key header. */
export const KEY_SNIFF_MAX_BYTES = 64 * 1024;

// The header at the start of a line, then (after any Proc-Type/DEK-Info lines) a line of base64 key data: a key
// quoted in documentation ("-----BEGIN PRIVATE KEY-----\nXXXX") is not a key.
const KEY_BLOCK = /(?:^|\n)[ \t]*-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----\r?\n(?:[\w ,:-]*\r?\n)*?[A-Za-z0-9+/=]{40,}\r?\n/;

/** A PEM (or OpenSSH, PGP) private key block in the bytes. */
export function hasPrivateKey(bytes: Buffer): boolean {
  // indexOf on the buffer is native and fast; the regular expression only runs on the rare file that mentions it.
  if (bytes.indexOf('PRIVATE KEY') < 0) return false;
  return KEY_BLOCK.test(bytes.toString('latin1'));
}
