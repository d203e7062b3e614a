// An existing registry named by --registry HOST[:PORT][/NS], with the user's Docker credentials. The credentials
// are handed to the engine and the registry API only: never printed, logged, or written to results.
import { existsSync, readFileSync } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import type { RegistryAuth } from '../engine/engine.ts';
import type { RegistryService } from './service.ts';
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

/** The host of HOST[:PORT], without the brackets of an IPv6 literal ([::1]:5000 -> ::1). */
export function hostOf(hostPort: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hostPort);
  if (bracketed) return bracketed[1];
  return hostPort.replace(/:\d+$/, '');
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Whether an IP address (not a name) is a loopback address; IPv4-mapped IPv6 (::ffff:127.0.0.1) counts. */
export function isLoopbackAddress(ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return LOOPBACK.check(mapped[1], 'ipv4');
  const family = isIP(ip);
  if (family === 4) return LOOPBACK.check(ip, 'ipv4');
  if (family === 6) return LOOPBACK.check(ip, 'ipv6');
  return false;
}

export type Resolver = (name: string) => Promise<string[]>;

const resolveAll: Resolver = async (name) => (await lookup(name, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Whether HOST[:PORT] is this machine's loopback: an IP address in 127.0.0.0/8 or ::1, or a name every address of
 * which is one. Decided on addresses, never on how the name looks: '127.evil.example.com' is whatever it resolves to.
 * A name that does not resolve is not loopback.
 */
export async function isLoopback(hostPort: string, resolver: Resolver = resolveAll): Promise<boolean> {
  const host = hostOf(hostPort);
  if (isIP(host) || /^::ffff:/i.test(host)) return isLoopbackAddress(host);
  let addresses: string[];
  try {
    addresses = await resolver(host);
  } catch {
    return false;
  }
  return addresses.length > 0 && addresses.every(isLoopbackAddress);
}

/** A credential helper's answer, or undefined when it is not the JSON object the protocol defines. */
export function helperCredentials(stdout: string): { Username: string; Secret: string } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    return undefined;
  }
  const c = parsed as { Username?: unknown; Secret?: unknown } | null;
  return c && typeof c.Username === 'string' && typeof c.Secret === 'string' ? { Username: c.Username, Secret: c.Secret } : undefined;
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
      const c = helperCredentials(r.stdout);
      if (!c) {
        // What the helper printed may be the secret itself: its length is all an error may say of it.
        throw new UsageError(
          `docker-credential-${helper} get for ${host} printed ${r.stdout.length} byte(s) that are not its JSON answer ({"Username": ..., "Secret": ...}); ` +
            `the output is not shown as it may hold a secret. Check the helper with 'echo ${host} | docker-credential-${helper} get', or remove it from ${file}.`,
        );
      }
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
  const plainHttp = insecure || (await isLoopback(spec.host));
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
