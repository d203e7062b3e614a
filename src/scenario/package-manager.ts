// Which package manager an app uses (npm, yarn classic, yarn berry, pnpm), from its package.json and lockfiles, and
// the commands that manager uses for what the harness needs: the frozen install of a build, adding a dependency,
// running a script. One home for this knowledge: scenarios check, init and tune read it from here. Pure.

export type PackageManagerName = 'npm' | 'yarn-classic' | 'yarn-berry' | 'pnpm';

export interface PackageManager {
  name: PackageManagerName;
  /** The lockfile it writes. */
  lockfile: string;
  /** The executable. */
  bin: 'npm' | 'yarn' | 'pnpm';
  /** The install that refuses a lockfile out of sync with package.json (npm ci and its equivalents). */
  frozenInstall: string;
  /** argv of that install without running any package's install scripts: a developer's node_modules, made fast. */
  frozenInstallNoScripts: string[];
  /** argv that adds an exact dependency and updates the lockfile, installing as little as the manager allows. */
  addArgs(spec: string): string[];
  /** The shell command that runs a package.json script. */
  run(script: string): string;
  /** Official images have npm and yarn classic on PATH; pnpm and yarn berry come through corepack. */
  needsCorepack: boolean;
}

export const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml'] as const;

const MANAGERS: Record<PackageManagerName, PackageManager> = {
  npm: {
    name: 'npm', lockfile: 'package-lock.json', bin: 'npm', frozenInstall: 'npm ci', frozenInstallNoScripts: ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], addArgs: (spec) => ['install', '--package-lock-only', '--save-exact', '--no-audit', '--no-fund', spec], run: (s) => `npm run ${s}`, needsCorepack: false,
  },
  'yarn-classic': {
    name: 'yarn-classic', lockfile: 'yarn.lock', bin: 'yarn', frozenInstall: 'yarn install --frozen-lockfile',
    frozenInstallNoScripts: ['install', '--frozen-lockfile', '--ignore-scripts', '--ignore-engines', '--non-interactive'],
    addArgs: (spec) => ['add', '--exact', '--ignore-scripts', '--ignore-engines', spec],
    run: (s) => `yarn run ${s}`, needsCorepack: false,
  },
  'yarn-berry': {
    name: 'yarn-berry', lockfile: 'yarn.lock', bin: 'yarn', frozenInstall: 'yarn install --immutable',
    frozenInstallNoScripts: ['install', '--immutable', '--mode=skip-build'],
    addArgs: (spec) => ['add', '--exact', '--mode=update-lockfile', spec], run: (s) => `yarn run ${s}`, needsCorepack: true,
  },
  pnpm: {
    name: 'pnpm', lockfile: 'pnpm-lock.yaml', bin: 'pnpm', frozenInstall: 'pnpm install --frozen-lockfile',
    frozenInstallNoScripts: ['install', '--frozen-lockfile', '--ignore-scripts'],
    addArgs: (spec) => ['add', '--lockfile-only', '--save-exact', spec],
    run: (s) => `pnpm run ${s}`, needsCorepack: true,
  },
};

export function packageManager(name: PackageManagerName): PackageManager {
  return MANAGERS[name];
}

/**
 * How to run a manager on this machine: npm directly; yarn and pnpm through corepack (it ships with Node.js, and
 * fetches the version package.json's packageManager names), as the official images provide them.
 */
export function managerCommand(pm: PackageManager, args: string[]): { file: string; args: string[] } {
  return pm.bin === 'npm' ? { file: 'npm', args } : { file: 'corepack', args: [pm.bin, ...args] };
}

/**
 * What to add to a failed corepack run's message: corepack refuses every download whose npm signature it cannot
 * verify, which is the case behind a registry proxy that strips signatures. '' when that was not the failure.
 */
export function corepackHint(stderr: string): string {
  if (!/signature/i.test(stderr)) return '';
  return 'corepack could not verify the package manager\'s npm signature (a registry proxy that strips signatures makes it refuse every download). '
    + 'If you trust the registry this machine reaches, run stagebench with COREPACK_INTEGRITY_KEYS=0 in its environment (setup builds the offline stand-ins that way where it has to, and labels them org.stagebench.corepack)';
}

export interface Detected {
  manager: PackageManager;
  /** The lockfile found (relative name), if any. */
  lockfile?: string;
  /** How it was decided, for the user ("yarn.lock is a berry lockfile"). */
  reason: string;
  /** Things the user should know (two lockfiles, none at all). */
  warnings: string[];
  /** package.json's packageManager names a manager whose lockfile is absent while another's is there: not followed. */
  fieldIgnored?: boolean;
}

/** What detection needs to see of a folder. */
export interface FolderView {
  has(rel: string): boolean;
  read(rel: string): string;
}

function yarnFlavour(lock: string): PackageManagerName {
  return /^__metadata:/m.test(lock) ? 'yarn-berry' : 'yarn-classic';
}

function fromPackageManagerField(field: unknown): PackageManagerName | undefined {
  if (typeof field !== 'string') return undefined;
  const m = /^(npm|yarn|pnpm)@(\d+)/.exec(field);
  if (!m) return undefined;
  if (m[1] === 'yarn') return Number(m[2]) >= 2 ? 'yarn-berry' : 'yarn-classic';
  return m[1] as 'npm' | 'pnpm';
}

function lockfileManager(rel: string, folder: FolderView): PackageManagerName {
  if (rel === 'yarn.lock') return yarnFlavour(folder.read(rel));
  if (rel === 'pnpm-lock.yaml') return 'pnpm';
  return 'npm';
}

/**
 * The app's package manager: package.json's `packageManager` field first (corepack's own rule), then the lockfile;
 * with several lockfiles, the one the app's own Dockerfile installs with (`hint`), else the first of yarn, pnpm, npm.
 */
export function detectPackageManager(folder: FolderView, pkg: Record<string, unknown>, hint = ''): Detected {
  const present = LOCKFILES.filter((l) => folder.has(l));
  const warnings: string[] = [];
  const declared = fromPackageManagerField(pkg.packageManager);
  const declaredLock = declared ? present.find((l) => lockfileManager(l, folder) === declared || (declared.startsWith('yarn') && l === 'yarn.lock')) : undefined;
  if (declared && !declaredLock && present.length > 0) {
    // The field names a manager the app never locked with: the lockfile that exists (and the app's own Dockerfile) is
    // what its builds install from, so following the field would make a dependency change nothing installs frozen.
    const other = detectPackageManager(folder, {}, hint);
    const field = `package.json "packageManager": "${String(pkg.packageManager)}"`;
    return {
      ...other,
      reason: `${other.reason}; ${field} ignored: no ${MANAGERS[declared].lockfile} is there`,
      warnings: [...other.warnings, `${field} names ${MANAGERS[declared].bin}, but the app locks with ${other.lockfile}: init follows ${other.manager.bin}, as the lockfile${/\b(npm|yarn|pnpm)\b/.test(hint) ? ' and the app\'s Dockerfile' : ''} do; correct the field, or commit a ${MANAGERS[declared].lockfile}, if ${MANAGERS[declared].bin} is what the team uses`],
      fieldIgnored: true,
    };
  }
  if (declared) {
    const lock = declaredLock;
    if (!lock) warnings.push(`package.json declares ${String(pkg.packageManager)} but no ${MANAGERS[declared].lockfile} is there: builds cannot install frozen`);
    return { manager: MANAGERS[declared], ...(lock ? { lockfile: lock } : {}), reason: `package.json "packageManager": "${String(pkg.packageManager)}"`, warnings };
  }
  if (present.length === 0) {
    return { manager: MANAGERS.npm, reason: 'no lockfile (npm assumed)', warnings: ['no lockfile: builds cannot install frozen; run npm install (or yarn/pnpm install) and commit the lockfile'] };
  }
  let chosen: string = present[0];
  let why = `${chosen} is the only lockfile`;
  if (present.length > 1) {
    const used = present.find((l) => {
      const bin = MANAGERS[lockfileManager(l, folder)].bin;
      return new RegExp(`\\b${bin}\\s+(ci|install|i|add)\\b|\\bRUN\\s+${bin}\\s*$`, 'm').test(hint);
    });
    chosen = used ?? present.find((l) => l === 'yarn.lock') ?? present.find((l) => l === 'pnpm-lock.yaml') ?? present[0];
    why = used ? `${chosen}: the app's Dockerfile installs with ${MANAGERS[lockfileManager(chosen, folder)].bin}` : `${chosen} (of ${present.join(', ')})`;
    warnings.push(`several lockfiles (${present.join(', ')}): using ${chosen}; delete the others so nobody installs from a stale one`);
  } else if (chosen === 'yarn.lock') {
    why = `yarn.lock is a ${lockfileManager(chosen, folder) === 'yarn-berry' ? 'berry (v2+)' : 'classic (v1)'} lockfile`;
  }
  return { manager: MANAGERS[lockfileManager(chosen, folder)], lockfile: chosen, reason: why, warnings };
}

/** A pnpm lockfile's `lockfileVersion` as written (`6.0`, `5.4`, `9.0`); undefined when the text has none. */
export function pnpmLockfileVersion(lockText: string): string | undefined {
  return /^lockfileVersion:\s*['"]?(\d+(?:\.\d+)?)['"]?\s*$/m.exec(lockText)?.[1];
}

/**
 * The pnpm release to pin when package.json names none: corepack's default is the newest pnpm, which refuses
 * lockfile formats older than 9 as broken (pnpm 9 and later read 9.x only), so an app whose lockfile an older pnpm
 * wrote gets the last release that writes that format. undefined for format 9 or what cannot be read.
 */
export function pnpmForLockfile(lockText: string): string | undefined {
  const version = pnpmLockfileVersion(lockText);
  if (version === undefined) return undefined;
  const major = Number(version.split('.')[0]);
  if (major === 5) return 'pnpm@7.33.7';
  if (major === 6) return 'pnpm@8.15.9';
  return undefined;
}

/** Packages known to build native code at install time, or to ship prebuilt binaries that fall back to node-gyp. */
const NATIVE = new Set(['sqlite3', 'better-sqlite3', 'bcrypt', 'sharp', 'canvas', 'node-sass', 'argon2', 'bufferutil', 'utf-8-validate', 'cpu-features', 'ssh2', 'grpc', 'leveldown', 'zeromq', 'usb', 'serialport', 'libxmljs', 'microtime', 'farmhash', 're2', 'deasync']);

/**
 * Local packages the manifest depends on (`file:`, `link:`, `portal:` specs to a folder inside the app), as relative
 * folders: the install needs them in the build context before it runs, and the dependency change in its copy.
 */
export function localPackages(pkg: Record<string, unknown>): string[] {
  const specs = ['dependencies', 'devDependencies', 'optionalDependencies'].flatMap((k) => Object.values((pkg[k] as Record<string, unknown> | undefined) ?? {}));
  const dirs = specs.flatMap((v) => {
    const m = typeof v === 'string' ? /^(?:file|link|portal):(.+)$/.exec(v) : null;
    if (!m) return [];
    const rel = m[1].replace(/^\.\//, '').replace(/\/+$/, '');
    // Tarballs are files, and a folder outside the app is outside its build context: neither is copied.
    return rel === '' || rel.startsWith('/') || rel.split('/').includes('..') || /\.(tgz|tar\.gz)$/.test(rel) ? [] : [rel];
  });
  return [...new Set(dirs)].sort();
}

/** The app's dependencies that compile at install time, sorted. */
export function nativeModules(pkg: Record<string, unknown>): string[] {
  const names = ['dependencies', 'optionalDependencies'].flatMap((k) => Object.keys((pkg[k] as Record<string, unknown> | undefined) ?? {}));
  return names.filter((n) => NATIVE.has(n)).sort();
}

/**
 * What the manager needs before it runs these packages' install scripts, or '' when it runs them anyway: npm 11
 * skips scripts of packages not approved in package.json's allowScripts; pnpm 10 those not in onlyBuiltDependencies.
 */
export function scriptApprovalMissing(manager: PackageManagerName, pkg: Record<string, unknown>, native: string[]): string {
  const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  if (manager === 'npm') {
    const allowed = obj(pkg.allowScripts);
    const missing = native.filter((n) => !Object.keys(allowed).some((k) => (k === n || k.startsWith(`${n}@`)) && allowed[k] === true));
    return missing.length ? `npm 11 skips install scripts of packages not approved, so ${missing.join(', ')} would install without its native build: add "allowScripts": {${missing.map((n) => `"${n}": true`).join(', ')}} to package.json (or run npm install-scripts approve ${missing.join(' ')})` : '';
  }
  if (manager === 'pnpm') {
    const built = obj(pkg.pnpm).onlyBuiltDependencies;
    const list = Array.isArray(built) ? built.map(String) : [];
    const missing = native.filter((n) => !list.includes(n));
    return missing.length ? `pnpm 10 skips build scripts of dependencies not allowed, so ${missing.join(', ')} would install without its native build: add "pnpm": {"onlyBuiltDependencies": [${missing.map((n) => `"${n}"`).join(', ')}]} to package.json` : '';
  }
  return '';
}
