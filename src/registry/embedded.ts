// The embedded registry: a real Distribution registry on 127.0.0.1, a free port, and a storage folder of its own
// inside a private (0700) folder. A cold push gets a fresh, empty storage folder. Stopped and removed at the end.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError } from '../errors.ts';
import { freePort, waitFor } from '../net/free-port.ts';
import type { RegistryService } from './service.ts';
import { findOnPath, startDaemon, type Daemon } from '../tools/exec.ts';
import type { RunInfo } from '../types.ts';
import { fetchManifest } from './manifest.ts';

export const REGISTRY_BINARIES = ['docker-registry', 'registry'];

export async function findRegistryBinary(): Promise<string | undefined> {
  for (const name of REGISTRY_BINARIES) {
    const p = await findOnPath(name);
    if (p) return p;
  }
  return undefined;
}

function config(port: number, storage: string): string {
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${storage}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    '',
  ].join('\n');
}

export interface EmbeddedRegistry extends RegistryService {
  stop(): Promise<void>;
  info: RunInfo['registry'];
  /** The private folder (config, storage, log): removed by stop(). */
  dir: string;
}

export async function startEmbeddedRegistry(runId: string): Promise<EmbeddedRegistry> {
  const binary = await findRegistryBinary();
  if (!binary) {
    throw new EnvironmentError(
      "the push and pull phases need a registry: no 'docker-registry' or 'registry' binary on PATH. Run 'npm run setup' " +
        '(it installs Debian\'s docker-registry), install Distribution, or point --registry at an existing registry.',
    );
  }
  // mkdtemp makes the folder 0700: only its owner can read the storage or the config.
  const dir = mkdtempSync(join(tmpdir(), `stagebench-registry-${runId}-`));
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const cfg = join(dir, 'config.yml');
  const log = join(dir, 'registry.log');
  let generation = 0;
  let daemon: Daemon | undefined;

  const start = async () => {
    generation += 1;
    const storage = join(dir, `storage-${generation}`);
    mkdirSync(storage);
    writeFileSync(cfg, config(port, storage));
    daemon = startDaemon(binary, ['serve', cfg], log);
    const up = await waitFor(async () => (await fetch(`http://${address}/v2/`)).status === 200, 15_000);
    if (!up) {
      await daemon.stop(1000);
      throw new EnvironmentError(`the embedded registry (${binary}) did not answer on ${address} within 15 s; see ${log}`);
    }
    return storage;
  };
  let storage = await start();

  return {
    kind: 'embedded',
    prefix: address,
    auth: undefined,
    dir,
    info: { kind: 'embedded', address },
    async reset() {
      await daemon?.stop(5000);
      rmSync(storage, { recursive: true, force: true });
      storage = await start();
      return true;
    },
    repository: (scenario) => `stagebench/${scenario}`,
    manifest: (repo, tag) => fetchManifest(`http://${address}`, repo, tag, undefined),
    async stop() {
      await daemon?.stop(5000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
