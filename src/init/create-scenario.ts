// `stagebench init`'s actions: copy the app (its .gitignore and .dockerignore respected; never node_modules or .git),
// write the Dockerfiles, .dockerignore and scenario.json, and make the dependency change with the app's own package
// manager in a temporary copy, so the changed lockfile is one that manager wrote.
import { constants, copyFileSync, existsSync, readFileSync, readdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ignore from 'ignore';
import { UsageError } from '../errors.ts';
import { privateCopy, readPlainFile, userRegistryConfig, yarnReleaseVersion } from '../scenario/host-install.ts';
import { corepackHint, pnpmForLockfile, pnpmLockfileVersion } from '../scenario/package-manager.ts';
import { runTool, toolFailure } from '../tools/exec.ts';
import { ignoreMatcher } from '../dockerfile/dockerignore.ts';
import { checkDockerfile } from '../scenario/check.ts';
import type { Profile } from '../types.ts';
import type { AppFacts } from './analyze-app.ts';
import { ensureFolder, walkApp, writeNew, type AppEntry } from './safe-write.ts';
import { distrolessDockerfile, dockerignore, multiDockerfile, NODE_20, ownDockerfile, singleDockerfile, type BaseImages } from './templates.ts';

/** Small, dependency-free packages, pinned: the first the app does not have yet is the dependency change. */
const CHANGE_CANDIDATES = ['ms@2.1.3', 'escape-html@1.0.3', 'depd@2.0.0', 'cors@2.8.5'];

/** A file of the app as text, or null; a link, FIFO or device there reads as null (walkApp then says what it is). */
function readOptional(file: string): string | null {
  try {
    return readPlainFile(file, file).toString('utf8');
  } catch {
    return null;
  }
}

/** Whether the app's .gitignore and .dockerignore leave `rel` out (Dockerfiles and ignore files always stay). */
export function appIgnores(appDir: string): (rel: string, isDir: boolean) => boolean {
  const git = ignore().add(readOptional(join(appDir, '.gitignore')) ?? '');
  const docker = ignoreMatcher(readOptional(join(appDir, '.dockerignore')));
  return (rel, isDir) => {
    // The Dockerfiles and ignore files stay even when the app's .dockerignore lists them: init reads and keeps them.
    if (/(^|\/)(Dockerfile[^/]*|\.dockerignore|\.gitignore)$/.test(rel)) return false;
    return git.ignores(isDir ? `${rel}/` : rel) || docker(rel);
  };
}

/**
 * Checks the app folder before anything is written (walkApp: no special files, no links out among what is copied),
 * then copies its files into `dest`, leaving out what its .gitignore and .dockerignore leave out, and `skip`. Files are
 * created exclusively; a link inside the app is copied as a link, except at a name init writes, where it is copied as
 * the file it points to.
 */
export function copyApp(appDir: string, dest: string, skip: string[] = [], entries?: AppEntry[]): { copied: number; left: string[] } {
  const all = entries ?? walkApp(appDir, appIgnores(appDir), skip);
  const left: string[] = [];
  let copied = 0;
  for (const e of all) {
    if (e.ignored) {
      if (!all.some((o) => o.ignored && e.rel.startsWith(`${o.rel}/`))) left.push(e.rel);
      continue;
    }
    const to = join(dest, e.rel);
    if (e.kind === 'dir') continue;
    ensureFolder(dest, dirname(to));
    if (e.kind === 'link' && !e.dereference) symlinkSync(readlinkSync(join(appDir, e.rel)), to);
    else copyFileSync(join(appDir, e.rel), to, constants.COPYFILE_EXCL);
    copied += 1;
  }
  return { copied, left };
}

/**
 * A pnpm app without packageManager whose lockfile an older pnpm wrote: pins that pnpm in the scenario's copy of
 * package.json (corepack's rule, so the dependency change and every image's `corepack enable` use it), and says why.
 * The app's own folder is never changed. Returns the line to print, or undefined when nothing was pinned.
 */
export function pinPnpm(facts: AppFacts, scenarioDir: string): string | undefined {
  if (facts.packageManager.manager.name !== 'pnpm' || facts.pkg.packageManager !== undefined || !facts.packageManager.lockfile) return undefined;
  const lockText = readOptional(join(scenarioDir, facts.packageManager.lockfile));
  const pin = lockText === null ? undefined : pnpmForLockfile(lockText);
  if (!pin) return undefined;
  const text = readPlainFile(join(scenarioDir, 'package.json'), 'package.json').toString('utf8');
  // Inserted after the opening brace, in the file's own indentation, so the rest of the file stays as the app wrote it.
  const indent = /^\{\r?\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  writeNew(scenarioDir, 'package.json', text.replace(/^\{/, `{\n${indent}"packageManager": "${pin}",`));
  facts.pkg.packageManager = pin;
  const version = pnpmLockfileVersion(lockText ?? '');
  return `pnpm             ${pin} pinned in the scenario's package.json "packageManager" (${facts.packageManager.lockfile} is lockfileVersion ${version}, which corepack's newest pnpm refuses; the app's own package.json is unchanged)`;
}

function declaredNames(pkg: Record<string, unknown>): Set<string> {
  return new Set(['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'].flatMap((k) => Object.keys((pkg[k] as Record<string, unknown> | undefined) ?? {})));
}

export interface DependencyChange {
  spec: string;
  replace: Record<string, string>;
  /** The command that made it, for the summary. */
  command: string;
}

/**
 * Adds a small pinned package with the app's package manager in a temporary copy of its manifests, and keeps the
 * changed package.json and lockfile in DIR/bench-changes/. yarn berry and pnpm run through corepack, as they would in
 * the image.
 */
export async function makeDependencyChange(facts: AppFacts, scenarioDir: string, signal?: AbortSignal): Promise<DependencyChange> {
  const have = declaredNames(facts.pkg);
  const spec = CHANGE_CANDIDATES.find((c) => !have.has(c.slice(0, c.lastIndexOf('@'))));
  if (!spec) throw new UsageError(`stagebench init: the app already depends on every package init adds (${CHANGE_CANDIDATES.join(', ')}); write changes.dependency by hand`);
  const pm = facts.packageManager.manager;
  const lock = facts.packageManager.lockfile;
  // Only the manifest and lockfile go to the private copy, with the manager's own config neutralised: nothing else of
  // the app (an .npmrc naming the program npm runs as git, a yarnPath, a .pnpmfile.cjs) runs on the host.
  const copy = privateCopy(scenarioDir, ['package.json', ...(lock ? [lock] : [])]);
  try {
    const config = await userRegistryConfig(signal);
    const version = pm.name === 'yarn-berry' ? yarnReleaseVersion(scenarioDir, facts.pkg) : undefined;
    const cmd = copy.command(pm, pm.addArgs(spec), config, version);
    const run = await runTool(cmd.file, cmd.args, { cwd: copy.dir, env: cmd.env, timeoutMs: 300_000, signal });
    if (signal?.aborted) throw signal.reason ?? new Error('interrupted');
    if (!run.ok) {
      const hint = corepackHint(run.stderr) ? `\n${corepackHint(run.stderr)}` : '';
      throw new UsageError(`${toolFailure(`stagebench init: adding ${spec} with ${pm.bin} failed`, run)}${hint}\nWrite changes.dependency by hand (README: Adding your own scenario).`);
    }
    const lockOut = lock ?? pm.lockfile;
    const replace: Record<string, string> = {};
    for (const f of ['package.json', lockOut]) {
      if (!existsSync(join(copy.dir, f))) continue;
      writeNew(scenarioDir, `bench-changes/${f}`, readPlainFile(join(copy.dir, f), f));
      replace[f] = `bench-changes/${f}`;
    }
    return { spec, replace, command: run.command };
  } finally {
    copy.remove();
  }
}

export interface WrittenFiles {
  files: string[];
  variants: Record<string, { dockerfile: string; target?: string; description: string }>;
  /** FROM lines of the app's Dockerfile that init turned into profile ARGs. */
  ownReplaced: Array<{ from: string; arg: string }>;
  /** Why Dockerfile.own was written but is no variant (a check error in it, such as a base image no profile sets). */
  ownLeftOut?: string;
}

/** The Dockerfiles and .dockerignore; the app's own .dockerignore is kept, with bench-changes added. */
export function writeDockerFiles(facts: AppFacts, scenarioDir: string, base: BaseImages = NODE_20, profiles: Profile[] = []): WrittenFiles {
  const files: string[] = [];
  const write = (rel: string, text: string) => {
    writeNew(scenarioDir, rel, text);
    files.push(rel);
  };
  const variants: WrittenFiles['variants'] = {};
  let ownReplaced: WrittenFiles['ownReplaced'] = [];
  let ownLeftOut: string | undefined;
  if (facts.ownDockerfile) {
    const own = ownDockerfile(readFileSync(join(facts.dir, facts.ownDockerfile), 'utf8'), base);
    ownReplaced = own.replaced;
    write('Dockerfile.own', own.text);
    // A variant the check rejects (a base image no profile sets, say) would fail the check init ends with, and its
    // builds on a machine that reaches no registry: the file stays for the user to fix and add as a variant.
    const problems = checkDockerfile(own.text, join(scenarioDir, 'Dockerfile.own'), { profiles, node: base.major }).filter((p) => p.severity === 'error');
    if (problems.length === 0) {
      variants.own = { dockerfile: 'Dockerfile.own', description: `the app's own ${facts.ownDockerfile}, base images as profile ARGs` };
    } else {
      // The same message at several lines (two stages on one image) is said once, with its lines.
      const byMessage = new Map<string, number[]>();
      for (const p of problems) byMessage.set(p.message, [...(byMessage.get(p.message) ?? []), ...(p.line ? [p.line] : [])]);
      ownLeftOut = [...byMessage].map(([m, lines]) => `${lines.length ? `line${lines.length > 1 ? 's' : ''} ${lines.join(', ')}: ` : ''}${m}`).join('; ');
    }
  }
  write('Dockerfile.single', singleDockerfile(facts, base));
  write('Dockerfile.multi', multiDockerfile(facts, base));
  write('Dockerfile.distroless', distrolessDockerfile(facts, base));
  write('Dockerfile.multi-same-base', multiDockerfile(facts, base, true));
  variants.single = { dockerfile: 'Dockerfile.single', description: 'single stage on the full node image' };
  variants.multi = { dockerfile: 'Dockerfile.multi', target: 'runner', description: 'builder/runner split' };
  variants.distroless = { dockerfile: 'Dockerfile.distroless', target: 'runner', description: 'builder, then a distroless runner' };
  variants['multi-same-base'] = { dockerfile: 'Dockerfile.multi-same-base', target: 'runner', description: "control for the size split: the builder/runner split on single's base (stages alone, apart from the base swap)" };
  const existing = existsSync(join(scenarioDir, '.dockerignore')) ? readPlainFile(join(scenarioDir, '.dockerignore'), '.dockerignore').toString('utf8') : null;
  if (existing === null) write('.dockerignore', dockerignore(facts.buildScript !== undefined));
  else if (!ignoreMatcher(existing)('bench-changes/package.json')) write('.dockerignore', `${existing.replace(/\n?$/, '\n')}# stagebench init: the dependency change's manifests\nbench-changes\n`);
  return { files, variants, ownReplaced, ...(ownLeftOut !== undefined ? { ownLeftOut } : {}) };
}
