// .dockerignore evaluation with Docker's own matching rules (@balena/dockerignore is a port of the engine's Go code),
// so that a pattern like `node_modules/*` or a late `!node_modules/keep` counts the way `docker build` counts it.
import dockerignore from '@balena/dockerignore';

// The package is CommonJS whose types declare an ES default export: under NodeNext the import is the module object,
// and the factory sits on its `default` (the package sets that property at run time too).
const ignore = dockerignore.default;

export interface IgnorePattern {
  pattern: string;
  /** 1-based line in the .dockerignore. */
  line: number;
}

export function ignorePatterns(text: string): IgnorePattern[] {
  return text.split(/\r?\n/).flatMap((raw, i) => {
    const pattern = raw.trim();
    return pattern === '' || pattern.startsWith('#') ? [] : [{ pattern, line: i + 1 }];
  });
}

/** A predicate: is this context-relative path (forward slashes) kept out of the context? */
export function ignoreMatcher(text: string | null): (path: string) => boolean {
  if (text === null) return () => false;
  // The engine matches case-sensitively on Linux; dockerode builds its tar the same way.
  const ig = ignore({ ignorecase: false }).add(ignorePatterns(text).map((p) => p.pattern));
  return (path) => ig.ignores(path);
}

/** What must stay out of a Node.js build context, and a file path standing for each (a folder is probed inside). */
export interface LeakProbe {
  entry: string;
  probe: string;
  why: string;
}

export const ALWAYS_PROBED: LeakProbe[] = [
  { entry: 'node_modules', probe: 'node_modules/stagebench-probe/index.js', why: 'host-built modules, often hundreds of MB, sent on every build and able to shadow the install in the image' },
  { entry: '.git', probe: '.git/HEAD', why: 'the repository history: size, and every commit changes it' },
  { entry: '.env', probe: '.env', why: 'local secrets would be baked into a layer' },
];

const OUTPUT_WHY = 'host build output: stale files in the image, and a rebuild whenever it changes';

/**
 * Build output folders, probed when the context has one or the Dockerfile names it as a path (dist/server.js,
 * /app/.next): then a build on the host writes there too. An app that builds elsewhere is not told about them.
 */
export const BUILD_OUTPUT_PROBES: LeakProbe[] = [
  { entry: 'dist', probe: 'dist/stagebench-probe.js', why: OUTPUT_WHY },
  { entry: '.next', probe: '.next/BUILD_ID', why: OUTPUT_WHY },
  { entry: 'build', probe: 'build/stagebench-probe.js', why: `${OUTPUT_WHY} (if build/ holds sources, ignore this)` },
];

/** Does the Dockerfile use this name as a path (`dist/`, `/dist`, `./dist`), not as a word (`npm run build`)? */
export function namesPath(dockerfile: string, entry: string): boolean {
  const e = entry.replace(/\./g, '\\.');
  return new RegExp(`(^|[\\s"'=])(\\./)?${e}/|/${e}([/\\s"',]|$)`, 'm').test(dockerfile);
}

export interface Leak extends LeakProbe {
  /** The `!` pattern line that lets it back in, when one does; null when no pattern covers it. */
  reincludedAt: IgnorePattern | null;
}

/** The paths of the probe list that this .dockerignore lets into the context. */
export function dockerignoreLeaks(text: string, contextEntries: string[], dockerfile: string): Leak[] {
  const patterns = ignorePatterns(text);
  const outputs = BUILD_OUTPUT_PROBES.filter((p) => contextEntries.includes(p.entry) || namesPath(dockerfile, p.entry));
  const probes = [...ALWAYS_PROBED, ...outputs];
  const leaks: Leak[] = [];
  for (const probe of probes) {
    if (ignoreMatcher(text)(probe.probe)) continue;
    // Find the exception that undid an exclusion: the last pattern after which the path stopped being ignored.
    let reincludedAt: IgnorePattern | null = null;
    let ignored = false;
    const ig = ignore({ ignorecase: false });
    for (const p of patterns) {
      ig.add(p.pattern);
      const now = ig.ignores(probe.probe);
      if (ignored && !now) reincludedAt = p;
      ignored = now;
    }
    leaks.push({ ...probe, reincludedAt });
  }
  return leaks;
}
