// Finding the engine: an ordered list of strategies, each saying "not me" by returning undefined.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError } from '../errors.ts';
import { DockerEngine } from './docker-engine.ts';
import { redactUrl } from '../net/redact-url.ts';

type Strategy = () => DockerEngine | undefined;

function fromUrl(url: string): DockerEngine {
  const u = new URL(url);
  // The address is what messages and results show: never a user or password the URL carries.
  const address = redactUrl(url);
  if (u.protocol === 'unix:') return DockerEngine.fromOptions({ socketPath: u.pathname }, address);
  if (u.protocol === 'tcp:' || u.protocol === 'http:' || u.protocol === 'https:') {
    const tls = u.protocol === 'https:' || process.env.DOCKER_TLS_VERIFY === '1';
    const certDir = process.env.DOCKER_CERT_PATH;
    return DockerEngine.fromOptions(
      {
        host: u.hostname,
        port: Number(u.port || (tls ? 2376 : 2375)),
        protocol: tls ? 'https' : 'http',
        ...(tls && certDir ? { ca: join(certDir, 'ca.pem'), cert: join(certDir, 'cert.pem'), key: join(certDir, 'key.pem') } : {}),
      },
      address,
    );
  }
  if (u.protocol === 'ssh:') {
    return DockerEngine.fromOptions(
      { protocol: 'ssh', host: u.hostname, port: Number(u.port || 22), username: u.username || undefined, sshOptions: { agent: process.env.SSH_AUTH_SOCK } } as object,
      address,
    );
  }
  throw new EnvironmentError(`DOCKER_HOST=${address}: unsupported scheme '${u.protocol}'; use unix://, tcp:// or ssh://`);
}

const socketAt = (path: string): Strategy => () => (existsSync(path) ? DockerEngine.fromOptions({ socketPath: path }, `unix://${path}`) : undefined);

const SOCKETS: Strategy[] = [
  socketAt('/var/run/docker.sock'),
  socketAt(join(homedir(), '.docker/run/docker.sock')),
  socketAt(join(homedir(), '.docker/desktop/docker.sock')),
];

/**
 * Where to look, in order. A DOCKER_HOST is the only candidate, as for the docker CLI: falling back to a local socket
 * when the named engine is down would measure another machine than the one asked for, and say nothing.
 */
export function engineStrategies(env: NodeJS.ProcessEnv = process.env): Strategy[] {
  const host = env.DOCKER_HOST;
  return host ? [() => fromUrl(host)] : SOCKETS;
}

/** The first engine that answers; EnvironmentError (exit 3) when none does. */
export async function connectEngine(): Promise<DockerEngine> {
  const tried: string[] = [];
  for (const strategy of engineStrategies()) {
    const engine = strategy();
    if (!engine) continue;
    try {
      await engine.ping();
      return engine;
    } catch (err) {
      tried.push(`${engine.address} (${(err as Error).message})`);
    }
  }
  if (process.env.DOCKER_HOST) {
    throw new EnvironmentError(`no Docker engine answers at ${tried.join(', ')}: DOCKER_HOST names it. Start that engine, or give another (unset DOCKER_HOST to use the local socket).`);
  }
  throw new EnvironmentError(
    `no Docker engine answers${tried.length ? `: tried ${tried.join(', ')}` : ' (no DOCKER_HOST, no socket found)'}. ` +
      "Run 'npm run setup' (it installs and starts one on Debian as root), start Docker Desktop, or set DOCKER_HOST.",
  );
}

/** An engine at a given URL without the fallbacks (the deploy target for pulls). */
export function engineAt(url: string): DockerEngine {
  return fromUrl(url);
}
