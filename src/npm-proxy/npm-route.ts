// The npm registry route of a run: opened from --npm-registry (direct, the local proxy, or a URL), it hands each
// build the registry its Dockerfile asks for (a build arg or the npmrc secret; the Dockerfile and the lockfile on
// disk are never edited), warms the local proxy untimed, and tells whether a build went through the proxy.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError } from '../errors.ts';
import { redactUrl } from '../net/redact-url.ts';
import { Workspace } from '../scenario/workspace.ts';
import { runTool, toolFailure } from '../tools/exec.ts';
import type { NpmRegistryInfo, Scenario, SecretSource } from '../types.ts';
import { authLinesFor } from '../net/registry-auth.ts';
import { privateCopy } from '../scenario/host-install.ts';
import { packageManager } from '../scenario/package-manager.ts';
import { NPM_OPT_IN_HELP, NPMRC_SECRET, npmOptIn, npmrcText, type NpmOptIn, type NpmRegistryChoice } from './route.ts';
import { installedProxy, installProxy, machineNpm, startLocalProxy, type LocalNpmProxy } from './verdaccio.ts';

export interface NpmRoute {
  info: NpmRegistryInfo;
  /** What a build of this Dockerfile is given (a build arg, the npmrc secret), or undefined: it stays direct. */
  forDockerfile(path: string): { buildArgs: Record<string, string>; secrets: Record<string, SecretSource> } | undefined;
  /** The opt-in of a Dockerfile, read once per path. */
  optIn(path: string): NpmOptIn;
  /** The proxy's log, where the route can be watched (the local proxy). */
  observe?: { mark(): number; requestsSince(mark: number): Promise<number> };
  /** Fetches every package the scenarios' lockfiles and dependency changes need, once, through the proxy. */
  warm?(scenarios: readonly Scenario[], signal: AbortSignal, log: (line: string) => void): Promise<void>;
  stop(): Promise<void>;
}

/** A route to `registry` (undefined: direct), with the npmrc secret file for Dockerfiles that mount it. */
export function staticRoute(info: NpmRegistryInfo, registry: string | undefined, npmrcFile: string | undefined, extra: Partial<NpmRoute> = {}): NpmRoute {
  const optIns = new Map<string, NpmOptIn>();
  const optIn = (path: string): NpmOptIn => {
    let o = optIns.get(path);
    if (!o) {
      o = npmOptIn(readFileSync(path, 'utf8'));
      optIns.set(path, o);
    }
    return o;
  };
  return {
    info,
    optIn,
    forDockerfile(path) {
      if (!registry) return undefined;
      const o = optIn(path);
      if (!o.ok) return undefined;
      const secrets: Record<string, SecretSource> = {};
      if (o.secret && npmrcFile) secrets[NPMRC_SECRET] = { file: npmrcFile };
      return { buildArgs: o.arg ? { [o.arg]: registry } : {}, secrets };
    },
    stop: async () => undefined,
    ...extra,
  };
}

export function directRoute(chosenBy: 'auto' | 'option', note?: string): NpmRoute {
  return staticRoute({ kind: 'direct', chosen_by: chosenBy, ...(note ? { note } : {}) }, undefined, undefined);
}

/** A private folder named like the run's others, so that `stagebench clean` removes it after a kill -9. */
function privateFolder(runId: string): string {
  return mkdtempSync(join(tmpdir(), `stagebench-npm-${runId}-`));
}

async function userAuthLines(registry: string): Promise<string[]> {
  const r = await runTool('npm', ['config', 'get', 'userconfig'], { timeoutMs: 30_000 });
  const file = r.stdout.trim();
  if (!r.ok || !file || !existsSync(file)) return [];
  return authLinesFor(readFileSync(file, 'utf8'), registry);
}

async function urlRoute(url: string, runId: string): Promise<NpmRoute> {
  const dir = privateFolder(runId);
  const npmrc = join(dir, 'npmrc');
  // The user's credentials for that registry reach builds only as a secret (never a build arg, never recorded).
  writeFileSync(npmrc, npmrcText(url, await userAuthLines(url)), { mode: 0o600 });
  return staticRoute({ kind: 'url', chosen_by: 'option', address: redactUrl(url) }, url, npmrc, {
    stop: async () => rmSync(dir, { recursive: true, force: true }),
  });
}

export async function warmProxy(proxy: LocalNpmProxy, scenarios: readonly Scenario[], signal: AbortSignal, log: (line: string) => void): Promise<number> {
  const cache = join(proxy.dir, 'npm-cache');
  const root = join(proxy.dir, 'warm');
  const before = proxy.mark();
  for (const scenario of scenarios) {
    const ws = new Workspace(scenario, root);
    const app = join(ws.dir, scenario.context ?? '.');
    if (!existsSync(join(app, 'package-lock.json'))) {
      log(`stagebench: npm proxy: ${scenario.name} has no package-lock.json: not warmed; its first build fetches through the proxy from the uplink`);
      ws.remove();
      continue;
    }
    for (const state of ['lockfile', 'dependency change'] as const) {
      if (state === 'dependency change') {
        ws.applyDependencyChange(`stagebench npm proxy warm-up ${Date.now()}`);
      }
      // A private npm cache: every package is asked of the proxy, none served from the user's cache. npm runs on a
      // private copy of the manifest and lockfile, the scenario's .npmrc left behind (docs/trust.md).
      const copy = privateCopy(app, ['package.json', 'package-lock.json'], root);
      let run;
      try {
        const cmd = copy.command(packageManager('npm'), ['ci', '--no-audit', '--no-fund', `--registry=${proxy.url}`, `--cache=${cache}`, '--replace-registry-host=always'], { registry: proxy.url });
        run = await runTool(cmd.file, cmd.args, { cwd: copy.dir, env: cmd.env, signal, timeoutMs: 30 * 60_000 });
      } finally {
        copy.remove();
      }
      if (signal.aborted) throw signal.reason ?? new Error('interrupted');
      if (!run.ok) {
        throw new EnvironmentError(`${toolFailure(`warming the npm proxy with ${scenario.name}'s ${state}`, run)}\nThe proxy's log is ${proxy.logFile} (removed at the end of the run); run with --npm-registry direct to build without it.`);
      }
    }
    ws.remove();
  }
  return (await proxy.requestsSince(before));
}

async function localRoute(runId: string, chosenBy: 'auto' | 'option', signal: AbortSignal, log: (line: string) => void, entry: string): Promise<NpmRoute> {
  const proxy = await startLocalProxy(runId, entry, await machineNpm(), signal);
  const npmrc = join(proxy.dir, 'npmrc');
  writeFileSync(npmrc, npmrcText(proxy.url), { mode: 0o600 });
  const info: NpmRegistryInfo = { kind: 'local', chosen_by: chosenBy, address: proxy.address, proxy: proxy.version };
  log(`stagebench: npm registry: local proxy (${proxy.version}) on ${proxy.address}, uplinked to the registry of the machine's npm config`);
  return staticRoute(info, proxy.url, npmrc, {
    observe: { mark: () => proxy.mark(), requestsSince: (m) => proxy.requestsSince(m) },
    async warm(scenarios, sig, note) {
      const t = performance.now();
      note(`stagebench: npm proxy: warming it (untimed) with the lockfiles and dependency changes of ${scenarios.map((s) => s.name).join(', ')}`);
      const requests = await warmProxy(proxy, scenarios, sig, note);
      info.warmup_ms = Math.round(performance.now() - t);
      info.warmup_requests = requests;
      note(`stagebench: npm proxy: warmed in ${(info.warmup_ms / 1000).toFixed(1)} s (${requests} requests)`);
    },
    stop: () => proxy.stop(),
  });
}

/**
 * Opens the run's route. auto: the local proxy when it is installed and starts, else direct, saying why. local:
 * installs the proxy on first use; failing to start it is an environment error. Nothing is left when it throws.
 */
export async function openNpmRoute(choice: NpmRegistryChoice, runId: string, signal: AbortSignal, log: (line: string) => void): Promise<NpmRoute> {
  if (choice === 'direct') return directRoute('option');
  if (choice === 'local') return localRoute(runId, 'option', signal, log, await installProxy(signal, log));
  if (choice !== 'auto') return urlRoute(choice, runId);
  const entry = installedProxy();
  if (!entry) {
    return directRoute('auto', 'the local npm proxy is not installed: builds fetch packages directly; --npm-registry local installs it (once) and uses it');
  }
  try {
    return await localRoute(runId, 'auto', signal, log, entry);
  } catch (err) {
    if (signal.aborted) throw err;
    return directRoute('auto', `the local npm proxy did not start (${(err as Error).message.split('\n')[0]}): builds fetch packages directly`);
  }
}

/** The line a run prints for a variant whose Dockerfile takes no registry: it stays direct. */
export function notRoutedWarning(scenario: string, variant: string, o: NpmOptIn): string {
  const where = o.missing.length ? ` (stage${o.missing.length > 1 ? 's' : ''} ${o.missing.join(', ')})` : '';
  return `stagebench: warning: ${scenario}/${variant} fetches npm packages directly${where}: its Dockerfile takes no registry from the harness. To route it, ${NPM_OPT_IN_HELP}`;
}

