// `stagebench scenarios check`: everything that would make a scenario fail at build time, found before any build,
// and every problem at once. The loader's schema and path checks come first; then each variant's Dockerfile (read
// through dockerfile/instructions.ts, which reads without judging, so the rules the builder enforces are checked here), the
// lockfile against package.json as `npm ci` compares them, the dependency change's manifests, and the .dockerignore.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join, posix, relative, resolve } from 'node:path';
import semver from 'semver';
import { DOCKERFILE_KEYWORDS, readDockerfile, type WrittenArg, type WrittenFrom, type WrittenInstruction } from '../dockerfile/instructions.ts';
import { ignoreMatcher } from '../dockerfile/dockerignore.ts';
import { defaultMajor, imagesFor, profileMajors } from './node-major.ts';
import type { Profile } from '../types.ts';
import { fileKind, gitWarning, inspectScenario, scenarioSchema } from './load.ts';
import { pnpmLockProblems, yarnLockProblems } from './lockfile-sync.ts';
import { detectPackageManager, nativeModules, scriptApprovalMissing } from './package-manager.ts';

export type Severity = 'error' | 'warning';

export interface CheckProblem {
  severity: Severity;
  /** The file that is wrong (or missing), as the scenario folder was given joined with its relative path. */
  file: string;
  /** 1-based line, where the problem sits on one. */
  line?: number;
  /** What is wrong and what to do. */
  message: string;
}

export interface ScenarioCheck {
  /** The folder name, which a valid scenario.json repeats. */
  name: string;
  dir: string;
  /** No errors (warnings allowed). */
  valid: boolean;
  description?: string;
  variants: string[];
  problems: CheckProblem[];
}

/** The variant fields the file checks need, also when scenario.json as a whole fails its schema. */
interface VariantFiles {
  dockerfile: string;
  target?: string;
}

interface CheckedSpec {
  /** Whether scenario.json passed its schema (then the loader has checked the files it names exist). */
  schemaPassed: boolean;
  description?: string;
  variantNames: string[];
  variants: Record<string, VariantFiles>;
  replace: Record<string, string>;
  /** `node`, when it is a whole number. */
  node?: number;
  /** `context`, the build context subfolder ('.' when absent): package.json, the lockfile and .dockerignore are there. */
  context: string;
}

// ---- Dockerfiles ------------------------------------------------------------------------------------------------

/** A problem at a line of the Dockerfile being checked. */
type At = (line: number, message: string, severity?: Severity) => CheckProblem;

/** Instructions that name a source and a destination at the least. */
const COPYING = new Set(['COPY', 'ADD']);

/** Stage names are case-insensitive to the builder (`--target Runner` builds `AS runner`). */
function stageNameOf(from: WrittenFrom): string | null {
  return from.stage?.toLowerCase() ?? null;
}

function flagValue(ins: WrittenInstruction, name: string): string | null | undefined {
  return ins.flags.find((f) => f.name.toLowerCase() === name)?.value;
}

/** `${NAME}`, `$NAME`, `${NAME:-x}`: the variables an image reference uses. */
function variablesIn(text: string): string[] {
  return [...text.matchAll(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|([A-Za-z_][A-Za-z0-9_]*))/g)].map((m) => m[1] ?? m[2]);
}

function profileNames(profiles: Profile[]): string[] {
  return [...new Set(profiles.flatMap((p) => Object.keys(p.images)))].sort();
}

/** The base image problems of one FROM: the image must be a profile ARG (or an earlier stage, or scratch). */
function checkFromImage(
  from: WrittenFrom,
  earlierStages: string[],
  globalArgs: Map<string, string | null>,
  profiles: Profile[],
  at: At,
): CheckProblem[] {
  const line = from.line;
  const image = from.image ?? '';
  const names = profileNames(profiles).join(', ');
  const vars = variablesIn(image);
  if (vars.length === 0) {
    if (earlierStages.includes(image.toLowerCase()) || image.toLowerCase() === 'scratch') return [];
    return [at(line, `FROM ${image} hard-codes its base image, which the offline profile cannot substitute (and it is no earlier stage's name): declare ARG NAME=${image} before the first FROM and write FROM \${NAME}, NAME one of ${names}`)];
  }
  const problems: CheckProblem[] = [];
  if (vars.length > 1 || !/^\$(\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\}|[A-Za-z_][A-Za-z0-9_]*)$/.test(image)) {
    problems.push(at(line, `FROM ${image}: a profile replaces the whole image reference, so the ARG must stand alone (FROM \${${vars[0]}})`));
  }
  for (const name of new Set(vars)) {
    if (!globalArgs.has(name)) {
      problems.push(at(line, `FROM ${image} uses ${name}, which no ARG before the first FROM declares, so it would be empty: add ARG ${name}=<official image> above the first FROM`));
      continue;
    }
    const lacking = profiles.filter((p) => !(name in p.images)).map((p) => p.name);
    if (lacking.length > 0) {
      const who = lacking.length > 1 ? `the ${lacking.join(' and ')} profiles define, so they cannot` : `the ${lacking[0]} profile defines, so it cannot`;
      problems.push(at(line, `FROM ${image}: ARG ${name} is not a base image ${who} substitute it: use one of ${names}`));
    }
  }
  return problems;
}

/**
 * Global ARGs whose default is not the online profile's image of the scenario's Node major: a plain `docker build`
 * would use another base than stagebench's online runs.
 */
function checkArgDefaults(initialArgs: WrittenArg[], profiles: Profile[], at: At, node?: number): CheckProblem[] {
  const online = profiles.find((p) => p.name === 'online');
  const images = online && (imagesFor(online, node) ?? online.images);
  if (!online || !images) return [];
  const major = node ?? defaultMajor(online);
  const problems: CheckProblem[] = [];
  for (const arg of initialArgs) {
    const name = arg.name;
    if (name === undefined || !(name in images)) continue;
    const value = arg.value;
    const official = images[name];
    if (value === null) {
      problems.push(at(arg.line, `ARG ${name} has no default: a plain docker build without --build-arg ${name}=... fails; write ARG ${name}=${official} (the online profile's Node ${major} image)`, 'warning'));
    } else if (value !== official) {
      const otherMajor = profileMajors(online).find((m) => m !== major && imagesFor(online, m)?.[name] === value);
      const hint = otherMajor !== undefined ? `; or, if the app needs Node ${otherMajor}, set "node": ${otherMajor} in scenario.json` : '';
      problems.push(at(arg.line, `ARG ${name} defaults to ${value}, not the online profile's Node ${major} image ${official}: a plain docker build uses another base image than stagebench's online runs; write ARG ${name}=${official}${hint}`, 'warning'));
    }
  }
  return problems;
}

/**
 * A scenario's `node` major against the profiles (pure): an error when no profile defines it, a warning for each
 * profile that cannot provide it (a run on that profile stops with exit 3).
 */
export function checkNodeMajor(node: number | undefined, profiles: Profile[], scenarioFile: string): CheckProblem[] {
  if (node === undefined || profiles.length === 0) return [];
  const majors = profiles.map((p) => `${p.name}: ${profileMajors(p).join(', ')}`).join('; ');
  const lacking = profiles.filter((p) => !imagesFor(p, node));
  if (lacking.length === profiles.length) {
    return [{ severity: 'error', file: scenarioFile, message: `"node": ${node}: no profile defines Node ${node} images (${majors}); choose one of those majors, or add a "${node}" entry to node_majors in bench/profiles/online.json` }];
  }
  return lacking.map((p) => ({
    severity: 'warning' as const,
    file: scenarioFile,
    message: `"node": ${node}: the ${p.name} profile provides Node ${profileMajors(p).join(', ')} only${p.nodeNote ? ` (${p.nodeNote})` : ''}, so a run of this scenario on it stops with exit 3; remove "node" to build on Node ${defaultMajor(p)} there`,
  }));
}

/**
 * The problems of one Dockerfile text (pure): what the builder rejects (no FROM, unknown or empty instructions,
 * instructions before the first FROM, duplicate stage names, a missing target), and base images the profiles cannot
 * set. `file` is only for the messages.
 */
export function checkDockerfile(text: string, file: string, options: { target?: string; profiles: Profile[]; node?: number }): CheckProblem[] {
  const at: At = (line, message, severity = 'error') => ({ severity, file, line, message });
  const df = readDockerfile(text);
  const instructions = df.instructions;
  if (instructions.length === 0) {
    return [{ severity: 'error', file, message: 'the Dockerfile is empty (no instructions): it needs at least ARG NODE_IMAGE=node:20 and FROM ${NODE_IMAGE}' }];
  }
  const problems: CheckProblem[] = [];
  // Parser directives sit in the comment lines before the first instruction.
  const leading = text.split('\n').slice(0, instructions[0].line - 1);
  const syntaxAt = leading.findIndex((l) => /^#\s*syntax\s*=/i.test(l));
  if (syntaxAt >= 0) {
    const image = leading[syntaxAt].replace(/^#\s*syntax\s*=\s*/i, '').trim();
    problems.push(at(syntaxAt + 1, `# syntax=${image} makes BuildKit pull the frontend image ${image} before every build, which a machine that reaches no image registry (the offline profile) cannot: remove the line (the engine's built-in frontend reads RUN --mount) unless every machine that runs this can pull it`, 'warning'));
  }
  for (const ins of instructions) {
    const keyword = ins.keyword;
    if (!DOCKERFILE_KEYWORDS.has(keyword)) {
      problems.push(at(ins.line, `unknown instruction '${keyword}': the builder stops here; instructions are ${[...DOCKERFILE_KEYWORDS].join(', ')}`));
    } else if (ins.args.length === 0) {
      problems.push(at(ins.line, `${keyword} has no arguments: the builder rejects it`));
    } else if (COPYING.has(keyword) && ins.args.length < 2) {
      problems.push(at(ins.line, `${keyword} needs a source and a destination (${keyword} SRC... DEST)`));
    }
  }
  const firstFrom = instructions.findIndex((i) => i.keyword === 'FROM');
  if (firstFrom < 0) {
    problems.push({ severity: 'error', file, message: 'no FROM instruction: every Dockerfile starts a stage with FROM ${NODE_IMAGE} (or another profile ARG)' });
    return problems;
  }
  for (const ins of instructions.slice(0, firstFrom)) {
    const keyword = ins.keyword;
    if (keyword !== 'ARG' && DOCKERFILE_KEYWORDS.has(keyword)) {
      problems.push(at(ins.line, `${keyword} before the first FROM: only ARG may come before it (the builder says "no build stage in current context")`));
    }
  }
  const globalArgs = new Map<string, string | null>();
  for (const arg of df.initialArgs) {
    if (arg.name !== undefined) globalArgs.set(arg.name, arg.value);
  }
  problems.push(...checkArgDefaults(df.initialArgs, options.profiles, at, options.node));

  const froms = df.froms;
  const stages: string[] = [];
  for (const from of froms) {
    const args = from.args;
    // A FROM without arguments has its error already (above), and no image or name to check.
    if (args.length === 0) continue;
    if (!(args.length === 1 || (args.length === 3 && args[1].toLowerCase() === 'as'))) {
      problems.push(at(from.line, `FROM ${args.join(' ')}: FROM takes IMAGE [AS NAME]`));
    }
    problems.push(...checkFromImage(from, stages, globalArgs, options.profiles, at));
    const name = stageNameOf(from);
    if (name !== null) {
      if (stages.includes(name)) problems.push(at(from.line, `stage name '${name}' is used twice: give each stage its own AS name`));
      else stages.push(name);
    }
  }
  for (const ins of instructions) {
    const source = COPYING.has(ins.keyword) ? flagValue(ins, 'from') : undefined;
    if (typeof source !== 'string' || source.includes('$')) continue;
    const isIndex = /^\d+$/.test(source) && Number(source) < froms.length;
    if (!isIndex && !stages.includes(source.toLowerCase())) {
      problems.push(at(ins.line, `${ins.keyword} --from=${source} names no stage of this Dockerfile, so the builder pulls an image ${source}, which the offline profile cannot substitute: copy from a stage (FROM \${NODE_IMAGE} AS NAME, then --from=NAME)`));
    }
  }
  if (options.target !== undefined && !stages.includes(options.target.toLowerCase())) {
    problems.push({
      severity: 'error',
      file,
      message: `target '${options.target}' is no stage of this Dockerfile (stages named: ${stages.length ? stages.join(', ') : 'none'}): set "target" to one of them in scenario.json, or name a stage AS ${options.target}`,
    });
  }
  return problems;
}

// ---- package.json and package-lock.json --------------------------------------------------------------------------

const DEPENDENCY_KINDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

type Json = Record<string, unknown>;

function objectAt(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** A JSON object file's content, or the problem of reading it. */
function readJsonObject(path: string, shown: string): { value?: Json; problem?: CheckProblem } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    return { problem: { severity: 'error', file: shown, message: `not valid JSON: ${(err as Error).message}` } };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { problem: { severity: 'error', file: shown, message: 'must hold a JSON object' } };
  }
  return { value: raw as Json };
}

/** Every declared dependency, `kind name` -> spec, for comparing two manifests. */
function declaredDependencies(manifest: Json): Map<string, string> {
  const out = new Map<string, string>();
  for (const kind of DEPENDENCY_KINDS) for (const [n, s] of Object.entries(objectAt(manifest[kind]))) out.set(`${kind} ${n}`, String(s));
  return out;
}

/**
 * Whether `npm ci` accepts this pair (pure): the lockfile is version 2 or later and its root entry declares exactly
 * the dependencies package.json declares, with the same specs, and each is locked at a version its range allows.
 * Download addresses in the lock are only a warning. `pkgFile`/`lockFile` are for the messages.
 */
export function checkLockfileSync(pkg: Json, lock: Json, pkgFile: string, lockFile: string): CheckProblem[] {
  const error = (message: string): CheckProblem => ({ severity: 'error', file: lockFile, message });
  const fix = `run npm install --package-lock-only in ${dirname(pkgFile)} and keep the new ${basename(lockFile)}`;
  const version = lock.lockfileVersion;
  if (typeof version !== 'number' || version < 2) {
    return [error(`lockfileVersion ${String(version)}: npm 7 or later writes version 2 or 3, which records package.json's dependencies for npm ci to compare; ${fix}`)];
  }
  const packages = objectAt(lock.packages);
  if (!('' in packages)) return [error(`has no packages[""] entry (the project itself), so it cannot be compared with ${pkgFile}; ${fix}`)];
  const root = objectAt(packages['']);
  const problems: CheckProblem[] = [];
  for (const kind of DEPENDENCY_KINDS) {
    const wanted = objectAt(pkg[kind]);
    const locked = objectAt(root[kind]);
    for (const [name, spec] of Object.entries(wanted)) {
      if (!(name in locked)) {
        problems.push(error(`${pkgFile} has ${kind} ${name}@${String(spec)}, the lockfile does not: npm ci would refuse to install (out of sync); ${fix}`));
      } else if (locked[name] !== spec) {
        problems.push(error(`${pkgFile} has ${kind} ${name}@${String(spec)}, the lockfile ${name}@${String(locked[name])}: out of sync, npm ci would refuse to install; ${fix}`));
      } else if (kind !== 'optionalDependencies') {
        // The root entry agrees; the package itself must be locked too, at a version the range allows.
        const entry = packages[`node_modules/${name}`];
        const lockedVersion = objectAt(entry).version;
        const range = typeof spec === 'string' ? semver.validRange(spec) : null;
        if (entry === undefined) {
          problems.push(error(`no node_modules/${name} entry: the lockfile does not lock ${name}, which ${pkgFile} needs; ${fix}`));
        } else if (range !== null && typeof lockedVersion === 'string' && semver.valid(lockedVersion) && !semver.satisfies(lockedVersion, range)) {
          problems.push(error(`locks ${name} at ${lockedVersion}, outside the range ${String(spec)} that ${pkgFile} asks for; ${fix}`));
        }
      }
    }
    for (const name of Object.keys(locked)) {
      if (!(name in wanted)) problems.push(error(`the lockfile has ${kind} ${name}@${String(locked[name])}, ${pkgFile} does not: out of sync, npm ci would refuse to install; ${fix}`));
    }
  }
  const resolved = Object.values(packages).filter((e) => typeof objectAt(e).resolved === 'string').length;
  if (resolved > 0) {
    problems.push({
      severity: 'warning',
      file: lockFile,
      message: `${resolved} package entr${resolved === 1 ? 'y carries' : 'ies carry'} a "resolved" download address: builds then fetch from the address recorded here rather than from the registry the build machine is configured with; regenerate with npm install --package-lock-only --omit-lockfile-registry-resolved`,
    });
  }
  return problems;
}

// ---- the folder ---------------------------------------------------------------------------------------------------

/** A file named by the scenario, read only when it exists inside the folder (also through symlinks). */
function readInside(dir: string, rel: string): { text?: string; missing?: boolean; outside?: boolean } {
  const abs = resolve(dir, rel);
  if (!existsSync(abs)) return { missing: true };
  if (relative(realpathSync(dir), realpathSync(abs)).startsWith('..')) return { outside: true };
  // A folder or a FIFO at the path is reported by the loader; reading it would throw or hang.
  if (fileKind(abs) !== 'file') return {};
  try {
    return { text: readFileSync(abs, 'utf8') };
  } catch {
    return { missing: true };
  }
}

function isInsidePath(p: unknown): p is string {
  return typeof p === 'string' && p.length > 0 && !p.startsWith('/') && !p.split(/[\\/]/).includes('..');
}

/**
 * What the file checks need from scenario.json, taken field by field, so that a schema error elsewhere in the file
 * (an unknown key, a wrong smoke status) does not hide the problems of the Dockerfiles it names.
 */
function readSpec(dir: string): CheckedSpec | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(dir, 'scenario.json'), 'utf8'));
  } catch {
    return undefined;
  }
  const top = objectAt(raw);
  const variants: Record<string, VariantFiles> = {};
  for (const [name, v] of Object.entries(objectAt(top.variants))) {
    const spec = objectAt(v);
    if (!isInsidePath(spec.dockerfile)) continue;
    variants[name] = { dockerfile: spec.dockerfile, ...(typeof spec.target === 'string' && spec.target !== '' ? { target: spec.target } : {}) };
  }
  const replace: Record<string, string> = {};
  for (const [dest, from] of Object.entries(objectAt(objectAt(objectAt(top.changes).dependency).replace))) {
    if (isInsidePath(dest) && isInsidePath(from)) replace[dest] = from;
  }
  return {
    schemaPassed: scenarioSchema.safeParse(raw).success,
    description: typeof top.description === 'string' ? top.description : undefined,
    variantNames: Object.keys(objectAt(top.variants)),
    variants,
    replace,
    ...(Number.isInteger(top.node) ? { node: top.node as number } : {}),
    context: typeof top.context === 'string' && top.context !== '' && isInsidePath(top.context) ? posix.normalize(top.context.split('\\').join('/')).replace(/\/$/, '') : '.',
  };
}

/** A manifest pair's problems: each file readable, then in sync, as the lockfile's own package manager judges. */
function checkManifests(dir: string, pkgRel: string, lockRel: string, reportMissing: boolean): { problems: CheckProblem[]; pkg?: Json } {
  const pkgFile = join(dir, pkgRel);
  const lockFile = join(dir, lockRel);
  const problems: CheckProblem[] = [];
  const read = (rel: string, file: string, missingMessage: string): Json | undefined => {
    const r = readInside(dir, rel);
    if (r.text === undefined) {
      if (r.missing && reportMissing) problems.push({ severity: 'error', file, message: missingMessage });
      return undefined;
    }
    const parsed = readJsonObject(resolve(dir, rel), file);
    if (parsed.problem) problems.push(parsed.problem);
    return parsed.value;
  };
  const pkg = read(pkgRel, pkgFile, 'missing: a scenario is a Node.js app with a package.json (npm init -y makes one)');
  const base = basename(lockRel);
  if (base === 'yarn.lock' || base === 'pnpm-lock.yaml') {
    const lock = readInside(dir, lockRel).text;
    if (lock !== undefined && pkg) {
      const found = base === 'yarn.lock' ? yarnLockProblems(pkg, lock, /^__metadata:/m.test(lock)) : pnpmLockProblems(pkg, lock);
      problems.push(...found.map((message) => ({ severity: 'error' as const, file: lockFile, message })));
    }
    return { problems, pkg };
  }
  const lock = read(lockRel, lockFile, `missing: the Dockerfiles' npm ci needs a lockfile in sync with ${pkgRel} (package-lock.json, yarn.lock or pnpm-lock.yaml); run npm install --package-lock-only (or yarn/pnpm install) and commit it`);
  if (pkg && lock) problems.push(...checkLockfileSync(pkg, lock, pkgFile, lockFile));
  return { problems, pkg };
}

/** The folder's lockfile name: the one its package manager uses (package-lock.json when there is none). */
function lockfileOf(dir: string, hint: string): string {
  const pkg = readInside(dir, 'package.json').text;
  let manifest: Json = {};
  try {
    manifest = objectAt(JSON.parse(pkg ?? '{}'));
  } catch {
    manifest = {};
  }
  const view = { has: (rel: string) => readInside(dir, rel).text !== undefined, read: (rel: string) => readInside(dir, rel).text ?? '' };
  return detectPackageManager(view, manifest, hint).lockfile ?? 'package-lock.json';
}

/** A path in the build context as the scenario folder names it (scenario.json's paths are relative to the folder). */
function inContext(context: string, rel: string): string {
  return context === '.' ? rel : posix.join(context, rel);
}

function checkDependencyChange(dir: string, replace: Record<string, string>, original: Json | undefined, scenarioFile: string, lockName: string, context: string): CheckProblem[] {
  const pkgKey = inContext(context, 'package.json');
  const lockKey = inContext(context, lockName);
  if (!(pkgKey in replace) && !(lockKey in replace)) return [];
  const pkgRel = replace[pkgKey] ?? pkgKey;
  const lockRel = replace[lockKey] ?? lockKey;
  // The loader reports replacement files that are missing; this checks what the swapped-in pair would do to the install.
  const { problems, pkg } = checkManifests(dir, pkgRel, lockRel, false);
  if (pkg && original) {
    const before = declaredDependencies(original);
    const after = declaredDependencies(pkg);
    if (before.size === after.size && [...after].every(([k, v]) => before.get(k) === v)) {
      problems.push({
        severity: 'warning',
        file: scenarioFile,
        message: `changes.dependency: ${pkgRel} declares the same dependencies as ${pkgKey}, so a build-warm-deps sample adds none; make it with npm install <package> (yarn add, pnpm add) on a copy of the folder`,
      });
    }
  }
  return problems;
}

function checkDockerignore(dir: string, replace: Record<string, string>, context: string): CheckProblem[] {
  const file = join(dir, inContext(context, '.dockerignore'));
  const r = readInside(dir, inContext(context, '.dockerignore'));
  if (r.text === undefined) {
    if (!r.missing) return [];
    return [{ severity: 'warning', file, message: 'missing: without it node_modules, .git, .env and the dependency change\'s manifests go into every build context; list them (and dist, *.log) in a .dockerignore' }];
  }
  const ignored = ignoreMatcher(r.text);
  // Replacement files outside the context subfolder never reach a build; those inside are named relative to it.
  const inside = Object.values(replace).map((p) => (context === '.' ? p : posix.relative(context, p))).filter((p) => !p.startsWith('..'));
  const leaks = ['node_modules', ...inside].filter((p) => !ignored(p));
  return leaks.map((p) => ({ severity: 'warning' as const, file, message: `does not keep ${p} out of the build context: add ${p === 'node_modules' ? p : p.split('/')[0]} to it` }));
}

function dedupe(problems: CheckProblem[]): CheckProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.severity}\u0000${p.file}\u0000${p.line ?? ''}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Checks one scenario folder and returns every problem found; reads files, never builds. */
export function checkScenario(dir: string, profiles: Profile[]): ScenarioCheck {
  const scenarioFile = join(dir, 'scenario.json');
  const inspected = inspectScenario(dir);
  const problems: CheckProblem[] = inspected.problems.map((p) => ({ severity: 'error', file: p.file, message: p.message }));
  const spec = readSpec(dir);
  // When the schema fails the loader stops before its path checks, so the files named are checked for existence here.
  const schemaPassed = spec?.schemaPassed ?? false;
  for (const [variant, v] of Object.entries(spec?.variants ?? {})) {
    const file = join(dir, v.dockerfile);
    const r = readInside(dir, v.dockerfile);
    if (r.text !== undefined) problems.push(...checkDockerfile(r.text, file, { target: v.target, profiles, node: spec?.node }));
    else if (!schemaPassed && r.missing) problems.push({ severity: 'error', file: scenarioFile, message: `variants.${variant}.dockerfile '${v.dockerfile}' does not exist in ${dir}` });
  }
  problems.push(...checkNodeMajor(spec?.node, profiles, scenarioFile));
  const git = gitWarning(dir);
  if (git) problems.push({ severity: 'warning', file: dir, message: git });
  const dockerfiles = Object.values(spec?.variants ?? {}).map((v) => readInside(dir, v.dockerfile).text ?? '').join('\n');
  // A monorepo scenario builds from its context subfolder: the app's manifests and .dockerignore are there.
  const context = spec?.context ?? '.';
  const lockName = lockfileOf(join(dir, context), dockerfiles);
  const manifests = checkManifests(dir, inContext(context, 'package.json'), inContext(context, lockName), true);
  problems.push(...manifests.problems);
  if (manifests.pkg) {
    const manager = lockName === 'pnpm-lock.yaml' ? 'pnpm' : lockName === 'yarn.lock' ? 'yarn-classic' : 'npm';
    const approval = scriptApprovalMissing(manager, manifests.pkg, nativeModules(manifests.pkg));
    if (approval) problems.push({ severity: 'warning', file: join(dir, inContext(context, 'package.json')), message: approval });
  }
  problems.push(...checkDependencyChange(dir, spec?.replace ?? {}, manifests.pkg, scenarioFile, lockName, context));
  problems.push(...checkDockerignore(dir, spec?.replace ?? {}, context));
  const all = dedupe(problems);
  return {
    name: basename(resolve(dir)),
    dir,
    valid: !all.some((p) => p.severity === 'error'),
    ...(spec?.description !== undefined ? { description: spec.description } : {}),
    variants: spec?.variantNames ?? [],
    problems: all,
  };
}
