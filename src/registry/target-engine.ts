// The deploy target for pulls: a second Docker engine with its own data root, its socket in a private (0700)
// folder, emptied before each cold pull, stopped and removed at the end. A pull into the engine that built the
// image is never cold (every layer is already there).
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError } from '../errors.ts';
import type { Engine } from '../engine/engine.ts';
import { LABEL_SCENARIO } from '../engine/labels.ts';
import { engineAt } from '../engine/connect.ts';
import { waitFor } from '../net/free-port.ts';
import type { PullTarget } from './service.ts';
import { findOnPath, runTool, startDaemon } from '../tools/exec.ts';
import { unmountUnder } from '../tools/mounts.ts';
import { redactUrl } from '../net/redact-url.ts';
import type { RunInfo } from '../types.ts';

export type ManagedTarget = PullTarget & { stop(): Promise<void>; info: RunInfo['pull_target']; dir?: string; note?: string };

async function emptyEngine(engine: Engine): Promise<void> {
  for (const id of await engine.allImageIds()) await engine.removeImage(id);
}

/** On an engine that is not ours, only what stagebench pulled goes; a pull that is then not cold fails its check. */
async function removePulled(engine: Engine): Promise<void> {
  for (const id of await engine.imagesWithLabels({ [LABEL_SCENARIO]: '' })) await engine.removeImage(id);
}

export async function canStartEmbeddedTarget(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'a second engine needs root';
  if (!(await findOnPath('dockerd'))) return 'no dockerd binary on PATH';
  return undefined;
}

/**
 * A unix socket's path holds 107 bytes on Linux (103 elsewhere); containerd's longest (containerd.sock.ttrpc) lies
 * four levels below the folder. The first round's /work/engines/NAME/tmp made it 108 bytes, and the engine never came up.
 */
const SOCKET_PATH_MAX = 103;

/**
 * Where the deploy-target engine's folder goes: the temp folder, unless containerd's socket paths would not fit under
 * it (a long TMPDIR), then /tmp, which `stagebench clean` also searches. Pure.
 */
export function targetBase(runId: string, tmp = tmpdir()): string {
  const socket = join(tmp, `stagebench-target-${runId}-XXXXXX`, 'exec', 'containerd', 'containerd.sock.ttrpc');
  return Buffer.byteLength(socket) <= SOCKET_PATH_MAX ? tmp : '/tmp';
}

export async function startEmbeddedTarget(runId: string): Promise<ManagedTarget> {
  const why = await canStartEmbeddedTarget();
  if (why) throw new EnvironmentError(`cannot start the deploy-target engine for pulls: ${why}. Use --pull-target DOCKER_HOST_URL to pull into another engine.`);
  const dir = mkdtempSync(join(targetBase(runId), `stagebench-target-${runId}-`));
  const sock = join(dir, 'docker.sock');
  for (const d of ['data', 'exec']) mkdirSync(join(dir, d));
  const log = join(dir, 'dockerd.log');
  const daemon = startDaemon('dockerd', [
    '--data-root', join(dir, 'data'),
    '--exec-root', join(dir, 'exec'),
    '-H', `unix://${sock}`,
    '--pidfile', join(dir, 'dockerd.pid'),
    '--bridge=none', '--iptables=false', '--ip-masq=false',
    '--log-level=warn',
  ], log);
  const engine = engineAt(`unix://${sock}`);
  const up = await waitFor(async () => {
    await engine.ping();
    return true;
  }, 30_000, 200);
  if (!up) {
    await daemon.stop(3000);
    await unmountUnder(dir);
    const tail = await runTool('tail', ['-n', '20', log]);
    rmSync(dir, { recursive: true, force: true });
    throw new EnvironmentError(`the deploy-target engine did not answer within 30 s:\n${tail.stdout}`);
  }
  return {
    kind: 'embedded',
    engine,
    dir,
    info: { kind: 'embedded', address: `unix://${sock}` },
    empty: () => emptyEngine(engine),
    async stop() {
      await daemon.stop(15_000);
      await unmountUnder(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function externalTarget(url: string): Promise<ManagedTarget> {
  const engine = engineAt(url);
  try {
    await engine.ping();
  } catch (err) {
    throw new EnvironmentError(`--pull-target ${redactUrl(url)}: no engine answers there (${(err as Error).message})`);
  }
  return {
    kind: 'external',
    engine,
    info: { kind: 'external', address: redactUrl(url) },
    empty: () => removePulled(engine),
    async stop() {},
  };
}

/**
 * Where no second engine can run (Docker Desktop, no root): pulls go into the building engine, emptied of this
 * scenario's images first. The base images it builds on stay, so a cold pull there usually finds their layers, and
 * the honesty check fails it with that reason rather than report a fast pull as cold.
 */
export function buildingEngineTarget(engine: Engine, why: string): ManagedTarget {
  return {
    kind: 'building-engine',
    engine,
    info: { kind: 'building-engine', address: engine.address },
    empty: () => removePulled(engine),
    async stop() {},
    note: `no second engine for cold pulls (${why}): pulling into the building engine, where layers of the base images are already present; cold pulls that find them fail their check. Use --pull-target DOCKER_HOST_URL for clean pulls.`,
  };
}
