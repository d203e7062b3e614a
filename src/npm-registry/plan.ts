// The npm registry a run's builds install from (--npm-registry direct|local|URL): option parsing, the build
// settings that point npm at it, lockfile host detection and the local proxy's (Verdaccio) config. Pure.
import { UsageError } from '../errors.ts';
import { redactUrl } from '../net/redact-url.ts';

export type NpmRegistryChoice =
  | { kind: 'auto' }
  | { kind: 'direct' }
  | { kind: 'local' }
  | { kind: 'url'; url: string };

/** `--npm-registry`: absent means auto (local where the proxy can start, else direct). */
export function parseNpmRegistry(value: unknown): NpmRegistryChoice {
  if (value === undefined) return { kind: 'auto' };
  const s = String(value);
  if (s === 'direct' || s === 'local') return { kind: s };
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    throw new UsageError(`stagebench run: --npm-registry takes direct, local or an http(s) registry URL, not '${redactUrl(s)}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`stagebench run: --npm-registry URL must be http:// or https://, not '${redactUrl(s)}'`);
  }
  return { kind: 'url', url: s.endsWith('/') ? s : `${s}/` };
}

/**
 * npm settings (as environment-style names) for a build that must install from `registryUrl`.
 * `replace-registry-host=always` makes npm fetch every lockfile `resolved` address from the configured registry,
 * so a lockfile written against the public registry still goes through the proxy.
 */
export function npmRegistrySettings(registryUrl: string): Record<string, string> {
  return { NPM_CONFIG_REGISTRY: registryUrl, NPM_CONFIG_REPLACE_REGISTRY_HOST: 'always' };
}

/** The same settings as an .npmrc file's text (for a build secret mounted at the npmrc path). */
export function npmrcText(registryUrl: string): string {
  return Object.entries(npmRegistrySettings(registryUrl))
    .map(([k, v]) => `${k.replace(/^NPM_CONFIG_/, '').toLowerCase().replace(/_/g, '-')}=${v}\n`)
    .join('');
}

/** Hosts named by `resolved` addresses in an npm lockfile's text (v1 `dependencies` and v2/v3 `packages`). */
export function lockfileRegistryHosts(lockText: string): string[] {
  const hosts = new Set<string>();
  for (const m of lockText.matchAll(/"resolved"\s*:\s*"([^"]+)"/g)) {
    try {
      const u = new URL(m[1]!);
      if (u.protocol === 'http:' || u.protocol === 'https:') hosts.add(u.host);
    } catch {
      // a resolved value that is not a URL (a file: or git reference) names no registry
    }
  }
  return [...hosts].sort();
}

/** Package name@version pairs a lockfile installs (what warming the proxy must fetch). */
export function lockfilePackages(lock: unknown): string[] {
  const out = new Set<string>();
  if (lock && typeof lock === 'object' && 'packages' in lock && lock.packages && typeof lock.packages === 'object') {
    for (const [path, entry] of Object.entries(lock.packages as Record<string, unknown>)) {
      const at = path.lastIndexOf('node_modules/');
      if (at < 0 || !entry || typeof entry !== 'object') continue;
      const e = entry as { version?: unknown; link?: unknown; name?: unknown };
      if (e.link === true || typeof e.version !== 'string') continue;
      const name = typeof e.name === 'string' ? e.name : path.slice(at + 'node_modules/'.length);
      out.add(`${name}@${e.version}`);
    }
  }
  return [...out].sort();
}

/** Verdaccio's config: every package proxied to the one uplink, storage in `storageDir`, request log as JSON lines. */
export function verdaccioConfig(opts: { storageDir: string; uplinkUrl: string }): string {
  return [
    `storage: ${JSON.stringify(opts.storageDir)}`,
    'uplinks:',
    '  up:',
    `    url: ${JSON.stringify(opts.uplinkUrl)}`,
    '    timeout: 60s',
    'packages:',
    "  '**':",
    '    access: $all',
    '    proxy: up',
    'log: { type: stdout, format: json, level: http }',
    '',
  ].join('\n');
}
