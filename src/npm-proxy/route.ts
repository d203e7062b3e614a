// Which npm registry a run's builds use (--npm-registry), how a Dockerfile lets the harness hand it one, and how a
// build's route is checked against the proxy's log. Pure: no process, no file, no network.
import { parseDockerfile } from '../dockerfile/dockerfile-model.ts';
import { UsageError } from '../errors.ts';
import type { BuildStep } from '../engine/engine.ts';

/** The option as given: direct, local, auto (the default) or an http(s) URL of an existing registry or proxy. */
export type NpmRegistryChoice = 'auto' | 'direct' | 'local' | `http${string}`;

/** The build arg npm reads as its registry (npm takes any `npm_config_*` variable, in either case, as config). */
export const REGISTRY_ARG = 'NPM_CONFIG_REGISTRY';
/** The build secret a Dockerfile mounts as npm's user config: `RUN --mount=type=secret,id=npmrc,target=/root/.npmrc`. */
export const NPMRC_SECRET = 'npmrc';

export const NPM_OPT_IN_HELP =
  `declare 'ARG ${REGISTRY_ARG}' after the FROM of each stage that runs npm install or npm ci (npm reads the variable ` +
  `as its registry), or mount the npmrc build secret on those RUN steps ` +
  `(RUN --mount=type=secret,id=${NPMRC_SECRET},target=/root/.npmrc npm ci)`;

export function parseNpmRegistry(value: unknown): NpmRegistryChoice {
  if (value === undefined) return 'auto';
  const s = String(value);
  if (s === 'auto' || s === 'direct' || s === 'local') return s;
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    throw new UsageError(`stagebench run: --npm-registry takes direct, local or the http(s) URL of a registry, not '${s}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`stagebench run: --npm-registry ${s}: the URL must be http:// or https://`);
  }
  if (url.username || url.password) {
    // A build arg's value is kept in the image's history: a password there would leave with the image.
    throw new UsageError(
      'stagebench run: --npm-registry URL carries a user or password; keep the credentials in your npm config ' +
        "(npm login --registry URL, or an _authToken line in ~/.npmrc): the harness hands them to builds as a build secret and never records them",
    );
  }
  return (url.href.endsWith('/') ? url.href : `${url.href}/`) as NpmRegistryChoice;
}

/** How a Dockerfile takes a registry from the harness: per stage that runs an npm install. */
export interface NpmOptIn {
  /** Every stage that installs packages takes the registry one way or the other. */
  ok: boolean;
  /** The name of the declared ARG (as written), when some stage declares one. */
  arg?: string;
  /** Some npm RUN step mounts the npmrc secret. */
  secret: boolean;
  /** Stages (name, or 1-based number) that run npm install/ci and take no registry: why the variant stays direct. */
  missing: string[];
  /** The Dockerfile installs packages with npm at all. */
  installs: boolean;
}

/** A shell command that makes npm fetch packages. */
const NPM_INSTALL = /\bnpm\s+(?:[^&|;\n]*\s)?(?:ci|install|i|add|update|clean-install|install-clean)(?:\s|$)/;

export function isNpmInstall(command: string): boolean {
  return NPM_INSTALL.test(command);
}

export function npmOptIn(dockerfile: string): NpmOptIn {
  const model = parseDockerfile(dockerfile);
  let arg: string | undefined;
  let secret = false;
  let installs = false;
  const missing: string[] = [];
  for (const stage of model.stages) {
    let stageArg = false;
    let stageMissing = false;
    for (const ins of stage.instructions) {
      if (ins.keyword === 'ARG') {
        for (const a of ins.args) {
          const name = a.split('=')[0];
          if (name.toUpperCase() === REGISTRY_ARG) {
            stageArg = true;
            arg = name;
          }
        }
      }
      if (ins.keyword !== 'RUN' || !isNpmInstall(ins.command)) continue;
      installs = true;
      const mounts = ins.flagTexts.some((f) => /^--mount=(?=.*\btype=secret\b)(?=.*\bid=npmrc\b)/.test(f));
      if (mounts) secret = true;
      if (!mounts && !stageArg) stageMissing = true;
    }
    if (stageMissing) missing.push(stage.name ?? String(stage.index + 1));
  }
  return { ok: installs && missing.length === 0, arg, secret, missing, installs };
}

/** The npm user config handed to a build as the npmrc secret: the registry, its credentials, resolved hosts replaced. */
export function npmrcText(registry: string, authLines: string[] = []): string {
  // replace-registry-host=always: a lockfile whose entries resolve to another registry's address still goes through
  // this one (npm's default replaces only the public registry's address).
  return [`registry=${registry}`, 'replace-registry-host=always', ...authLines, ''].join('\n');
}

/** A build step that fetched packages: an npm install that ran (not from the cache). */
export function fetchedPackages(steps: readonly BuildStep[]): boolean {
  return steps.some((s) => !s.cached && isNpmInstall(s.instruction));
}

/**
 * Requests clients made, in a slice of Verdaccio's JSON log: its `http` lines (pino level 25) marked `"sub":"in"`,
 * one per request answered. Its requests to the uplink (http lines without `sub`) and start-up lines are not counted.
 */
export function countRequests(logText: string): number {
  let n = 0;
  for (const line of logText.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { level?: unknown; sub?: unknown };
      if (entry.level === 25 && entry.sub === 'in') n += 1;
    } catch {
      // a line cut at the end of the slice: the next slice holds it whole
    }
  }
  return n;
}

/** Verdaccio's config: storage in the private folder, listening on loopback only, the machine's registry as uplink. */
export function verdaccioConfig(opts: { dir: string; uplink: string; httpsProxy?: string }): string {
  const q = (s: string) => JSON.stringify(s);
  return [
    `storage: ${q(`${opts.dir}/storage`)}`,
    `plugins: ${q(`${opts.dir}/plugins`)}`,
    'web:',
    '  enable: false',
    'auth:',
    '  htpasswd:',
    `    file: ${q(`${opts.dir}/htpasswd`)}`,
    '    max_users: -1',
    'uplinks:',
    '  machine:',
    `    url: ${q(opts.uplink)}`,
    // Metadata fetched by the warm-up is served from storage for the rest of the run, not asked again after
    // Verdaccio's default two minutes: a cold build then measures the nearby registry, not the uplink.
    '    maxage: 30d',
    '    timeout: 120s',
    '    max_fails: 20',
    '    fail_timeout: 10s',
    '    cache: true',
    ...(opts.httpsProxy ? [`    https_proxy: ${q(opts.httpsProxy)}`] : []),
    'packages:',
    "  '@*/*':",
    '    access: $all',
    '    publish: $authenticated',
    '    proxy: machine',
    "  '**':",
    '    access: $all',
    '    publish: $authenticated',
    '    proxy: machine',
    'server:',
    '  keepAliveTimeout: 60',
    'log:',
    '  type: stdout',
    '  format: json',
    '  level: http',
    '',
  ].join('\n');
}
