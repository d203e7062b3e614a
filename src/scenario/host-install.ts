// Package-manager runs on the host (init's dependency change, the npm proxy warm-up, the developer folder of the
// build-context phases). An app folder is untrusted input: its .npmrc can name the program npm runs as git, its
// .yarnrc.yml a yarnPath or plugins, its .pnpmfile.cjs code pnpm loads. So these runs see a private copy of the
// manifest and lockfile only, and the manager's config comes from the command line and a file of ours
// (docs/trust.md).
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { UsageError } from '../errors.ts';
import { authLinesFor } from '../net/registry-auth.ts';
import { runTool } from '../tools/exec.ts';
import type { PackageManager } from './package-manager.ts';

/** A manifest or lockfile larger than this is not one: refuse it rather than read a device or fill memory. */
export const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

/** corepack's packageManager values that name a published release; a URL there would download a program to run. */
const PACKAGE_MANAGER_FIELD = /^(npm|yarn|pnpm)@\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+sha(1|224|256|384|512)\.[0-9a-f]+)?$/;

/** Git transports a dependency may use; `ext::` and friends run commands. */
const GIT_PROTOCOLS = 'https:http:ssh:git';

/** Reads a regular file without following a link at its path, and without blocking on a FIFO. */
export function readPlainFile(file: string, what: string): Buffer {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new UsageError(`${file} (${what}) is a symbolic link; stagebench reads it only as a plain file: replace the link with the file`);
    throw new UsageError(`cannot read ${file} (${what}): ${code ?? String(err)}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UsageError(`${file} (${what}) is not a regular file; replace it with the file`);
    if (st.size > MAX_MANIFEST_BYTES) throw new UsageError(`${file} (${what}) is ${st.size} bytes, more than a manifest or lockfile ever is (${MAX_MANIFEST_BYTES}); check the file`);
    const buf = Buffer.alloc(st.size);
    let at = 0;
    while (at < st.size) {
      const n = readSync(fd, buf, at, st.size - at, at);
      if (n === 0) break;
      at += n;
    }
    return buf.subarray(0, at);
  } finally {
    closeSync(fd);
  }
}

/** A refusal when package.json's packageManager is not a plain `name@version[+hash]` corepack fetches from npm. */
export function packageManagerFieldProblem(pkg: Record<string, unknown>): string | undefined {
  const field = pkg.packageManager;
  if (field === undefined || (typeof field === 'string' && PACKAGE_MANAGER_FIELD.test(field))) return undefined;
  return `package.json "packageManager": ${JSON.stringify(field)} is not a released version (name@x.y.z): corepack would fetch and run a program from where it points; write e.g. "pnpm@9.15.0"`;
}

export interface HostCommand {
  file: string;
  args: string[];
  env: Record<string, string>;
}

/**
 * The command and environment that run `args` of `pm` in a private copy whose config file (ours) is `rc`: npm and
 * pnpm read no project or user config but `rc`, npm's git is git from PATH, yarn ignores yarnPath, plugins and
 * scripts, pnpm ignores .pnpmfile.cjs and workspace files. Pure.
 */
export function hostCommand(pm: PackageManager, args: string[], rc: string, yarnRcName: string, version?: string): HostCommand {
  const bin = version ? `${pm.bin}@${version}` : pm.bin;
  const env: Record<string, string> = {
    COREPACK_ENABLE_DOWNLOAD_PROMPT: '0',
    CI: '1',
    GIT_ALLOW_PROTOCOL: GIT_PROTOCOLS,
    npm_config_userconfig: rc,
    npm_config_git: 'git',
    npm_config_ignore_scripts: 'true',
  };
  const noScripts = args.includes('--ignore-scripts') ? [] : ['--ignore-scripts'];
  if (pm.name === 'npm') return { file: 'npm', args: [...args, `--userconfig=${rc}`, '--git=git', ...noScripts], env };
  if (pm.name === 'pnpm') return { file: 'corepack', args: [bin, ...args, '--ignore-pnpmfile', '--ignore-workspace', ...noScripts], env };
  // yarn classic reads .yarnrc and .npmrc in every parent folder: --no-default-rc stops that, --use-yarnrc names ours.
  // yarn berry reads YARN_RC_FILENAME in every parent folder and the home folder: a random name only ours carries.
  Object.assign(env, { YARN_IGNORE_PATH: '1', YARN_ENABLE_SCRIPTS: '0', YARN_RC_FILENAME: yarnRcName, YARN_NODE_LINKER: 'node-modules' });
  const classic = pm.name === 'yarn-classic' ? ['--no-default-rc', '--use-yarnrc', rc] : [];
  return { file: 'corepack', args: [bin, ...args, ...classic], env };
}

/** The registry the user's own config names (read outside any app folder), for our config file. */
export interface RegistryConfig {
  registry?: string;
  /** Lines of the user's config with credentials for that registry (`//host/path/:_authToken=...`). */
  authLines?: string[];
}

export function rcText(pm: PackageManager, config: RegistryConfig): string {
  if (pm.name === 'yarn-berry') return config.registry ? `npmRegistryServer: ${JSON.stringify(config.registry)}\n` : '';
  if (pm.name === 'yarn-classic') return config.registry ? `registry ${JSON.stringify(config.registry)}\n` : '';
  return [...(config.registry ? [`registry=${config.registry}`] : []), ...(config.authLines ?? []), ''].join('\n');
}

export interface PrivateCopy {
  /** The folder the manager runs in: the manifest and lockfile, and nothing else of the app's. */
  dir: string;
  /** `version`: the release corepack runs when package.json names none (yarn berry's .yarn/releases). */
  command(pm: PackageManager, args: string[], config?: RegistryConfig, version?: string): HostCommand;
  remove(): void;
}

/**
 * Copies `files` (relative names, e.g. package.json and the lockfile; missing ones are skipped) of `appDir` into a
 * new private folder under `parent`. A link or a special file at one of those names is refused with a UsageError, as
 * is a packageManager field that is no released version.
 */
export function privateCopy(appDir: string, files: readonly string[], parent = tmpdir()): PrivateCopy {
  const root = mkdtempSync(join(parent, 'stagebench-install-'));
  const dir = join(root, 'app');
  const rc = join(root, 'stagebench-rc');
  const yarnRcName = `.stagebench-rc-${basename(root).slice(-6)}.yml`;
  try {
    mkdirSync(dir, { mode: 0o700 });
    for (const f of files) {
      if (!lexists(join(appDir, f))) continue;
      const content = readPlainFile(join(appDir, f), f);
      if (f === 'package.json') {
        const problem = packageManagerFieldProblem(parseObject(content, join(appDir, f)));
        if (problem) throw new UsageError(`${join(appDir, f)}: ${problem}`);
      }
      writeFileSync(join(dir, f), content, { flag: 'wx', mode: 0o600 });
    }
  } catch (err) {
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
  return {
    dir,
    command(pm, args, config = {}, version) {
      rmSync(rc, { force: true });
      writeFileSync(rc, rcText(pm, config), { flag: 'wx', mode: 0o600 });
      if (pm.name === 'yarn-berry') {
        rmSync(join(dir, yarnRcName), { force: true });
        writeFileSync(join(dir, yarnRcName), rcText(pm, config), { flag: 'wx', mode: 0o600 });
      }
      return hostCommand(pm, args, rc, yarnRcName, version);
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

function lexists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function parseObject(content: Buffer, file: string): Record<string, unknown> {
  try {
    const v = JSON.parse(content.toString('utf8')) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch (err) {
    throw new UsageError(`${file}: not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * The registry of the user's own npm config and its credential lines, asked of npm in an empty folder of ours (so no
 * app's .npmrc takes part): what our config file carries over for the dependency change and the developer folder.
 */
export async function userRegistryConfig(signal?: AbortSignal): Promise<RegistryConfig> {
  const neutral = mkdtempSync(join(tmpdir(), 'stagebench-npmconfig-'));
  try {
    const get = (key: string) => runTool('npm', ['config', 'get', key], { cwd: neutral, timeoutMs: 30_000, signal });
    const [registry, userconfig] = await Promise.all([get('registry'), get('userconfig')]);
    const url = registry.ok ? registry.stdout.trim() : '';
    if (!url || !/^https?:\/\//.test(url)) return {};
    const file = userconfig.ok ? userconfig.stdout.trim() : '';
    let text = '';
    try {
      text = file ? readPlainFile(file, 'your npm user config').toString('utf8') : '';
    } catch {
      text = '';
    }
    return { registry: url, authLines: authLinesFor(text, url) };
  } finally {
    rmSync(neutral, { recursive: true, force: true });
  }
}

/**
 * The yarn berry release corepack runs when package.json names none: the one the app keeps in .yarn/releases (what its
 * yarnPath pointed to, which the private copy ignores), else yarn's stable line. Undefined when packageManager says.
 */
export function yarnReleaseVersion(appDir: string, pkg: Record<string, unknown> | string): string | undefined {
  const manifest = typeof pkg === 'string' ? (JSON.parse(pkg) as Record<string, unknown>) : pkg;
  if (manifest.packageManager !== undefined) return undefined;
  let names: string[] = [];
  try {
    names = readdirSync(join(appDir, '.yarn', 'releases'));
  } catch {
    names = [];
  }
  const m = names.map((n) => /^yarn-(\d+\.\d+\.\d+)\.c?js$/.exec(n)).find((x) => x);
  return m ? m[1] : 'stable';
}
