// stagebench doctor: what this machine has for a run, and what to do about what it lacks.
import { connectEngine } from '../engine/connect.ts';
import { EXIT, StagebenchError } from '../errors.ts';
import { loadProfile, missingImages } from '../profile/profile.ts';
import { findRegistryBinary } from '../registry/embedded.ts';
import { canStartEmbeddedTarget } from '../registry/target-engine.ts';
import { installedProxy, proxyInstallDir, VERDACCIO_VERSION } from '../npm-proxy/verdaccio.ts';
import { findOnPath, runTool } from '../tools/exec.ts';
import type { Command } from './command.ts';

export interface Check {
  name: string;
  ok: boolean;
  /** What was found, or what is missing. */
  detail: string;
  /** What to do when not ok. */
  fix?: string;
  /** A missing optional part: reported, but does not fail the doctor. */
  optional?: boolean;
}

export function formatChecks(checks: Check[]): string {
  const width = Math.max(...checks.map((c) => c.name.length));
  return checks
    .map((c) => {
      const mark = c.ok ? 'ok  ' : c.optional ? 'warn' : 'FAIL';
      return `${mark}  ${c.name.padEnd(width)}  ${c.detail}${!c.ok && c.fix ? `\n      ${' '.repeat(width)}  -> ${c.fix}` : ''}`;
    })
    .join('\n');
}

async function engineChecks(): Promise<Check[]> {
  let engine;
  try {
    engine = await connectEngine();
  } catch (err) {
    return [{ name: 'engine', ok: false, detail: (err as StagebenchError).message, fix: "run 'npm run setup'" }];
  }
  const info = await engine.info();
  const checks: Check[] = [
    { name: 'engine', ok: true, detail: `Docker ${info.version} (API ${info.apiVersion}) at ${engine.address}; ${info.cpus} CPUs, ${(info.memoryBytes / 2 ** 30).toFixed(1)} GiB; ${info.storageDriver}` },
  ];
  const [major] = info.apiVersion.split('.').map(Number);
  const minor = Number(info.apiVersion.split('.')[1]);
  const buildkit = major > 1 || minor >= 39;
  checks.push({
    name: 'buildkit',
    ok: buildkit,
    detail: buildkit ? 'the engine API serves BuildKit builds (version 2)' : `API ${info.apiVersion} is too old for BuildKit through the API`,
    fix: 'upgrade the engine, or run with --builder legacy',
  });
  const profiles: string[] = [];
  for (const name of ['online', 'offline'] as const) {
    const missing = await missingImages(engine, loadProfile(name));
    profiles.push(missing.length ? `${name}: missing ${missing.join(', ')}` : `${name}: all base images present`);
    if (missing.length === 0) {
      checks.push({ name: 'profile', ok: true, detail: `--profile auto would use '${name}' (${profiles.join('; ')})` });
      return checks;
    }
  }
  checks.push({ name: 'profile', ok: false, detail: profiles.join('; '), fix: "run 'npm run setup' (pulls the official images, or builds offline stand-ins)" });
  return checks;
}

async function scannerCheck(): Promise<Check> {
  for (const tool of ['trivy', 'grype']) {
    const path = await findOnPath(tool);
    if (path) {
      const v = await runTool(tool, ['version'], { timeoutMs: 15_000 });
      return { name: 'scanner', ok: true, detail: `${tool} at ${path}: ${v.stdout.split('\n')[0] ?? ''}`.trim() };
    }
  }
  return {
    name: 'scanner', ok: true, optional: true,
    detail: 'neither trivy nor grype on PATH: --scanner auto uses the built-in scanner (packages and hygiene; vulnerabilities with --vuln-db)',
  };
}

export async function doctorChecks(): Promise<Check[]> {
  const checks = await engineChecks();
  const registry = await findRegistryBinary();
  checks.push(registry
    ? { name: 'registry', ok: true, detail: `${registry} (the embedded registry for push and pull phases)` }
    : { name: 'registry', ok: false, optional: true, detail: 'no docker-registry or registry binary', fix: "run 'npm run setup', or give --registry HOST for push and pull" });
  const target = await canStartEmbeddedTarget();
  checks.push(target
    ? { name: 'pull target', ok: false, optional: true, detail: `no embedded deploy target: ${target}`, fix: 'give --pull-target DOCKER_HOST_URL for cold pulls' }
    : { name: 'pull target', ok: true, detail: 'a second dockerd can be started as a clean deploy target for pulls' });
  checks.push(await scannerCheck());
  checks.push(npmProxyCheck());
  return checks;
}

/** What --npm-registry auto would use. Starting the proxy takes seconds and a port, so it is not started here. */
function npmProxyCheck(): Check {
  const entry = installedProxy();
  return entry
    ? { name: 'npm proxy', ok: true, detail: `Verdaccio ${VERDACCIO_VERSION} installed in ${proxyInstallDir()}: --npm-registry auto builds through a local proxy, warmed untimed` }
    : {
      name: 'npm proxy', ok: false, optional: true,
      detail: `not installed (${proxyInstallDir()}): --npm-registry auto fetches npm packages directly, so cold builds include the network`,
      fix: `run once with --npm-registry local (installs Verdaccio ${VERDACCIO_VERSION}, pinned, then uses it)`,
    };
}

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'check the engine, BuildKit, base images, registry binary and scanners',
  help: `Usage: stagebench doctor

Checks what a run needs: the Docker engine (and its version), BuildKit through the API, which base image profile
--profile auto would use, the registry binary of the embedded registry, whether a second engine can be started as
the deploy target for pulls, which scanners are on PATH, and whether the local npm proxy is installed. Each missing part says what to do.
Exit codes: 0 ready, 3 something a run needs is missing.`,
  async run(argv) {
    if (argv.length) {
      console.error(`stagebench doctor: takes no arguments, got '${argv[0]}'`);
      return EXIT.usage;
    }
    const checks = await doctorChecks();
    console.log(formatChecks(checks));
    return checks.some((c) => !c.ok && !c.optional) ? EXIT.environment : EXIT.ok;
  },
};
