// What `stagebench init` guesses about an app from its files: package manager, build script, start command, port,
// health path, its own Dockerfile, native modules, Node major, the file a source change touches. Each guess says how
// it was made, so init can print it and the user can correct the files it writes. Reads files; runs nothing.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import semver from 'semver';
import { fromLines } from '../dockerfile/instructions.ts';
import { detectPackageManager, localPackages, nativeModules, type Detected } from '../scenario/package-manager.ts';

export interface Guess<T> {
  value: T;
  /** How it was found, or "guessed: ..." when nothing in the app said. */
  how: string;
}

export interface AppFacts {
  dir: string;
  name: string;
  pkg: Record<string, unknown>;
  packageManager: Detected;
  /** The package.json script that builds the app (`build`), when there is one. */
  buildScript?: string;
  /** The container's command, exec form. */
  start: Guess<string[]>;
  /** The port the app listens on, and whether it honours PORT. */
  port: Guess<{ port: number; fromEnv: boolean }>;
  health: Guess<string>;
  /** The app's own Dockerfile (relative path), kept as variant `own`. */
  ownDockerfile?: string;
  /** Dependencies that compile native code at install time (node-gyp), so need a toolchain and install scripts. */
  nativeModules: string[];
  /** Next.js with `output: 'standalone'` in next.config. */
  nextStandalone: boolean;
  /** The Node major the app asks for (engines, .nvmrc, its Dockerfile), when it says. */
  nodeMajor?: Guess<number>;
  /** The source file a build-warm-src sample appends to. */
  sourceFile: Guess<string>;
  /** An env var the app reads at start-up that looks like it needs a value (DATABASE_URL and the like). */
  requiredEnv: string[];
  /** Local packages (`file:` dependencies inside the app), relative folders: copied in before the install. */
  localPackages: string[];
  /** Paths under /etc, /var or /usr the sources write to by default, and the env variable that moves each, if any. */
  rootPaths: RootPath[];
}

/** A default path the app writes that only root may create, where a non-root runner fails with EACCES. */
export interface RootPath {
  file: string;
  path: string;
  /** The env variable whose value replaces the default (`process.env.X || '/etc/...'`). */
  env?: string;
}

const SOURCE_EXT = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.jsx', '.tsx']);
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'build', 'coverage', '.next', 'test', 'tests', '__tests__', 'public', 'static']);


function readJson(file: string): Record<string, unknown> {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Source files of the app, shallow first, at most `limit`. */
export function sourceFiles(dir: string, limit = 400): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 5 || out.length >= limit) return;
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    const subdirs: string[] = [];
    for (const n of names) {
      const abs = join(d, n);
      let st;
      try {
        st = statSync(abs);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (!SKIP_DIRS.has(n) && !n.startsWith('.')) subdirs.push(abs);
      } else if (SOURCE_EXT.has(extname(n)) && !/\.(test|spec|d)\.[a-z]+$/.test(n) && out.length < limit) {
        out.push(relative(dir, abs).split(sep).join('/'));
      }
    }
    for (const s of subdirs) walk(s, depth + 1);
  };
  walk(dir, 0);
  return out;
}

const scriptsOf = (pkg: Record<string, unknown>): Record<string, string> => {
  const s = pkg.scripts;
  return s !== null && typeof s === 'object' ? Object.fromEntries(Object.entries(s as Record<string, unknown>).filter(([, v]) => typeof v === 'string')) as Record<string, string> : {};
};

/** The file `node` runs: from `start` when it is `node FILE`, else main, else a usual entry file. */
function startGuess(dir: string, pkg: Record<string, unknown>, built: boolean): Guess<string[]> {
  const start = scriptsOf(pkg).start;
  const m = start ? /^\s*node\s+((?:--?[\w-]+(?:=\S+)?\s+)*)([^\s&|;]+)\s*$/.exec(start) : null;
  if (m) return { value: ['node', ...m[1].trim().split(/\s+/).filter(Boolean), m[2]], how: `package.json "start": "${start}"` };
  const main = typeof pkg.main === 'string' ? pkg.main.replace(/^\.\//, '') : undefined;
  if (main && (existsSync(join(dir, main)) || built)) return { value: ['node', main], how: `package.json "main": "${main}"${start ? ` ("start" runs ${start}, which the image need not have)` : ''}` };
  const candidates = built
    ? ['dist/index.js', 'dist/server.js', 'dist/main.js', 'dist/app.js', 'build/index.js', 'dist/src/index.js']
    : ['server.js', 'index.js', 'app.js', 'main.js', 'src/index.js', 'src/server.js', 'src/app.js', 'bin/www'];
  // A compiled app's entry is not there before the build: guess from the source's name.
  const fromSource = built ? candidates.find((c) => existsSync(join(dir, c.replace(/^(dist|build)\//, 'src/').replace(/\.js$/, '.ts'))) || existsSync(join(dir, c.replace(/^(dist|build)\//, '').replace(/\.js$/, '.ts')))) : undefined;
  const file = fromSource ?? candidates.find((c) => existsSync(join(dir, c)));
  if (file) return { value: ['node', file], how: `guessed: ${file} ${fromSource ? 'is what the build makes of its TypeScript source' : 'exists'}${start ? ` ("start" is "${start}")` : ''}` };
  return { value: ['node', 'index.js'], how: 'guessed: no start script, main or usual entry file; edit CMD in the Dockerfiles' };
}

/** Port and whether PORT is honoured, from the sources' listen calls. */
export function portGuess(texts: Array<{ file: string; text: string }>, exposed?: number): Guess<{ port: number; fromEnv: boolean }> {
  for (const { file, text } of texts) {
    const env = /process\.env\.PORT\s*(?:\|\||\?\?)\s*['"]?(\d{2,5})/.exec(text) ?? /parseInt\(\s*process\.env\.PORT[^)]*\)\s*(?:\|\||\?\?)\s*(\d{2,5})/.exec(text);
    if (env) return { value: { port: Number(env[1]), fromEnv: true }, how: `${file}: listens on PORT, default ${env[1]}` };
  }
  for (const { file, text } of texts) {
    if (/process\.env\.PORT\b/.test(text)) return { value: { port: exposed ?? 3000, fromEnv: true }, how: `${file}: reads PORT (no default found; ${exposed ?? 3000} assumed)` };
  }
  for (const { file, text } of texts) {
    const lit = /\.listen\(\s*(\d{2,5})/.exec(text) ?? /\b(?:port|PORT)\s*[:=]\s*(\d{2,5})\b/.exec(text);
    if (lit) return { value: { port: Number(lit[1]), fromEnv: false }, how: `${file}: a fixed port ${lit[1]} (PORT is ignored), written as run.port` };
  }
  if (exposed) return { value: { port: exposed, fromEnv: false }, how: `guessed: the app's Dockerfile EXPOSEs ${exposed}; no listen call found` };
  return { value: { port: 3000, fromEnv: true }, how: 'guessed: no listen call found; PORT and 3000 assumed' };
}

/** A health route the sources define, else `/`. */
export function healthGuess(texts: Array<{ file: string; text: string }>): Guess<string> {
  const preferred = ['/healthz', '/health', '/api/health', '/healthcheck', '/health-check', '/status', '/ping', '/ready', '/livez'];
  for (const path of preferred) {
    for (const { file, text } of texts) {
      if (new RegExp(`['"\`]${path.replace(/[/-]/g, '\\$&')}['"\`]`).test(text)) return { value: path, how: `${file} defines ${path}` };
    }
  }
  for (const { file, text } of texts) {
    const m = /\.(?:get|route|all)\(\s*['"`](\/[\w/-]*(?:health|alive|ready|status|ping)[\w-]*)['"`]/i.exec(text);
    if (m) return { value: m[1], how: `${file} defines ${m[1]}` };
  }
  return { value: '/', how: 'guessed: no health route found; asks GET / and expects 200' };
}

/** Majors an engines range is tried against, newest first: the app gets the newest its range allows. */
const KNOWN_MAJORS = [24, 22, 20, 18, 16];

/**
 * The Node major the app needs, when it says so and Node 20 (the profiles' default) is not what it says: the major of
 * its own Dockerfile's FROM node:N (what it deploys on), else .nvmrc / .node-version, else an engines.node range that
 * excludes Node 20 (the newest major the range allows). Undefined when the app says nothing or Node 20 fits.
 */
export function nodeMajorGuess(dir: string, pkg: Record<string, unknown>, ownDockerfile?: string): Guess<number> | undefined {
  if (ownDockerfile) {
    const m = fromLines(readFileSync(join(dir, ownDockerfile), 'utf8'))
      .map((f) => /^(?:docker\.io\/)?(?:library\/)?node:(\d+)/.exec(f.image))
      .find((match) => match !== null);
    if (m) return { value: Number(m[1]), how: `${ownDockerfile}: FROM node:${m[1]}` };
  }
  for (const f of ['.nvmrc', '.node-version']) {
    if (existsSync(join(dir, f))) {
      const m = /^\s*v?(\d+)/.exec(readFileSync(join(dir, f), 'utf8'));
      if (m) return { value: Number(m[1]), how: `${f}` };
    }
  }
  const engines = (pkg.engines as Record<string, unknown> | undefined)?.node;
  if (typeof engines === 'string') {
    const range = semver.validRange(engines);
    if (range !== null && semver.intersects(range, '20.x')) return undefined;
    const fits = range === null ? undefined : KNOWN_MAJORS.find((m) => semver.intersects(range, `${m}.x`));
    const m = fits ?? Number(/(\d+)/.exec(engines)?.[1] ?? NaN);
    if (Number.isInteger(m)) return { value: m, how: `package.json engines.node "${engines}"${fits !== undefined ? ' (the newest major it allows)' : ''}` };
  }
  return undefined;
}

/** Env vars read at start-up that name outside services: the container gets none unless scenario.json says. */
export function requiredEnvGuess(texts: Array<{ text: string }>): string[] {
  const names = new Set<string>();
  for (const { text } of texts) {
    for (const m of text.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)) {
      if (/(DATABASE|DB_|MONGO|POSTGRES|PG|MYSQL|REDIS|_URL$|_URI$|SECRET|API_KEY|TOKEN)/.test(m[1]) && m[1] !== 'PORT') names.add(m[1]);
    }
  }
  return [...names].sort();
}

export function analyzeApp(dir: string): AppFacts {
  const pkg = readJson(join(dir, 'package.json'));
  const own = ['Dockerfile', 'dockerfile', 'Dockerfile.prod', 'docker/Dockerfile', 'deployment/Dockerfile'].find((f) => existsSync(join(dir, f)))
    ?? findDockerfile(dir);
  const ownText = own ? readFileSync(join(dir, own), 'utf8') : '';
  const view = { has: (rel: string) => existsSync(join(dir, rel)), read: (rel: string) => readFileSync(join(dir, rel), 'utf8') };
  const packageManager = detectPackageManager(view, pkg, ownText);
  const scripts = scriptsOf(pkg);
  const buildScript = scripts.build !== undefined && !/^\s*(echo|exit 0|true)\b/.test(scripts.build) ? 'build' : undefined;
  const files = sourceFiles(dir);
  const texts = files.slice(0, 200).map((file) => ({ file, text: readFileSync(join(dir, file), 'utf8') }));
  const exposedMatch = /^\s*EXPOSE\s+(\d+)/im.exec(ownText);
  const nextConfig = ['next.config.js', 'next.config.mjs', 'next.config.ts'].find((f) => existsSync(join(dir, f)));
  const nextStandalone = nextConfig !== undefined && /output\s*:\s*['"]standalone['"]/.test(readFileSync(join(dir, nextConfig), 'utf8'));
  const start = startGuess(dir, pkg, buildScript !== undefined);
  const entry = start.value.at(-1) ?? '';
  const entrySource = [entry, entry.replace(/^(dist|build)\//, 'src/').replace(/\.js$/, '.ts'), entry.replace(/^(dist|build)\//, '').replace(/\.js$/, '.ts')].find((f) => files.includes(f));
  // The listen call's file first: it is where the port is.
  const ordered = entrySource ? [...texts.filter((t) => t.file === entrySource), ...texts.filter((t) => t.file !== entrySource)] : texts;
  const sourceFile: Guess<string> = (nextConfig ? nextPageGuess(files) : undefined)
    ?? (entrySource ? { value: entrySource, how: `the entry file ${entrySource}` } : undefined)
    ?? firstSourceGuess(files);
  return {
    dir,
    name: typeof pkg.name === 'string' ? pkg.name : '',
    pkg,
    packageManager,
    ...(buildScript ? { buildScript } : {}),
    start: nextStandalone ? { value: ['node', 'server.js'], how: `${nextConfig} sets output: 'standalone'` } : start,
    port: portGuess(ordered, exposedMatch ? Number(exposedMatch[1]) : undefined),
    health: healthGuess(ordered),
    ...(own ? { ownDockerfile: own } : {}),
    nativeModules: [...nativeModules(pkg), ...localPackages(pkg).filter((d) => compilesNative(join(dir, d)))].sort(),
    nextStandalone,
    ...((): { nodeMajor?: Guess<number> } => {
      const g = nodeMajorGuess(dir, pkg, own);
      return g ? { nodeMajor: g } : {};
    })(),
    sourceFile,
    requiredEnv: requiredEnvGuess(texts),
    localPackages: localPackages(pkg).filter((d) => existsSync(join(dir, d, 'package.json'))),
    rootPaths: rootPathGuess(texts),
  };
}

/** A local package that builds with node-gyp: a binding.gyp, or package.json's gypfile. */
function compilesNative(pkgDir: string): boolean {
  return existsSync(join(pkgDir, 'binding.gyp')) || readJson(join(pkgDir, 'package.json')).gypfile === true;
}

/** Config and tooling files a build reads but does not compile into the app: never the source change. */
const TOOLING = /(^|\/)(\.|[^/]*\.config\.[a-z]+$|[^/]*rc\.[a-z]+$|(gulpfile|gruntfile|jest\.setup|vite-env\.d)\.)/i;

/** Next.js: a page or route the build compiles (app router first, then pages). */
export function nextPageGuess(files: string[]): Guess<string> | undefined {
  const order = [/^(src\/)?app\/page\.[jt]sx?$/, /^(src\/)?app\/.*\/page\.[jt]sx?$/, /^(src\/)?app\/.*route\.[jt]s$/, /^(src\/)?pages\/index\.[jt]sx?$/, /^(src\/)?pages\/.*\.[jt]sx?$/];
  for (const re of order) {
    const f = files.find((x) => re.test(x));
    if (f) return { value: f, how: `a Next.js ${/route\./.test(f) ? 'route' : 'page'} the build compiles, ${f}` };
  }
  return undefined;
}

/** The first source file that is not configuration or tooling. */
export function firstSourceGuess(files: string[]): Guess<string> {
  const f = files.find((x) => !TOOLING.test(x)) ?? files[0];
  return f !== undefined ? { value: f, how: `guessed: the first source file, ${f}` } : { value: 'package.json', how: 'guessed: no source file found' };
}

/**
 * Default paths under /etc, /var or /usr that the sources write to, with the env variable that moves each when the
 * default sits behind one (`process.env.X || '/etc/todos/todo.db'`). Paths only read (/etc/hosts, /usr/share) and the
 * world-writable /var/tmp are left out: a non-root user fails only on paths it must create.
 */
export function rootPathGuess(texts: Array<{ file: string; text: string }>): RootPath[] {
  const out: RootPath[] = [];
  const seen = new Set<string>();
  const writes = /\b(mkdir|mkdirSync|writeFile|writeFileSync|appendFile|createWriteStream|openSync|Database|sqlite|open)\s*\(/;
  for (const { file, text } of texts) {
    const add = (path: string, env?: string) => {
      if (seen.has(path) || /^\/(var\/tmp|usr\/share|usr\/(local\/)?(s?bin|lib|include)|etc\/(hosts|passwd|resolv\.conf|ssl|localtime|os-release))/.test(path)) return;
      seen.add(path);
      out.push({ file, path, ...(env ? { env } : {}) });
    };
    for (const m of text.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)\s*(?:\|\||\?\?)\s*['"`](\/(?:etc|var|usr)\/[^'"`\s]+)['"`]/g)) add(m[2], m[1]);
    if (!writes.test(text)) continue;
    for (const m of text.matchAll(/['"`](\/(?:etc|var|usr)\/[\w.@-]+(?:\/[\w.@-]+)*)['"`]/g)) add(m[1]);
  }
  return out;
}

/** A Dockerfile anywhere in the first two levels (deployment/local/Dockerfile and the like). */
function findDockerfile(dir: string): string | undefined {
  for (const d of readdirSync(dir).sort()) {
    if (SKIP_DIRS.has(d) || d.startsWith('.')) continue;
    const abs = join(dir, d);
    if (!statSync(abs).isDirectory()) continue;
    for (const sub of ['', ...readdirSync(abs).filter((n) => statSync(join(abs, n)).isDirectory())]) {
      const f = join(abs, sub, 'Dockerfile');
      if (existsSync(f)) return relative(dir, f).split(sep).join('/');
    }
  }
  return undefined;
}
