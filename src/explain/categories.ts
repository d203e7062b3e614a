// Which part of an image a file belongs to, by its path: caches that should not ship, the build toolchain, the
// app, its dependencies, or the runtime (the OS and Node). Pure.
import { npmOwner } from '../scan/builtin/npm-packages.ts';
import type { CompositionCategory } from '../types.ts';

export type CacheKind = 'npm cache' | 'yarn cache' | 'pnpm store' | 'apt lists and archives' | 'apk cache' | '.git' | 'source maps' | 'test folders' | 'other caches';

// Order matters: the first rule that matches names the cache.
const CACHE_RULES: Array<[CacheKind, RegExp]> = [
  ['npm cache', /(?:^|\/)\.npm\/(?:_cacache|_logs|_npx)\//],
  ['yarn cache', /(?:^|\/)(?:\.cache\/yarn|\.yarn\/cache|\.yarn-cache|Yarn\/Cache)\//],
  ['pnpm store', /(?:^|\/)(?:\.pnpm-store|\.local\/share\/pnpm\/store|pnpm\/store)\//],
  ['apt lists and archives', /^var\/(?:lib\/apt\/lists|cache\/apt)\//],
  ['apk cache', /^(?:var\/cache\/apk|etc\/apk\/cache)\//],
  ['.git', /(?:^|\/)\.git\//],
  ['source maps', /\.(?:js|mjs|cjs|css)\.map$/],
  ['test folders', /(?:^|\/)node_modules\/(?:.*\/)?(?:test|tests|__tests__)\//],
  ['other caches', /(?:^|\/)(?:\.cache\/node-gyp|\.node-gyp|\.cache\/pip)\//],
];

/** The kind of cache a path is in, or undefined when it is not in one. */
export function cacheKind(path: string): CacheKind | undefined {
  for (const [kind, re] of CACHE_RULES) if (re.test(path)) return kind;
  return undefined;
}

// Files of compilers, make, python and headers: what a native module build needs and a runner does not.
const TOOLCHAIN = [
  /^usr\/(?:lib|libexec)\/gcc(?:-cross)?\//,
  /^usr\/(?:local\/)?include\//,
  /^usr\/bin\/(?:[\w.-]*-linux-(?:gnu|musl)[\w.]*-)?(?:gcc|g\+\+|c\+\+|cc|cpp|ld|ld\.bfd|ld\.gold|as|ar|ranlib|strip|objdump|objcopy|nm|readelf|make|gmake|python3?(?:\.\d+)?|lto-dump|gcov[\w-]*)(?:-\d+(?:\.\d+)?)?$/,
  /^usr\/(?:local\/)?lib\/python3(?:\.\d+)?\//,
  /^usr\/lib\/(?:[\w-]+-linux-(?:gnu|musl)\/)?(?:libpython3|libbfd|libopcodes|libctf|libgprofng|libasan|libtsan|liblsan|libubsan|libhwasan|libisl|libmpc|libmpfr|libcc1|libstdc\+\+\.a|libsframe)/,
  /^usr\/share\/(?:gcc|perl5?|python3)\//,
  /^usr\/lib\/[\w-]+-linux-(?:gnu|musl)\/perl(?:5|-base)?\//,
  /(?:^|\/)node_modules\/node-gyp\//,
];

export function isToolchain(path: string): boolean {
  return TOOLCHAIN.some((re) => re.test(path));
}

/** Whether an OS package is part of a build toolchain, by its name (Debian and Alpine names). */
export function isToolchainPackage(name: string): boolean {
  return /^(?:gcc|g\+\+|cpp|binutils|make|build-base|build-essential|python3?|libpython3|musl-dev|libc6?-dev|linux-(?:libc-dev|headers)|libgcc-\d+-dev|libstdc\+\+-\d+-dev|dpkg-dev|perl|libperl|fortify-headers|patch)(?:[\w.+-]*)?$/.test(name)
    || /-dev$/.test(name);
}

/** The node_modules that belong to the runtime (npm, corepack shipped with Node), not to the app. */
export function isRuntimeNodeModules(path: string): boolean {
  return /^(?:usr\/(?:local\/)?lib|opt\/yarn[^/]*|nodejs\/lib)\/node_modules\//.test(path);
}

export interface PathFacts {
  /** The app's folder in the image (WORKDIR), without leading slash; '' when unknown. */
  appDir: string;
  /** Whether a package folder (its path) holds a devDependency. */
  isDev(packageDir: string): boolean;
}

/** The folder of the package a node_modules path belongs to ("app/node_modules/@s/x"), or '' outside one. */
export function packageDirOf(path: string): string {
  const owner = npmOwner(path);
  if (!owner) return '';
  const i = path.lastIndexOf('node_modules/');
  return path.slice(0, i + 'node_modules/'.length + owner.length);
}

/** One file's category in the final image. */
export function categorise(path: string, facts: PathFacts): CompositionCategory {
  if (cacheKind(path)) return 'caches';
  if (isToolchain(path)) return 'toolchain';
  if (path.includes('node_modules/') && !isRuntimeNodeModules(path)) {
    const dir = packageDirOf(path);
    if (dir) return facts.isDev(dir) ? 'devDependencies' : 'production dependencies';
  }
  if (facts.appDir && (path === facts.appDir || path.startsWith(`${facts.appDir}/`))) return 'app';
  return 'runtime';
}
