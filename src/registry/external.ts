// An existing registry named by --registry HOST[:PORT][/NS], with the user's Docker credentials. The credentials
// are handed to the engine and the registry API only: never printed, logged, or written to results.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import type { RegistryAuth } from '../engine/engine.ts';
import type { RegistryService } from '../phases/phase.ts';
import { runTool } from '../tools/exec.ts';
import type { RunInfo } from '../types.ts';
import { fetchManifest } from './manifest.ts';

export interface ExternalRegistrySpec {
  host: string;
  namespace: string;
}

export function parseRegistry(value: string): ExternalRegistrySpec {
  const slash = value.indexOf('/');
  return slash < 0 ? { host: value, namespace: '' } : { host: value.slice(0, slash), namespace: value.slice(slash + 1).replace(/\/$/, '') };
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/:\d+$/, '');
  return h === 'localhost' || /^127\./.test(h) || h === '[::1]';
}

/** Credentials for host from ~/.docker/config.json (auths, credHelpers, credsStore), or undefined. */
export async function dockerCredentials(host: string, configDir = process.env.DOCKER_CONFIG ?? join(homedir(), '.docker')): Promise<RegistryAuth | undefined> {
  const file = join(configDir, 'config.json');
  if (!existsSync(file)) return undefined;
  let cfg: { auths?: Record<string, { auth?: string; identitytoken?: string }>; credHelpers?: Record<string, string>; credsStore?: string };
  try {
    cfg = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new UsageError(`${file} is not valid JSON; fix it or move it away to push without credentials`);
  }
  const helper = cfg.credHelpers?.[host] ?? cfg.credsStore;
  if (helper) {
    const r = await runTool(`docker-credential-${helper}`, ['get'], { input: host, timeoutMs: 15_000 });
    if (r.ok) {
      const c = JSON.parse(r.stdout) as { Username: string; Secret: string };
      return { username: c.Username, password: c.Secret, serveraddress: host };
    }
  }
  const entry = cfg.auths?.[host] ?? cfg.auths?.[`https://${host}`];
  if (entry?.auth) {
    const [username, ...rest] = Buffer.from(entry.auth, 'base64').toString('utf8').split(':');
    return { username, password: rest.join(':'), serveraddress: host };
  }
  return undefined;
}

export async function externalRegistry(value: string, insecure: boolean, runId: string): Promise<RegistryService & { stop(): Promise<void>; info: RunInfo['registry'] }> {
  const spec = parseRegistry(value);
  // Plain HTTP only to loopback, or where the user said so with --registry-insecure.
  const plainHttp = isLoopback(spec.host) || insecure;
  const auth = await dockerCredentials(spec.host);
  const base = `${plainHttp ? 'http' : 'https'}://${spec.host}`;
  let fresh = 0;
  return {
    kind: 'external',
    prefix: spec.namespace ? `${spec.host}/${spec.namespace}` : spec.host,
    auth,
    info: { kind: 'external', address: value },
    // An external registry cannot be emptied; cold pushes go to a repository of their own instead.
    async reset() {
      fresh += 1;
      return false;
    },
    repository(scenario: string, cold: boolean) {
      const name = `stagebench-${scenario}${cold ? `-${runId}-${fresh}` : ''}`;
      return spec.namespace ? `${spec.namespace}/${name}` : name;
    },
    manifest: (repo, tag) => fetchManifest(base, repo, tag, auth),
    async stop() {},
  };
}
