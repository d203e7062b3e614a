// Loading scenario folders: scenario.json validated against its schema, every problem reported, paths kept inside.
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../errors.ts';
import { REFERENCE_VARIANT, type Scenario } from '../types.ts';
import { serviceProblems } from './services.ts';

const NAME = /^[a-z0-9][a-z0-9._-]*$/;

/** Whether `target` lies outside `base` (both real paths). A name inside that merely starts with ".." is inside. */
export function isOutside(base: string, target: string): boolean {
  const rel = relative(base, target);
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

const relPath = z.string().min(1).refine((p) => !isAbsolute(p) && !p.split(/[\\/]/).includes('..'), {
  message: 'must be a path inside the scenario folder (relative, no "..")',
});

const variantSchema = z.strictObject({
  dockerfile: relPath,
  target: z.string().min(1).optional(),
  description: z.string().optional(),
});

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A BuildKit secret (RUN --mount=type=secret,id=ID): its value comes from a file or an environment variable. */
const secretSchema = z.strictObject({
  file: z.string().min(1).optional().describe('a file holding the value; relative paths are from the scenario folder (keep it out of the folder, or in .dockerignore)'),
  env: z.string().regex(ENV_NAME, 'an environment variable name').optional().describe('an environment variable of the stagebench process holding the value'),
}).refine((s) => (s.file === undefined) !== (s.env === undefined), { message: 'give exactly one of file or env' });

const HOST_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** A service container of the run phase (run.services.NAME); docs/services.md. */
const serviceSchema = z.strictObject({
  image: z.string().min(1).describe('the image, e.g. postgres:16; pulled untimed when absent'),
  env: z.record(z.string().regex(ENV_NAME, 'environment variable names: letters, digits and _'), z.string()).optional()
    .describe('its environment; {{port}} is replaced by the port it listens on'),
  command: z.array(z.string()).optional().describe('arguments after its entrypoint (replacing its CMD); {{port}} is replaced by the port it listens on'),
  port: z.number().int().min(1).max(65535)
    .describe('the port it listens on; where env or command holds {{port}} the harness chooses a free port on 127.0.0.1 instead, and run.env reaches it as {{services.NAME.port}}'),
  ready: z.union([z.strictObject({ tcp: z.literal(true) }), z.strictObject({ command: z.array(z.string()).min(1) })]).optional()
    .describe('ready when a TCP connect to its port succeeds (default) or when this command exits 0 inside it'),
  ready_timeout_ms: z.number().int().positive().optional().describe('how long to wait for it to be ready; default 60000'),
  per_sample: z.boolean().optional().describe('start it afresh for every sample; default once per variant'),
  aliases: z.array(z.string().regex(HOST_NAME, 'a host name')).optional().describe('further host names the app may use for it'),
});

export const scenarioSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().regex(NAME, 'lower-case letters, digits, ".", "_" and "-"'),
  description: z.string().min(1),
  variants: z.record(z.string().regex(NAME, 'variant names: lower-case letters, digits, ".", "_" and "-"'), variantSchema)
    .refine((v) => Object.keys(v).length > 0, { message: 'needs at least one variant' }),
  smoke: z.strictObject({
    method: z.enum(['GET', 'POST']).default('GET'),
    path: z.string().startsWith('/'),
    body: z.unknown().optional(),
    status: z.number().int().min(100).max(599),
    contains: z.string().optional(),
    timeout_ms: z.number().int().positive().default(30000),
  }).refine((smoke) => smoke.body === undefined || smoke.method === 'POST', { message: 'a body is sent with POST only', path: ['body'] }),
  changes: z.strictObject({
    source: z.strictObject({ file: relPath, append: z.string().min(1) }),
    dependency: z.strictObject({
      replace: z.record(relPath, relPath).refine((r) => Object.keys(r).length > 0, { message: 'names no file to replace' }),
      description: z.string().min(1),
    }),
  }),
  reference: z.string().regex(NAME, 'a variant name').optional()
    .describe('the variant the others are compared with in the run table, the scan table and the report; default single'),
  context: relPath.optional().describe('the build context: a subfolder of the scenario folder (monorepos); Dockerfiles must lie inside it'),
  node: z.number().int().min(1).max(99).optional()
    .describe('the Node.js major of the base images, e.g. 18 or 22: the profile sets the base-image ARGs to its images of that major; default the profile\'s own (20)'),
  run: z.strictObject({
    env: z.record(z.string().regex(ENV_NAME, 'environment variable names: letters, digits and _'), z.string()).optional()
      .describe('environment of the container in the run phase and in tune\'s smoke test'),
    port: z.number().int().min(1).max(65535).optional()
      .describe('a fixed port the app listens on; without it the harness chooses one and sets PORT'),
    services: z.record(z.string().regex(HOST_NAME, 'service names: lower-case letters, digits and "-" (a host name)'), serviceSchema).optional()
      .describe('containers started beside the app in the run phase (a database), by the host name the app reaches each by; docs/services.md'),
  }).optional(),
  build: z.strictObject({
    args: z.record(z.string().regex(ENV_NAME, 'build-arg names: letters, digits and _'), z.string()).optional()
      .describe('extra build args; the profile\'s base-image args win over these'),
    secrets: z.record(z.string().regex(/^[A-Za-z0-9._-]+$/, 'secret ids: letters, digits, ".", "_" and "-"'), secretSchema).optional()
      .describe('BuildKit secrets by id; values are read at build time and never written anywhere'),
  }).optional(),
});

/** The keys an object of the schema allows at a path of a parsed value, for unknown-key messages. */
export function allowedKeysAt(schema: z.ZodType, path: ReadonlyArray<PropertyKey>): string[] {
  let at: z.ZodType | undefined = schema;
  const unwrap = (t: z.ZodType): z.ZodType => {
    let cur = t;
    for (;;) {
      const def = (cur as unknown as { def: { type: string; innerType?: z.ZodType; in?: z.ZodType } }).def;
      if (def.innerType) cur = def.innerType;
      else if (def.type === 'pipe' && def.in) cur = def.in;
      else return cur;
    }
  };
  for (const key of path) {
    if (!at) return [];
    const t = unwrap(at);
    if (t instanceof z.ZodObject) at = (t.shape as Record<string, z.ZodType>)[String(key)];
    else if (t instanceof z.ZodRecord) at = t.valueType as z.ZodType;
    else return [];
  }
  if (!at) return [];
  const t = unwrap(at);
  return t instanceof z.ZodObject ? Object.keys(t.shape) : [];
}

export interface ScenarioProblem {
  file: string;
  message: string;
}

export interface InspectedScenario {
  dir: string;
  scenario?: Scenario;
  problems: ScenarioProblem[];
}

function zodProblems(file: string, err: z.ZodError): ScenarioProblem[] {
  return err.issues.map((i) => {
    const where = i.path.length ? i.path.map(String).join('.') : '(top level)';
    const msg = i.code === 'unrecognized_keys'
      ? `unknown key(s) ${i.keys.map((k) => `'${k}'`).join(', ')}; allowed here: ${allowedKeysAt(scenarioSchema, i.path).join(', ')}`
      : i.code === 'invalid_type' && /received undefined$/.test(i.message) ? `required, missing (${i.message.replace(/, received undefined$/, '')}); see the scenario.json reference in docs/scenarios.md`
        : i.message;
    return { file, message: `${where}: ${msg}` };
  });
}

/** What a path is, after following links, in words for a message; 'file' for a regular file. */
export function fileKind(abs: string): 'file' | 'missing' | 'a folder' | 'a FIFO' | 'a socket' | 'a device' | 'a special file' {
  let st;
  try {
    st = statSync(abs);
  } catch {
    return 'missing';
  }
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isBlockDevice() || st.isCharacterDevice()) return 'a device';
  return 'a special file';
}

/** A file the scenario names must be a regular file inside the folder, also through symlinks. */
function checkInside(dir: string, rel: string, file: string, what: string, want: 'file' | 'a folder' = 'file'): ScenarioProblem | undefined {
  const abs = resolve(dir, rel);
  if (!existsSync(abs)) return { file, message: `${what} '${rel}' does not exist in ${dir}` };
  const real = realpathSync(abs);
  const realDir = realpathSync(dir);
  if (isOutside(realDir, real)) return { file, message: `${what} '${rel}' resolves outside the scenario folder (to ${real})` };
  const kind = fileKind(abs);
  if (kind !== want) return { file, message: `${what} '${rel}' is ${kind === 'file' ? 'a file' : kind}, not ${want === 'file' ? 'a regular file' : 'a folder'}; name ${want === 'file' ? 'a regular file' : 'a folder'} of the scenario` };
  return undefined;
}

/**
 * A path the harness writes in its copy of the scenario (a dependency change's destination): wherever it exists,
 * it must be a regular file, and its deepest existing folder must lie inside, after following links.
 */
function checkWritable(dir: string, rel: string, file: string, what: string): ScenarioProblem | undefined {
  const realDir = realpathSync(dir);
  let probe = resolve(dir, rel);
  while (!existsSync(probe) && probe !== resolve(dir)) probe = resolve(probe, '..');
  const real = realpathSync(probe);
  if (isOutside(realDir, real)) return { file, message: `${what} '${rel}' would be written outside the scenario folder (through ${real})` };
  const abs = resolve(dir, rel);
  if (existsSync(abs) && fileKind(abs) !== 'file') return { file, message: `${what} '${rel}' is not a file but ${fileKind(abs)}; name a regular file of the scenario` };
  return undefined;
}

/**
 * Everything in the folder the build context or the harness would read and should not: symlinks that point outside
 * it or nowhere (they would leak host files into the context, or lead a dependency change's write outside), in
 * node_modules and .git too, and FIFOs, sockets and devices (reading one hangs or reads a device).
 */
export function unsafeEntries(dir: string): Array<{ path: string; problem: string }> {
  const realDir = realpathSync(dir);
  const bad: Array<{ path: string; problem: string }> = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const abs = join(d, name);
      const st = lstatSync(abs);
      const path = relative(dir, abs);
      if (st.isSymbolicLink()) {
        let target: string;
        try {
          target = realpathSync(abs);
        } catch {
          bad.push({ path, problem: 'symlink points nowhere (dangling); remove it' });
          continue;
        }
        if (isOutside(realDir, target)) bad.push({ path, problem: `symlink points outside the scenario folder (to ${target}); copy the file in instead` });
        else if (fileKind(abs) !== 'file' && fileKind(abs) !== 'a folder') bad.push({ path, problem: `symlink to ${fileKind(abs)}; remove it` });
      } else if (st.isDirectory()) walk(abs);
      else if (!st.isFile()) bad.push({ path, problem: `${fileKind(abs)}, not a file: a build context cannot hold it; remove it` });
    }
  };
  walk(dir);
  return bad;
}

/**
 * `.git` entries inside a scenario folder (node_modules aside), relative: a scenario from elsewhere may carry a git
 * config naming programs (core.fsmonitor) and hooks. stagebench never runs git in them (the developer folder drops
 * them), but they are worth a warning: nothing in a scenario folder needs them.
 */
export function gitEntries(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 32) return;
    for (const name of readdirSync(d)) {
      const abs = join(d, name);
      if (name === '.git') found.push(relative(dir, abs));
      else if (name !== 'node_modules' && lstatSync(abs).isDirectory()) walk(abs, depth + 1);
    }
  };
  walk(dir, 0);
  return found;
}

/** The warning for a scenario's `.git` entries, or undefined. */
export function gitWarning(dir: string): string | undefined {
  const found = gitEntries(dir);
  if (found.length === 0) return undefined;
  return `holds ${found.join(', ')}: git metadata from wherever the scenario came from (its config can name programs, its hooks are scripts). stagebench never runs git in it (the developer folder of the build-context phases drops it and runs git with hooks and fsmonitor off); remove it from the scenario folder`;
}

/** Validates a scenario folder without throwing: the scenario when valid, and every problem found. */
export function inspectScenario(dir: string): InspectedScenario {
  const file = join(dir, 'scenario.json');
  if (!existsSync(file)) return { dir, problems: [{ file, message: 'missing: every scenario folder needs a scenario.json' }] };
  if (fileKind(file) !== 'file') return { dir, problems: [{ file, message: `not a file but ${fileKind(file)}; scenario.json must be a regular file` }] };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return { dir, problems: [{ file, message: `not valid JSON: ${(err as Error).message}` }] };
  }
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) return { dir, problems: zodProblems(file, parsed.error) };
  const spec = parsed.data;
  const problems: ScenarioProblem[] = [];
  const folderName = relative(resolve(dir, '..'), resolve(dir));
  if (spec.name !== folderName) problems.push({ file, message: `name '${spec.name}' differs from its folder name '${folderName}'` });
  for (const [variant, v] of Object.entries(spec.variants)) {
    const p = checkInside(dir, v.dockerfile, file, `variants.${variant}.dockerfile`);
    if (p) problems.push(p);
  }
  if (spec.reference !== undefined && !Object.hasOwn(spec.variants, spec.reference)) {
    problems.push({ file, message: `reference '${spec.reference}' is not one of its variants (${Object.keys(spec.variants).join(', ')}); name one of them, or leave reference out to compare with '${REFERENCE_VARIANT}'` });
  }
  if (spec.context !== undefined) {
    const p = checkInside(dir, spec.context, file, 'context', 'a folder');
    if (p) problems.push(p);
    for (const [variant, v] of Object.entries(spec.variants)) {
      if (isOutside(resolve(dir, spec.context), resolve(dir, v.dockerfile))) {
        problems.push({ file, message: `variants.${variant}.dockerfile '${v.dockerfile}' lies outside the build context '${spec.context}'; move it into ${spec.context}/` });
      }
    }
  }
  for (const [id, secret] of Object.entries(spec.build?.secrets ?? {})) {
    if (secret.file !== undefined && !existsSync(resolve(dir, secret.file))) {
      problems.push({ file, message: `build.secrets.${id}.file '${secret.file}' does not exist (relative paths are from ${dir})` });
    }
  }
  const src = checkInside(dir, spec.changes.source.file, file, 'changes.source.file');
  if (src) problems.push(src);
  for (const [dest, from] of Object.entries(spec.changes.dependency.replace)) {
    const p = checkInside(dir, from, file, `changes.dependency.replace['${dest}']`);
    if (p) problems.push(p);
    const w = checkWritable(dir, dest, file, `changes.dependency.replace key`);
    if (w) problems.push(w);
  }
  for (const message of serviceProblems(spec.run)) problems.push({ file, message });
  const ignoreFile = join(dir, '.dockerignore');
  if (existsSync(ignoreFile) && fileKind(ignoreFile) !== 'file') {
    problems.push({ file: ignoreFile, message: `not a file but ${fileKind(ignoreFile)}; make .dockerignore a regular file (or remove it)` });
  }
  for (const entry of unsafeEntries(dir)) problems.push({ file: join(dir, entry.path), message: entry.problem });
  const scenario: Scenario = {
    name: spec.name,
    description: spec.description,
    dir: resolve(dir),
    variants: spec.variants,
    smoke: spec.smoke,
    changes: spec.changes,
    ...(spec.context !== undefined ? { context: spec.context } : {}),
    ...(spec.node !== undefined ? { node: spec.node } : {}),
    ...(spec.reference !== undefined ? { reference: spec.reference } : {}),
    ...(spec.run ? { run: spec.run } : {}),
    ...(spec.build ? { build: spec.build } : {}),
  };
  return { dir, scenario: problems.length === 0 ? scenario : undefined, problems };
}

function formatProblems(problems: ScenarioProblem[]): string {
  return problems.map((p) => `  ${p.file}: ${p.message}`).join('\n');
}

/** Loads a valid scenario or throws a UsageError listing every problem. */
export function loadScenario(dir: string): Scenario {
  const r = inspectScenario(dir);
  if (!r.scenario) {
    throw new UsageError(`scenario folder ${dir} is not valid:\n${formatProblems(r.problems)}\nRun 'stagebench scenarios check' for details.`);
  }
  return r.scenario;
}

/** The scenario folders (those with a scenario.json) under root, sorted. */
export function scenarioDirs(root: string): string[] {
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new UsageError(`--scenarios ${root}: no such folder. Point it at a folder of scenario folders (default ./scenarios).`);
  }
  const realRoot = realpathSync(root);
  return readdirSync(root)
    .filter((n) => {
      if (n.startsWith('.')) return false;
      const abs = join(root, n);
      const kind = fileKind(abs);
      if (kind === 'missing' && lstatSync(abs).isSymbolicLink()) {
        throw new UsageError(`--scenarios ${root}: ${abs} is a symlink that points nowhere (to ${readlinkSync(abs)}); remove it or point it at a scenario folder inside ${root}`);
      }
      if (kind !== 'a folder' || !existsSync(join(abs, 'scenario.json'))) return false;
      // Every scenario folder, not only those named with --scenario: a link out of --scenarios is not a scenario of it.
      if (isOutside(realRoot, realpathSync(abs))) {
        throw new UsageError(`scenario folder ${abs} is a link to ${realpathSync(abs)}, outside ${root}; copy the scenario into the folder instead`);
      }
      return true;
    })
    .sort()
    .map((n) => join(root, n));
}

/** Resolves --scenario names against the scenarios folder; a name must be a plain folder name inside it. */
export function selectScenarios(root: string, names: string[]): Scenario[] {
  const dirs = scenarioDirs(root);
  const available = dirs.map((d) => relative(root, d));
  if (names.length === 0) {
    if (dirs.length === 0) throw new UsageError(`--scenarios ${root}: no scenario folders (folders with a scenario.json) in it`);
    return dirs.map(loadScenario);
  }
  return names.map((name) => {
    if (!NAME.test(name) || name.includes('..')) {
      throw new UsageError(`--scenario '${name}': a scenario is named by its folder name inside ${root} (no paths); available: ${available.join(', ')}`);
    }
    if (!available.includes(name)) {
      throw new UsageError(`--scenario '${name}': no such scenario in ${root}; available: ${available.join(', ') || '(none)'}`);
    }
    return loadScenario(join(root, name));
  });
}

/** Each scenario's reference variant: the one its scenario.json names, else REFERENCE_VARIANT (recorded in run.json). */
export function scenarioReferences(scenarios: readonly Scenario[]): Record<string, string> {
  return Object.fromEntries(scenarios.map((s) => [s.name, s.reference ?? REFERENCE_VARIANT]));
}

/** scenario.json's JSON Schema (scenarios/scenario.schema.json is this, committed for editors), from the zod schema. */
export function scenarioJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(scenarioSchema, { io: 'input' }),
    title: 'stagebench scenario.json',
    description: 'A scenario folder of stagebench: variants (Dockerfiles), smoke test, the changes warm builds make, and what a real app needs to build and start. Required: name, description, variants, smoke, changes (source and dependency).',
  };
}
