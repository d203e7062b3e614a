// Every public type of stagebench, and the column lists of the result files (docs/ARCHITECTURE.md says where each lives).

import { PHASE_CATALOGUE, phaseInfo, type PhaseName } from './phase-catalogue.ts';

export const SCHEMA = 1;

/**
 * The variant every other is measured against (the run table's 'vs' column, the report's ratios and headlines, the
 * scan table's listed findings) when scenario.json names no `reference`: named here once.
 */
export const REFERENCE_VARIANT = 'single';

/** The variant a scenario's others are compared with: its `reference`, else REFERENCE_VARIANT. */
export function referenceOf(references: Readonly<Record<string, string>> | undefined, scenario: string): string {
  return references?.[scenario] ?? REFERENCE_VARIANT;
}

export { PHASE_CATALOGUE, phaseInfo, type PhaseInfo, type PhaseName } from './phase-catalogue.ts';

export const PHASES: readonly PhaseName[] = PHASE_CATALOGUE.map((p) => p.name);

export const PHASE_GROUPS: Readonly<Record<string, readonly PhaseName[]>> = Object.fromEntries(
  ['build', 'push', 'pull', 'context', 'ci'].map((g) => [g, PHASES.filter((p) => phaseInfo(p).group === g)]),
);

/**
 * Phases measured in turns, sample by sample (A1 B1 A2 B2 ...), when a run selects both: their difference is the
 * point, and turns keep a drift of the machine (a neighbour's build, a warming disk) out of it.
 */
export const INTERLEAVED_PHASES: readonly (readonly PhaseName[])[] = [['build-context-ignored', 'build-context-full']];

export const BUILDERS = ['buildkit', 'legacy'] as const;
export type BuilderKind = (typeof BUILDERS)[number];

export const PROFILE_NAMES = ['online', 'offline'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export const SCANNERS = ['auto', 'builtin', 'trivy', 'grype', 'none'] as const;
export type ScannerChoice = (typeof SCANNERS)[number];
export type ScannerName = Exclude<ScannerChoice, 'auto'>;

// ---- scenarios ------------------------------------------------------------------------------------------------

export interface VariantSpec {
  /** Dockerfile path relative to the scenario folder. */
  dockerfile: string;
  /** Build stage to stop at (docker build --target). */
  target?: string;
  description?: string;
}

export interface SmokeSpec {
  method: 'GET' | 'POST';
  path: string;
  /** Request body for POST, sent as application/json. */
  body?: unknown;
  status: number;
  /** Text the response body must contain. */
  contains?: string;
  /** How long the container may take to answer, ms. */
  timeout_ms: number;
}

export interface SourceChange {
  /** File (relative to the scenario) that a build-warm-src sample changes. */
  file: string;
  /** Text appended to it; a unique marker follows so that every sample's change is new to the cache. */
  append: string;
}

export interface DependencyChange {
  /** Files replaced for a build-warm-deps sample: destination (relative to the scenario) -> replacement file. */
  replace: Record<string, string>;
  /** Human description, e.g. "adds ms@2.1.3". */
  description: string;
}

/** A BuildKit secret's source: exactly one of a file (relative to the scenario folder, or absolute) or an env var. */
export interface SecretSource {
  file?: string;
  env?: string;
}

export interface RunSpec {
  /** Environment of the container in the run phase and tune's smoke test. */
  env?: Record<string, string>;
  /** A fixed port the app listens on (PORT is then not set). */
  port?: number;
  /** Containers started beside the app for the run phase (a database), by the name the app reaches each by. */
  services?: Record<string, ServiceSpec>;
}

/** A container the app needs to start (scenario.json run.services.NAME); docs/services.md. */
export interface ServiceSpec {
  image: string;
  env?: Record<string, string>;
  /** Arguments after the image's entrypoint (its CMD replaced). */
  command?: string[];
  /** The port it listens on; where env or command holds {{port}}, a free port the harness chooses replaces it. */
  port: number;
  /** Ready when a TCP connect to its port succeeds (default), or when this command exits 0 inside it. */
  ready?: { command: string[] } | { tcp: true };
  ready_timeout_ms?: number;
  /** Started afresh for every sample; default: once per variant. */
  per_sample?: boolean;
  /** Further host names the app may use for it (compose link aliases). */
  aliases?: string[];
}

export interface BuildSpec {
  /** Extra build args; the profile's base-image args win. */
  args?: Record<string, string>;
  /** BuildKit secrets by id. Values are read at build time only, never recorded. */
  secrets?: Record<string, SecretSource>;
}

export interface Scenario {
  name: string;
  description: string;
  /** Absolute path of the scenario folder. */
  dir: string;
  variants: Record<string, VariantSpec>;
  smoke: SmokeSpec;
  changes: { source: SourceChange; dependency: DependencyChange };
  /** Build context subfolder, relative to dir; Dockerfiles lie inside it. */
  context?: string;
  /** The variant the others are compared with (scenario.json `reference`); REFERENCE_VARIANT when absent. */
  reference?: string;
  /** The Node.js major of the base images (scenario.json `node`); the profile's default when absent. */
  node?: number;
  run?: RunSpec;
  build?: BuildSpec;
}

// ---- profiles -------------------------------------------------------------------------------------------------

export interface Profile {
  name: ProfileName;
  description: string;
  /** Build-arg name -> image reference: the images of the profile's default Node major. */
  images: Record<string, string>;
  /** The Node.js major `images` carry (20 when the file does not say). */
  node?: number;
  /** Other Node majors the profile provides: major -> build-arg name -> image reference. */
  nodeMajors?: Record<string, Record<string, string>>;
  /** Why the profile provides the majors it does, for the error when a scenario asks for another. */
  nodeNote?: string;
}

// ---- results --------------------------------------------------------------------------------------------------

export const SAMPLE_COLUMNS = [
  'schema', 'run_id', 'time', 'scenario', 'variant', 'phase', 'iteration', 'ok', 'error', 'duration_ms', 'profile',
  'builder', 'image', 'image_id', 'image_bytes', 'compressed_bytes', 'layers', 'steps', 'cached_steps',
  'context_bytes', 'transfer_bytes', 'vulns_critical', 'vulns_high', 'vulns_medium', 'vulns_low', 'packages_os',
  'packages_npm', 'scanner', 'engine', 'host', 'commit',
] as const;

/** Columns samples.csv carries after the contract's, in this order. */
export const SAMPLE_EXTRA_COLUMNS = ['context_ms'] as const;

export const SUMMARY_COLUMNS = [
  'schema', 'run_id', 'scenario', 'variant', 'phase', 'n', 'failed', 'median_ms', 'mean_ms', 'stddev_ms', 'min_ms',
  'max_ms', 'p75_ms', 'p99_ms', 'rme_pct', 'image_bytes', 'compressed_bytes', 'layers', 'cached_steps',
  'transfer_bytes', 'vulns_critical', 'vulns_high', 'vulns_medium', 'vulns_low', 'packages_os', 'packages_npm',
] as const;

export const STEP_COLUMNS = [
  'schema', 'run_id', 'scenario', 'variant', 'phase', 'iteration', 'step', 'instruction', 'cached', 'duration_ms',
] as const;

/** Columns steps.csv carries after the contract's: why a rebuilt step missed the cache (docs/why.md), '' otherwise. */
export const STEP_EXTRA_COLUMNS = ['cause_kind', 'cause', 'cause_origin'] as const;

/** composition.csv: where an image's bytes go, one row per scenario, variant and category (written by the scan phase). */
export const COMPOSITION_COLUMNS = ['scenario', 'variant', 'category', 'bytes'] as const;

/**
 * The categories of composition.csv and of `stagebench explain`, in the order charts stack them. Every file of the
 * final image is in exactly one of the first six; wasted is the bytes of files a later layer deleted or overwrote.
 */
export const COMPOSITION_CATEGORIES = ['runtime', 'production dependencies', 'devDependencies', 'toolchain', 'caches', 'app', 'wasted'] as const;
export type CompositionCategory = (typeof COMPOSITION_CATEGORIES)[number];

/** A row of composition.csv. */
export interface CompositionRow {
  scenario: string;
  variant: string;
  category: CompositionCategory;
  bytes: number;
}

export const COMPARE_COLUMNS = [
  'scenario', 'variant', 'phase', 'baseline_median_ms', 'current_median_ms', 'change_pct', 'p_value', 'verdict',
] as const;

/** One timed execution of a phase: a row of samples.csv. null is an unknown value (an empty cell). */
export interface SampleRow {
  schema: number;
  run_id: string;
  time: string;
  scenario: string;
  variant: string;
  phase: PhaseName;
  iteration: number;
  ok: boolean;
  error: string;
  duration_ms: number | null;
  profile: string;
  builder: string;
  image: string;
  image_id: string;
  image_bytes: number | null;
  compressed_bytes: number | null;
  layers: number | null;
  steps: number | null;
  cached_steps: number | null;
  context_bytes: number | null;
  transfer_bytes: number | null;
  vulns_critical: number | null;
  vulns_high: number | null;
  vulns_medium: number | null;
  vulns_low: number | null;
  packages_os: number | null;
  packages_npm: number | null;
  scanner: string;
  engine: string;
  host: string;
  commit: string;
  /** After the contract's columns: ms until the engine had read the whole build context (build phases). */
  context_ms?: number | null;
}

export interface SummaryRow {
  schema: number;
  run_id: string;
  scenario: string;
  variant: string;
  phase: PhaseName;
  n: number;
  failed: number;
  median_ms: number | null;
  mean_ms: number | null;
  stddev_ms: number | null;
  min_ms: number | null;
  max_ms: number | null;
  p75_ms: number | null;
  p99_ms: number | null;
  rme_pct: number | null;
  image_bytes: number | null;
  compressed_bytes: number | null;
  layers: number | null;
  cached_steps: number | null;
  transfer_bytes: number | null;
  vulns_critical: number | null;
  vulns_high: number | null;
  vulns_medium: number | null;
  vulns_low: number | null;
  packages_os: number | null;
  packages_npm: number | null;
}

/** One instruction step of one build sample: a row of steps.csv. */
export interface StepRow {
  schema: number;
  run_id: string;
  scenario: string;
  variant: string;
  phase: PhaseName;
  iteration: number;
  /** Step label as BuildKit prints it, e.g. "[builder 3/6]". */
  step: string;
  instruction: string;
  cached: boolean;
  duration_ms: number | null;
  /** In phases that apply a change, for a rebuilt step: files, variable, base, instruction, cascade, stage or none. */
  cause_kind: string;
  cause: string;
  /** The step label of the first cause this rebuild goes back to. */
  cause_origin: string;
}

export type Verdict = 'faster' | 'slower' | 'same' | 'new' | 'missing';

export interface CompareRow {
  scenario: string;
  variant: string;
  phase: string;
  baseline_median_ms: number | null;
  current_median_ms: number | null;
  change_pct: number | null;
  p_value: number | null;
  verdict: Verdict;
}

/** Statistics of one set of durations (ms). */
export interface Stats {
  n: number;
  median: number;
  mean: number;
  stddev: number;
  min: number;
  max: number;
  p75: number;
  p99: number;
  /** Relative margin of error of the mean at 95% (Student's t), percent. */
  rme: number;
}

/** run.json. */
export interface RunInfo {
  schema: number;
  run_id: string;
  started: string;
  finished?: string;
  stagebench_version: string;
  command_line: string[];
  environment: {
    engine_version: string;
    engine_api: string;
    engine_host: string;
    engine_os: string;
    storage_driver: string;
    builder: BuilderKind;
    cpus: number;
    memory_bytes: number;
    os: string;
    node_version: string;
    host: string;
    commit: string;
  };
  profile: {
    name: ProfileName; chosen_by: 'auto' | 'option'; images: Record<string, { ref: string; id: string; digest: string }>;
    /** The Node major of `images`; absent in runs written before scenarios could choose one. */
    node?: number;
    /** Images of the other Node majors the run's scenarios asked for (scenario.json `node`), by major. */
    node_images?: Record<string, Record<string, { ref: string; id: string; digest: string }>>;
  };
  registry: { kind: 'embedded' | 'external' | 'none'; address?: string };
  pull_target: { kind: 'embedded' | 'external' | 'building-engine' | 'none'; address?: string };
  scanner: { name: string; version?: string; db_date?: string };
  /** The npm registry the builds used (--npm-registry); absent in runs made before the option existed. */
  npm_registry?: NpmRegistryInfo;
  options: Record<string, unknown>;
  /** npm_registry: the route this variant's builds took (a Dockerfile that takes no registry stays direct). */
  builds: Array<{ scenario: string; variant: string; docker_build: string; npm_registry?: string }>;
  /** Each scenario's reference variant (scenario.json `reference`); absent in runs written before it existed. */
  references?: Record<string, string>;
  /** Phases the run left out for a scenario before its first sample (a service image it cannot have), and why. */
  skipped?: Array<{ scenario: string; phase: PhaseName; reason: string; command: string }>;
  /** Each start of a run-phase service container (scenario.json run.services) and how long until it was ready. */
  services?: Array<{ scenario: string; variant: string; service: string; image: string; port: number; ready_ms: number }>;
  /** A merged run: every input with its own services and the phases it measured. */
  merged_from?: Array<{
    run_id: string; dir: string; host: string;
    registry?: RunInfo['registry'] | null; pull_target?: RunInfo['pull_target'] | null; scanner?: RunInfo['scanner'] | null;
    phases?: string[];
  }>;
}

/** run.json's record of the npm registry builds used: never a credential; a local proxy's uplink is not named. */
export interface NpmRegistryInfo {
  kind: 'direct' | 'local' | 'url';
  chosen_by: 'auto' | 'option';
  /** Why auto chose what it chose, or what was not routed. */
  note?: string;
  /** The registry the builds were given: 127.0.0.1:PORT for the local proxy, the URL (without credentials) else. */
  address?: string;
  /** The proxy and its version (local). */
  proxy?: string;
  /** The untimed warm-up of the local proxy: how long, and how many requests reached it. */
  warmup_ms?: number;
  warmup_requests?: number;
}

// ---- scanning -------------------------------------------------------------------------------------------------

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'negligible' | 'unknown';

export interface Finding {
  kind: 'vulnerability' | 'hygiene';
  id: string;
  package: string;
  version: string;
  fixed_version: string;
  severity: Severity | '';
  path: string;
}

export interface ScanResult {
  scanner: ScannerName;
  scanner_version: string;
  db_date: string;
  /** False when no vulnerability database was used: vulns_* cells stay empty. */
  vulns_checked: boolean;
  packages_os: number | null;
  packages_npm: number | null;
  findings: Finding[];
}

export const FINDING_COLUMNS = [
  'scenario', 'variant', 'scanner', 'kind', 'id', 'package', 'version', 'fixed_version', 'severity', 'path',
] as const;
