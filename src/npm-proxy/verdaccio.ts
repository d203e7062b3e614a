// The local npm registry proxy of --npm-registry local: Verdaccio, installed on first use into stagebench's cache
// folder (pinned, integrity-checked by npm ci against bench/npm-proxy/package-lock.json), started per run on
// 127.0.0.1 with its config, storage and log in a private (0700) folder of the run, uplinked to the registry the
// machine's npm config names (through the machine's CA bundle), and stopped and removed at the end.
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, closeSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError } from '../errors.ts';
import { freePort, waitFor } from '../net/free-port.ts';
import { runTool, startDaemon, toolFailure, type Daemon } from '../tools/exec.ts';
import { ROOT } from '../version.ts';
import { countRequests, verdaccioConfig } from './route.ts';

export const VERDACCIO_VERSION = '6.8.0';

/** In the run's proxy folder: the proxy's pid, for `stagebench clean`. */
export const PID_FILE = 'proxy.pid';

/** stagebench's cache folder: $STAGEBENCH_CACHE, else $XDG_CACHE_HOME/stagebench, else ~/.cache/stagebench. */
export function cacheHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.STAGEBENCH_CACHE) return env.STAGEBENCH_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'stagebench');
}

export function proxyInstallDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheHome(env), `verdaccio-${VERDACCIO_VERSION}`);
}

function entryOf(dir: string): string {
  return join(dir, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
}

/** The installed proxy's entry script, or undefined when it is not installed (or installed half). */
export function installedProxy(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = proxyInstallDir(env);
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'node_modules', 'verdaccio', 'package.json'), 'utf8')) as { version?: unknown };
    return pkg.version === VERDACCIO_VERSION && existsSync(entryOf(dir)) ? entryOf(dir) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Installs the proxy once: npm ci of the pinned manifest in a fresh folder beside the final one, renamed into place
 * when complete, so an interrupted install leaves no half-installed proxy that looks whole.
 */
export async function installProxy(signal: AbortSignal, log: (line: string) => void): Promise<string> {
  const ready = installedProxy();
  if (ready) return ready;
  const home = cacheHome();
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const part = mkdtempSync(join(home, `verdaccio-${VERDACCIO_VERSION}.part-`));
  try {
    for (const f of ['package.json', 'package-lock.json']) cpSync(join(ROOT, 'bench', 'npm-proxy', f), join(part, f));
    log(`stagebench: installing the npm proxy (Verdaccio ${VERDACCIO_VERSION}, pinned with its lockfile) into ${proxyInstallDir()}: once, a few minutes`);
    // --ignore-scripts: none of the proxy's packages needs an install script to run, and none is given the chance.
    const run = await runTool('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: part, signal, timeoutMs: 20 * 60_000 });
    if (!run.ok) {
      throw new EnvironmentError(`${toolFailure(`installing the npm proxy (Verdaccio ${VERDACCIO_VERSION}) failed`, run)}\nRun with --npm-registry direct to build without it.`);
    }
    const final = proxyInstallDir();
    if (installedProxy()) return entryOf(final);
    rmSync(final, { recursive: true, force: true });
    renameSync(part, final);
    const entry = installedProxy();
    if (!entry) throw new EnvironmentError(`the npm proxy was installed into ${final}, but its verdaccio ${VERDACCIO_VERSION} is not there`);
    return entry;
  } finally {
    rmSync(part, { recursive: true, force: true });
  }
}

/** The machine's npm config, read at run time: the registry to uplink to, its CA bundle and HTTPS proxy. */
export interface MachineNpm {
  registry: string;
  cafile: string | undefined;
  httpsProxy: string | undefined;
}

export async function machineNpm(): Promise<MachineNpm> {
  const get = async (key: string): Promise<string | undefined> => {
    const r = await runTool('npm', ['config', 'get', key], { timeoutMs: 30_000 });
    const v = r.stdout.trim();
    return r.ok && v && v !== 'null' && v !== 'undefined' ? v : undefined;
  };
  const registry = await get('registry');
  if (!registry) throw new EnvironmentError("'npm config get registry' gave no registry: the npm proxy has nothing to uplink to; is npm installed?");
  return { registry, cafile: (await get('cafile')) ?? process.env.NODE_EXTRA_CA_CERTS, httpsProxy: await get('https-proxy') };
}

export interface LocalNpmProxy {
  /** http://127.0.0.1:PORT/ */
  url: string;
  address: string;
  /** The run's private folder: config, storage, log, the npmrc secret. */
  dir: string;
  logFile: string;
  version: string;
  /** Where the log ends now. */
  mark(): number;
  /** Requests the proxy answered since the mark. */
  requestsSince(mark: number): Promise<number>;
  stop(): Promise<void>;
}

function readFrom(file: string, offset: number): string {
  const size = existsSync(file) ? statSync(file).size : 0;
  if (size <= offset) return '';
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(size - offset);
    readSync(fd, buf, 0, buf.length, offset);
    return buf.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

export async function startLocalProxy(runId: string, entry: string, npm: MachineNpm, signal?: AbortSignal): Promise<LocalNpmProxy> {
  // mkdtemp makes the folder 0700: only its owner reads the storage, the config and the log. Its name carries the
  // run id, so that `stagebench clean` finds it, and the proxy process by its config path, after a kill -9.
  const dir = mkdtempSync(join(tmpdir(), `stagebench-npm-${runId}-`));
  chmodSync(dir, 0o700);
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const cfg = join(dir, 'config.yaml');
  const logFile = join(dir, 'verdaccio.log');
  writeFileSync(cfg, verdaccioConfig({ dir, uplink: npm.registry, httpsProxy: npm.httpsProxy }), { mode: 0o600 });
  let daemon: Daemon | undefined;
  try {
    // Node's https reads NODE_EXTRA_CA_CERTS at start: the uplink trusts the CA bundle npm is configured with (a
    // TLS-intercepting proxy's certificate, on machines that have one).
    daemon = startDaemon(process.execPath, [entry, '--config', cfg, '--listen', address], logFile, {
      env: npm.cafile ? { NODE_EXTRA_CA_CERTS: npm.cafile } : {},
    });
    // Verdaccio renames its process ('verdaccio'): its command line no longer names the folder, so `stagebench
    // clean` finds it after a kill -9 by this file.
    if (daemon.pid !== undefined) writeFileSync(join(dir, PID_FILE), `${daemon.pid}\n`, { mode: 0o600 });
    let dead = false;
    void daemon.exited.then(() => {
      dead = true;
    });
    const up = await waitFor(async () => dead || signal?.aborted === true || (await fetch(`http://${address}/-/ping`)).status === 200, 90_000, 200);
    if (signal?.aborted) throw signal.reason ?? new Error('interrupted');
    if (!up || dead) {
      const tail = readFrom(logFile, 0).split('\n').slice(-15).join('\n');
      throw new EnvironmentError(`the npm proxy (Verdaccio ${VERDACCIO_VERSION}) did not answer on ${address} within 90 s\n${tail}\nRun with --npm-registry direct to build without it.`);
    }
  } catch (err) {
    await daemon?.stop(3000);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url: `http://${address}/`,
    address,
    dir,
    logFile,
    version: `verdaccio ${VERDACCIO_VERSION}`,
    mark: () => (existsSync(logFile) ? statSync(logFile).size : 0),
    async requestsSince(mark) {
      // The logger writes asynchronously: a request answered a moment ago may reach the file a moment later.
      let n = countRequests(readFrom(logFile, mark));
      for (let i = 0; n === 0 && i < 10; i++) {
        await new Promise((r) => setTimeout(r, 100));
        n = countRequests(readFrom(logFile, mark));
      }
      return n;
    },
    async stop() {
      await daemon?.stop(5000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
