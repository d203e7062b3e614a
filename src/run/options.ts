// `stagebench run` options: parsed from argv and resolved into a type where every field is set. Pure.
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { choiceValue, intValue, listValue, parseCommandArgs, type OptionSpec } from '../args.ts';
import { UsageError } from '../errors.ts';
import { redactUrl } from '../net/redact-url.ts';
import { parseShard } from '../shard.ts';
import { parseNpmRegistry, type NpmRegistryChoice } from '../npm-proxy/route.ts';
import { BUILDERS, PHASES, PHASE_GROUPS, SCANNERS, type BuilderKind, type PhaseName, type ScannerChoice } from '../types.ts';
import type { ProfileChoice } from '../profile/profile.ts';
import { SECRET_OPTIONS_HELP, secretsAllowed } from '../scenario/secrets.ts';
import { DEFAULT_ADAPTIVE, defaultPlan, type AdaptiveSettings, fixedPlan, selectPlan, type PhasePlan } from './plan.ts';

export const RUN_OPTIONS: OptionSpec = {
  scenarios: { type: 'string' },
  against: { type: 'string' },
  scenario: { type: 'string', multiple: true },
  variant: { type: 'string', multiple: true },
  phase: { type: 'string', multiple: true },
  iterations: { type: 'string' },
  warmup: { type: 'string' },
  builder: { type: 'string' },
  profile: { type: 'string' },
  registry: { type: 'string' },
  'registry-insecure': { type: 'boolean' },
  'pull-target': { type: 'string' },
  scanner: { type: 'string' },
  'vuln-db': { type: 'string' },
  'scanner-arg': { type: 'string', multiple: true },
  quick: { type: 'boolean' },
  full: { type: 'boolean' },
  'target-rme': { type: 'string' },
  'max-samples': { type: 'string' },
  'phase-budget': { type: 'string' },
  shard: { type: 'string' },
  out: { type: 'string' },
  timeout: { type: 'string' },
  resume: { type: 'string' },
  'keep-images': { type: 'boolean' },
  'ci-cache': { type: 'string' },
  'npm-registry': { type: 'string' },
  'secret-dir': { type: 'string', multiple: true },
  'secret-env': { type: 'string', multiple: true },
};

/**
 * Why `--ci-cache registry` is refused: BuildKit's max mode writes a separate cache manifest (`--cache-to
 * type=registry,mode=max`), which only a BuildKit client (buildx, buildctl) can ask for over BuildKit's own API. The
 * Engine API's POST /build, which stagebench drives, takes `cachefrom` (import) but has no cache export parameter, so
 * the only cache a build made through it can leave in a registry is the inline one (build arg BUILDKIT_INLINE_CACHE=1).
 */
export const CI_CACHE_REGISTRY_UNSUPPORTED =
  "stagebench run: --ci-cache registry (BuildKit's max mode, a separate cache manifest) cannot be measured: the Docker Engine API's POST /build, which stagebench drives, imports a cache (cachefrom) but has no parameter to export one, on engine 20.10 (API 1.41) as on later ones; only buildx or buildctl talking to BuildKit directly can. Use --ci-cache inline (the default: the image itself carries min-mode cache metadata).";

function ciCacheValue(v: unknown): 'inline' {
  if (v === undefined || v === 'inline') return 'inline';
  if (v === 'registry') throw new UsageError(CI_CACHE_REGISTRY_UNSUPPORTED);
  throw new UsageError(`stagebench run: --ci-cache takes inline or registry, not '${String(v)}'`);
}

export const RUN_HELP = `Usage: stagebench run [OPTIONS]

Measures phases of scenarios and variants on the Docker engine and writes results/RUN_ID/
(samples.csv row by row, steps.csv, summary.csv, run.json; findings.csv when scanning).

With no options: the default plan (printed before measuring, with an estimate): every scenario's single, multi and
distroless variants, each built, scanned and started (image size, findings, start-up time); the costly timings
(build-cold, build-warm-src, push-cold, pull-cold) on the first scenario only; single-bad-order's source rebuild on
the first scenario that has it (layer order); the size control multi-same-base (multi-stage on single's base)
scanned in every scenario that has it, for the size split (docs/savings.md). Adaptive sampling of the cheap phases (build-warm, build-warm-src, run).
--full measures every phase of every variant, 5 samples each (hours).

Selection (repeat an option or give a comma list):
  --scenarios DIR          folder of scenario folders (default ./scenarios)
  --scenario NAME          scenario(s) to run (default: all in --scenarios)
  --variant NAME           variant(s) to run (default: single, multi, distroless; with --full all of each scenario)
  --phase NAME             phase(s) or groups (default: the default plan's; with --full all). Phases: ${PHASES.join(', ')}.
                           Groups: ${Object.keys(PHASE_GROUPS).join(', ')}
Sampling:
  --full                   every phase of every variant, 5 samples each (or --iterations N): the exhaustive matrix
  --iterations N           exactly N timed samples per phase, no adaptive sampling (default with --full 5)
  --target-rme PCT         adaptive: stop once the relative margin of error of the mean is under PCT (default ${DEFAULT_ADAPTIVE.targetRmePct})
  --max-samples N          adaptive: at most N samples per phase (default ${DEFAULT_ADAPTIVE.maxSamples})
  --phase-budget SECONDS   adaptive: no new sample after SECONDS in a phase (default ${DEFAULT_ADAPTIVE.budgetMs / 1000});
                           adaptive phases always take the minimum a significance test needs (4) first
  --warmup N               untimed samples before the warm phases (default 0)
  --quick                  one sample per phase, no warmup: a fast look, not a measurement
  --timeout SECONDS        per-sample limit; a sample past it is aborted and failed (default 1800)
Environment:
  --builder buildkit|legacy          the engine's builder (default buildkit)
  --profile auto|online|offline      base images (default auto: the official ones when present, else the offline stand-ins)
  --registry embedded|HOST[:PORT][/NS]  registry for push/pull (default embedded: a private one on 127.0.0.1)
  --registry-insecure      allow an external registry over plain HTTP
  --npm-registry auto|direct|local|URL  where builds fetch npm packages (default auto: the local proxy when it is
                           installed, else direct). local: a Verdaccio proxy on 127.0.0.1, warmed untimed, installed
                           on first use; URL: an existing registry or proxy (credentials from your npm config).
                           A Dockerfile takes it through 'ARG NPM_CONFIG_REGISTRY' or the npmrc build secret
  --pull-target embedded|DOCKER_HOST_URL  engine that pulls (default embedded: a second, empty engine)
  --scanner auto|builtin|trivy|grype|none  (default auto: trivy, else grype, else the built-in scanner)
  --vuln-db PATH           OSV records (folder or .zip) for the built-in scanner
  --scanner-arg ARG        extra argument passed to trivy or grype (repeatable), e.g. --scanner-arg=--skip-db-update
${SECRET_OPTIONS_HELP}
Output:
  --out DIR                the run folder (default results/RUN_ID)
  --resume RUN_DIR         continue an interrupted run, skipping its finished samples
  --ci-cache inline|registry  cache build-ci phases import from the registry (default inline; registry, BuildKit's
                           max mode, cannot be exported through the Engine API's /build and is refused)
  --keep-images            keep the images the run built (default: removed at the end)
  --shard I/N              run the I-th of N deterministic parts of the scenario x variant matrix
  --against DIR            a regression check in one run: the scenarios of DIR (the baseline, e.g. a git worktree of
                           main) and the run's own (the current side), measured in alternating rounds of one sample
                           each (--iterations N rounds, default 5), into OUT/baseline and OUT/current; then compares
                           them and exits as compare does. Drift between runs hits both sides alike.

Exit codes: 0 all samples ok, 1 a sample failed, 2 bad usage or input, 3 environment missing something,
130 interrupted (Ctrl-C), 143 terminated.`;

export interface RunOptions {
  scenariosDir: string;
  scenarios: string[];
  variants: string[];
  phases: PhaseName[];
  /** Exactly this many samples per phase; undefined when the default plan samples adaptively. */
  iterations: number | undefined;
  /** The adaptive settings of the default plan; undefined with --full, --quick or --iterations. */
  adaptive: AdaptiveSettings | undefined;
  warmup: number;
  builder: BuilderKind;
  profile: ProfileChoice;
  registry: string;
  registryInsecure: boolean;
  pullTarget: string;
  scanner: ScannerChoice;
  vulnDb: string | undefined;
  scannerArgs: string[];
  /** Where scenario.json's build.secrets may read: --secret-dir folders (absolute) and --secret-env names. */
  secretDirs: string[];
  secretEnv: string[];
  quick: boolean;
  full: boolean;
  /** Per phase, how it is sampled: the default plan, or exactly N samples (--full, --iterations, --quick). */
  plan: PhasePlan[];
  shard: { index: number; count: number } | undefined;
  out: string | undefined;
  timeoutMs: number;
  resume: string | undefined;
  keepImages: boolean;
  /** The cache build-ci phases import: inline, the only one the Engine API's /build can export. */
  ciCache: 'inline';
  /** Where builds fetch npm packages: auto, direct, local (the proxy) or a registry URL. */
  npmRegistry: NpmRegistryChoice;
  /** The baseline's scenarios folder: measure both sides in alternating rounds (--against). */
  against: string | undefined;
}

/** Phase names and group names, in the contract's phase order, each once. */
export function resolvePhases(names: string[]): PhaseName[] {
  if (names.length === 0) return [...PHASES];
  const wanted = new Set<PhaseName>();
  for (const n of names) {
    if (PHASE_GROUPS[n]) PHASE_GROUPS[n].forEach((p) => wanted.add(p));
    else if ((PHASES as readonly string[]).includes(n)) wanted.add(n as PhaseName);
    else {
      throw new UsageError(`stagebench run: --phase '${n}' is not a phase. Phases: ${PHASES.join(', ')}; groups: ${Object.keys(PHASE_GROUPS).join(', ')}.`);
    }
  }
  return PHASES.filter((p) => wanted.has(p));
}

function registryValue(v: unknown): string {
  if (v === undefined || v === 'embedded') return 'embedded';
  const s = String(v);
  if (!/^[a-zA-Z0-9.-]+(:\d{1,5})?(\/[a-z0-9._/-]+)?$/.test(s)) {
    throw new UsageError(`stagebench run: --registry takes 'embedded' or HOST[:PORT][/NAMESPACE] (no scheme), not '${s}'`);
  }
  return s;
}

function pullTargetValue(v: unknown): string {
  if (v === undefined || v === 'embedded') return 'embedded';
  const s = String(v);
  if (!/^(unix|tcp|ssh|http|https):\/\//.test(s)) {
    throw new UsageError(`stagebench run: --pull-target takes 'embedded' or an engine URL in DOCKER_HOST form (unix:///path.sock, tcp://host:2375, ssh://user@host), not '${redactUrl(s)}'`);
  }
  return s;
}

export function parseRunOptions(argv: string[], cwd = process.cwd()): RunOptions {
  const { values: v, positionals } = parseCommandArgs('run', argv, RUN_OPTIONS);
  if (positionals.length) {
    throw new UsageError(`stagebench run: unexpected argument '${positionals[0]}'. Name scenarios with --scenario NAME.`);
  }
  const quick = v.quick === true;
  const scanner = choiceValue('run', 'scanner', v.scanner, SCANNERS, 'auto');
  let phases = resolvePhases(listValue(v.phase));
  if (scanner === 'none') {
    if (listValue(v.phase).length && phases.includes('scan')) {
      throw new UsageError("stagebench run: --phase scan needs a scanner, but --scanner is 'none'; choose auto, builtin, trivy or grype");
    }
    phases = phases.filter((p) => p !== 'scan');
  }
  const timeoutS = intValue('run', 'timeout', v.timeout, 1800, 1);
  const full = v.full === true;
  const iterations = intValue('run', 'iterations', v.iterations, quick ? 1 : 5, 1, 1000);
  const adaptive = !full && !quick && v.iterations === undefined;
  if (!adaptive && (v['target-rme'] !== undefined || v['max-samples'] !== undefined || v['phase-budget'] !== undefined)) {
    throw new UsageError('stagebench run: --target-rme, --max-samples and --phase-budget shape adaptive sampling; --full, --quick and --iterations N take a fixed number of samples. Drop one of them.');
  }
  const settings = {
    targetRmePct: intValue('run', 'target-rme', v['target-rme'], DEFAULT_ADAPTIVE.targetRmePct, 1, 100),
    maxSamples: intValue('run', 'max-samples', v['max-samples'], DEFAULT_ADAPTIVE.maxSamples, 1, 1000),
    budgetMs: intValue('run', 'phase-budget', v['phase-budget'], DEFAULT_ADAPTIVE.budgetMs / 1000, 1) * 1000,
  };
  const plan = adaptive
    ? selectPlan(defaultPlan(settings), listValue(v.phase).length ? phases : defaultPlan(settings).map((p) => p.phase).filter((p) => phases.includes(p)))
    : fixedPlan(phases, iterations);
  if (plan.length === 0) {
    throw new UsageError(`stagebench run: the default plan measures none of the phases asked (${phases.join(', ')}); add --full or --iterations N to measure them`);
  }
  const variants = listValue(v.variant);
  return {
    scenariosDir: resolve(cwd, typeof v.scenarios === 'string' ? v.scenarios : 'scenarios'),
    scenarios: listValue(v.scenario),
    // Empty: planRun takes each scenario's default variants (the article's three it has), or every variant with --full.
    variants,
    phases: [...new Set(plan.map((p) => p.phase))],
    iterations: adaptive ? undefined : iterations,
    adaptive: adaptive ? settings : undefined,
    warmup: intValue('run', 'warmup', v.warmup, 0, 0, 100),
    builder: choiceValue('run', 'builder', v.builder, BUILDERS, 'buildkit'),
    profile: choiceValue('run', 'profile', v.profile, ['auto', 'online', 'offline'] as const, 'auto'),
    registry: registryValue(v.registry),
    registryInsecure: v['registry-insecure'] === true,
    pullTarget: pullTargetValue(v['pull-target']),
    scanner,
    vulnDb: typeof v['vuln-db'] === 'string' ? resolve(cwd, v['vuln-db']) : undefined,
    scannerArgs: Array.isArray(v['scanner-arg']) ? (v['scanner-arg'] as string[]) : [],
    ...secretOptions(v['secret-dir'], v['secret-env'], cwd),
    quick,
    full,
    plan,
    shard: typeof v.shard === 'string' ? parseShard(v.shard) : undefined,
    out: typeof v.out === 'string' ? resolve(cwd, v.out) : undefined,
    timeoutMs: timeoutS * 1000,
    resume: typeof v.resume === 'string' ? resolve(cwd, v.resume) : undefined,
    keepImages: v['keep-images'] === true,
    ciCache: ciCacheValue(v['ci-cache']),
    npmRegistry: parseNpmRegistry(v['npm-registry']),
    against: typeof v.against === 'string' ? resolve(cwd, v.against) : undefined,
  };
}

function secretOptions(dirs: unknown, env: unknown, cwd: string): { secretDirs: string[]; secretEnv: string[] } {
  const allowed = secretsAllowed(dirs, env, cwd);
  return { secretDirs: [...allowed.dirs], secretEnv: [...allowed.env] };
}

// ---- options recorded in run.json, read back by --resume -------------------------------------------------------

// Each recorded field, its command-line flag, and the type JSON gives it. A resumed run takes these from a file that
// anyone with write access to the results folder can edit: they go through the command line's own parser, so a
// recorded value passes exactly when the same value typed as that flag would.
const RECORDED: { [K in keyof RunOptions]?: { flag: string; type: z.ZodType; argv: (v: never) => string[] } } = {
  scenariosDir: { flag: 'scenarios', type: z.string().refine(isAbsolute, 'an absolute path'), argv: (v: string) => [`--scenarios=${v}`] },
  scenarios: { flag: 'scenario', type: z.array(z.string()), argv: (v: string[]) => v.map((x) => `--scenario=${x}`) },
  variants: { flag: 'variant', type: z.array(z.string()), argv: (v: string[]) => v.map((x) => `--variant=${x}`) },
  phases: { flag: 'phase', type: z.array(z.string()), argv: (v: string[]) => v.map((x) => `--phase=${x}`) },
  iterations: { flag: 'iterations', type: z.number(), argv: (v: number) => [`--iterations=${v}`] },
  warmup: { flag: 'warmup', type: z.number(), argv: (v: number) => [`--warmup=${v}`] },
  builder: { flag: 'builder', type: z.string(), argv: (v: string) => [`--builder=${v}`] },
  profile: { flag: 'profile', type: z.string(), argv: (v: string) => [`--profile=${v}`] },
  registry: { flag: 'registry', type: z.string(), argv: (v: string) => [`--registry=${v}`] },
  registryInsecure: { flag: 'registry-insecure', type: z.boolean(), argv: (v: boolean) => (v ? ['--registry-insecure'] : []) },
  pullTarget: { flag: 'pull-target', type: z.string(), argv: (v: string) => [`--pull-target=${v}`] },
  scanner: { flag: 'scanner', type: z.string(), argv: (v: string) => [`--scanner=${v}`] },
  vulnDb: { flag: 'vuln-db', type: z.string().refine(isAbsolute, 'an absolute path'), argv: (v: string) => [`--vuln-db=${v}`] },
  scannerArgs: { flag: 'scanner-arg', type: z.array(z.string()), argv: (v: string[]) => v.map((x) => `--scanner-arg=${x}`) },
  secretDirs: { flag: 'secret-dir', type: z.array(z.string().refine(isAbsolute, 'an absolute path')), argv: (v: string[]) => v.map((x) => `--secret-dir=${x}`) },
  secretEnv: { flag: 'secret-env', type: z.array(z.string()), argv: (v: string[]) => v.map((x) => `--secret-env=${x}`) },
  quick: { flag: 'quick', type: z.boolean(), argv: (v: boolean) => (v ? ['--quick'] : []) },
  full: { flag: 'full', type: z.boolean(), argv: (v: boolean) => (v ? ['--full'] : []) },
  adaptive: {
    flag: 'target-rme',
    type: z.strictObject({ targetRmePct: z.number(), maxSamples: z.number(), budgetMs: z.number() }),
    argv: (v: AdaptiveSettings) => [`--target-rme=${v.targetRmePct}`, `--max-samples=${v.maxSamples}`, `--phase-budget=${v.budgetMs / 1000}`],
  },
  shard: {
    flag: 'shard',
    type: z.strictObject({ index: z.number(), count: z.number() }),
    argv: (v: { index: number; count: number }) => [`--shard=${v.index}/${v.count}`],
  },
  timeoutMs: { flag: 'timeout', type: z.number(), argv: (v: number) => [`--timeout=${v / 1000}`] },
  keepImages: { flag: 'keep-images', type: z.boolean(), argv: (v: boolean) => (v ? ['--keep-images'] : []) },
  ciCache: { flag: 'ci-cache', type: z.string(), argv: (v: string) => [`--ci-cache=${v}`] },
  npmRegistry: { flag: 'npm-registry', type: z.string(), argv: (v: string) => [`--npm-registry=${v}`] },
};

/** The option field a command-line flag sets, among those a resumed run takes from run.json. */
export function recordedField(flag: string): keyof RunOptions | undefined {
  return (Object.keys(RECORDED) as Array<keyof RunOptions>).find((f) => RECORDED[f]?.flag === flag);
}

/**
 * run.json's `options`, checked field by field with the command line's rules and resolved as the command line
 * resolves them. Throws a UsageError naming the file, the field and its flag. Fields this version does not record
 * are ignored (a newer version's run resumes with their defaults); absent fields take their defaults.
 */
export function parseRecordedOptions(value: unknown, file: string): RunOptions {
  const restart = 'edit the file back, or start a new run instead of resuming this one';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${file}: 'options' must be an object of the run's options, not ${JSON.stringify(value) ?? 'missing'}; ${restart}`);
  }
  const record = value as Record<string, unknown>;
  const argv: string[] = [];
  for (const [field, spec] of Object.entries(RECORDED) as Array<[keyof RunOptions, NonNullable<(typeof RECORDED)[keyof RunOptions]>]>) {
    const v = record[field];
    if (v === undefined || v === null) continue;
    const where = `${file}: options.${field} (the --${spec.flag} option)`;
    const typed = spec.type.safeParse(v);
    if (!typed.success) throw new UsageError(`${where} has the wrong type: ${typed.error.issues[0]?.message ?? 'invalid'} (found ${JSON.stringify(v).slice(0, 80)}); ${restart}`);
    const own = spec.argv(typed.data as never);
    try {
      parseRunOptions(own);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      throw new UsageError(`${where} is not valid: ${err.message.replace(/^stagebench run: /, '')}; ${restart}`);
    }
    argv.push(...own);
  }
  try {
    return parseRunOptions(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    throw new UsageError(`${file}: the recorded options do not go together: ${err.message.replace(/^stagebench run: /, '')}; ${restart}`);
  }
}

/** The command line that gives these options again (the fields a run records; --out and --resume are not among them). */
export function optionsArgv(options: Partial<RunOptions>): string[] {
  const argv: string[] = [];
  for (const [field, spec] of Object.entries(RECORDED) as Array<[keyof RunOptions, NonNullable<(typeof RECORDED)[keyof RunOptions]>]>) {
    const v = options[field];
    if (v === undefined || v === null) continue;
    argv.push(...spec.argv(v as never));
  }
  return argv;
}
