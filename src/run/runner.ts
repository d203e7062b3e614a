// The run: scenarios x variants x phases, each phase's samples through the timing loop, every row written as soon as
// it is measured, and everything the run started removed at the end, also when it is interrupted.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildOutcome, BuildRequest, Engine, EngineInfo } from '../engine/engine.ts';
import { EnvironmentError } from '../errors.ts';
import { LABEL_RUN, imageRef } from '../engine/labels.ts';
import { buildRequest, dockerBuildCommand } from '../phases/build.ts';
import { createPhase } from '../phases/index.ts';
import type { Measured, RunContext, SampleSlot } from '../phases/phase.ts';
import type { ResolvedProfile } from '../profile/profile.ts';
import { defaultMajor } from '../scenario/node-major.ts';
import { readRunInfo, readSamples } from '../results/read.ts';
import { ResultWriter } from '../results/writer.ts';
import { scenarioReferences } from '../scenario/load.ts';
import { Workspace } from '../scenario/workspace.ts';
import { summaryRows } from '../stats/summary.ts';
import { RATIO_COLUMN, withSizeRatio } from '../stats/size-ratio.ts';
import { runSamples } from '../timing/sampler.ts';
import { INTERLEAVED_PHASES, phaseInfo, SCHEMA, type CompositionRow, type NpmRegistryInfo, type PhaseName, type RunInfo, type SampleRow, type Scenario, type StepRow } from '../types.ts';
import type { ProgressSink } from '../terminal/progress.ts';
import { formatBytes, formatDuration, formatPercent } from '../units.ts';
import type { RunOptions } from './options.ts';
import { RunPosition } from './position.ts';
import { cellPhases, expectedSamples, sampleRange, stopReason, stopText, type PhasePlan, type SamplePolicy, type StopReason } from './plan.ts';
import type { RunServices } from './services.ts';
import { redactArgs, redactToolArgs, redactUrl } from '../net/redact-url.ts';
import { notRoutedWarning, type NpmRoute } from '../npm-proxy/npm-route.ts';
import { ServiceContainers } from '../sidecars/service-containers.ts';
import { skipUnavailableServices, type SkippedPhase } from './service-check.ts';

export interface RunPlanItem {
  scenario: Scenario;
  variants: string[];
  /** Each variant's plan entries (plan.ts planCells): the phases it measures and how each is sampled. */
  entries: Record<string, PhasePlan[]>;
}

export interface RunSetup {
  runId: string;
  dir: string;
  options: RunOptions;
  plan: RunPlanItem[];
  engine: Engine;
  engineInfo: EngineInfo;
  profile: ResolvedProfile;
  services: RunServices;
  progress: ProgressSink;
  signal: AbortSignal;
  commit: string;
  commandLine: string[];
  version: string;
  /** Opens the run's npm registry route (--npm-registry); absent: builds fetch packages directly. */
  openNpm?: () => Promise<NpmRoute>;
  /** Per-sample costs (keys: phase, or costKey(scenario, phase)) the live line prices the plan with; absent: measured. */
  costs?: Readonly<Record<string, number>>;
  /** The wall-clock estimate printed before the run: kept in run.json beside what the run took. */
  estimatedMs?: number;
}

export interface RunResult {
  dir: string;
  rows: SampleRow[];
  failed: number;
  interrupted: boolean;
}

function key(r: { scenario: string; variant: string; phase: string; iteration: number }): string {
  return `${r.scenario}\u0000${r.variant}\u0000${r.phase}\u0000${r.iteration}`;
}

/** Which host measured the rows: this machine for a local engine, else the remote engine's address. */
export function measuringHost(engineAddress: string): string {
  return engineAddress.startsWith('unix://') ? hostname() : engineAddress.replace(/^[a-z]+:\/\//, '');
}

/** The route a variant's builds take: the run's, or direct when its Dockerfile takes no registry. */
function variantRoute(npm: NpmRoute | undefined, scenario: Scenario, variant: string): string {
  if (!npm || npm.info.kind === 'direct') return 'direct';
  return npm.forDockerfile(join(scenario.dir, scenario.variants[variant].dockerfile)) ? npm.info.kind : 'direct';
}

/** What run.json says of the run phase's service containers: phases skipped for want of an image, and each start. */
interface ServiceRecord {
  skipped: SkippedPhase[];
  pool?: ServiceContainers;
}

function runInfo(s: RunSetup, workspaceRoot: string, started: string, previous?: RunInfo, npm?: NpmRoute, svc?: ServiceRecord): RunInfo {
  const e = s.engineInfo;
  return {
    schema: SCHEMA,
    run_id: s.runId,
    started: previous?.started ?? started,
    stagebench_version: s.version,
    command_line: redactArgs(s.commandLine),
    environment: {
      engine_version: e.version,
      engine_api: e.apiVersion,
      engine_host: e.host,
      engine_os: e.os,
      storage_driver: e.storageDriver,
      builder: s.options.builder,
      cpus: e.cpus,
      memory_bytes: e.memoryBytes,
      os: `${process.platform} ${e.kernel}`,
      node_version: process.version,
      host: measuringHost(s.engine.address),
      commit: s.commit,
    },
    profile: {
      name: s.profile.profile.name, chosen_by: s.profile.chosenBy, images: s.profile.images, node: defaultMajor(s.profile.profile),
      ...(Object.keys(s.profile.nodeImages ?? {}).length ? { node_images: s.profile.nodeImages } : {}),
    },
    registry: s.services.registryInfo(),
    pull_target: s.services.pullTargetInfo(),
    scanner: s.services.scannerInfo(),
    // Before the route is open the record waits for it; a run given no route builds directly.
    ...(npm ? { npm_registry: npm.info } : s.openNpm ? {} : { npm_registry: { kind: 'direct', chosen_by: 'option' } }),
    options: { ...s.options, pullTarget: redactUrl(s.options.pullTarget), scannerArgs: redactToolArgs(s.options.scannerArgs) },
    builds: s.plan.flatMap(({ scenario, variants }) =>
      variants.map((variant) => {
        const req = buildRequest({ runId: s.runId, profile: s.profile.profile, builder: s.options.builder, scenario, variant, contextDir: scenario.dir, npm });
        return { scenario: scenario.name, variant, docker_build: dockerBuildCommand(req), npm_registry: variantRoute(npm, scenario, variant) };
      }),
    ),
    references: scenarioReferences(s.plan.map((p) => p.scenario)),
    ...(previous ? { resumed_from: previous.run_id } : {}),
    ...(svc?.skipped.length ? { skipped: svc.skipped } : {}),
    ...(svc?.pool?.starts.length ? { services: svc.pool.starts } : {}),
    ...{ workspace: workspaceRoot },
  } as RunInfo;
}

/** Where a variant's build failed, and why: later samples of the variant are skipped rather than built again. */
export interface BrokenBuild {
  phase: PhaseName;
  cause: string;
}

/**
 * Whether a failed build failed because of what it builds (a step, the Dockerfile, a base image), so building it again
 * fails the same way; not when it was interrupted, timed out, or lost its engine (those may pass next time). Pure.
 */
export function isBuildOwnFailure(outcome: BuildOutcome, aborted: boolean): boolean {
  if (outcome.ok || aborted) return false;
  return !/^(the engine refused the build|the build stream broke|timed out after|cannot read the build context)/.test(outcome.error);
}

/** The row text of a sample skipped because its variant's build failed earlier in the run. */
export function skippedBecause(variant: string, broken: BrokenBuild): string {
  return `skipped: the build of ${variant} failed in ${broken.phase} (${broken.cause.split('\n')[0].slice(0, 200)})`;
}

/**
 * The engine as phases see it, noting each of the run's builds that failed on its own account (by image tag): any
 * phase builds (a push prepares its image), so the runner learns of a broken variant wherever its build ran.
 */
function watchBuilds(engine: Engine, failed: Map<string, string>): Engine {
  return new Proxy(engine, {
    get(target, prop) {
      if (prop === 'build') {
        return async (req: BuildRequest) => {
          const outcome = await target.build(req);
          if (isBuildOwnFailure(outcome, req.signal?.aborted ?? false) && !outcome.ok) failed.set(req.tag, outcome.error);
          return outcome;
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function describe(m: Measured, row: SampleRow): string {
  const bits = [m.ok ? 'ok' : 'FAILED', formatDuration(m.durationMs)];
  if (row.steps !== null && row.cached_steps !== null) bits.push(`${row.cached_steps}/${row.steps} steps cached`);
  if (row.image_bytes !== null) bits.push(formatBytes(row.image_bytes));
  if (row.transfer_bytes !== null) bits.push(`moved ${formatBytes(row.transfer_bytes)}`);
  if (!m.ok) bits.push(`\n    ${m.error.split('\n').join('\n    ')}`);
  return bits.join('  ');
}

export async function executeRun(s: RunSetup): Promise<RunResult> {
  const writer = new ResultWriter(s.dir);
  const previousRows = existsSync(join(s.dir, 'samples.csv')) ? readSamples(join(s.dir, 'samples.csv')) : [];
  const done = new Set(previousRows.map(key));
  const rows: SampleRow[] = [...previousRows];
  const workspaceRoot = mkdtempSync(join(tmpdir(), `stagebench-${s.runId}-`));
  // A resumed run's own run.json (the writer made samples.csv beside it, so the folder reads as a run folder).
  const previous = readRunInfo(s.dir);
  const started = new Date().toISOString();
  writer.runInfo(runInfo(s, workspaceRoot, started, previous));
  const host = measuringHost(s.engine.address);
  let interrupted = false;
  const wallStart = performance.now();
  const prepMs = new Map<PhaseName, number>();
  const stops = new Map<string, StopReason | 'build failed'>();

  // Before the first sample: a scenario whose service images cannot be had skips its run phase, saying why.
  const pool = new ServiceContainers(s.engine, s.runId, s.signal, (l) => s.progress.note(l));
  const checked = await skipUnavailableServices(s.plan, pool, s.options.scenariosDir, (l) => s.progress.note(l));
  const svc: ServiceRecord = { skipped: checked.skipped, pool };
  s = { ...s, plan: checked.plan };
  if (svc.skipped.length) writer.runInfo(runInfo(s, workspaceRoot, started, previous, undefined, svc));
  const position = runPosition(s, previousRows);

  const failedBuilds = new Map<string, string>();
  const broken = new Map<string, BrokenBuild>();
  const loop: PlanLoop = { writer, rows, done, stops, host, failedBuilds, broken, prepMs, position };
  const ctx: RunContext = {
    engine: watchBuilds(s.engine, failedBuilds),
    runId: s.runId,
    profile: s.profile.profile,
    builder: s.options.builder,
    signal: s.signal,
    timeoutMs: s.options.timeoutMs,
    services: s.services,
    log: (l) => s.progress.note(l),
    serviceContainers: pool,
  };

  let npm: NpmRoute | undefined;
  try {
    if (s.openNpm) {
      npm = await s.openNpm();
      ctx.npm = npm;
      announceNpmRoute(s, npm);
      writer.runInfo(runInfo(s, workspaceRoot, started, previous, npm, svc));
      // Untimed, before the first timed build: the packages come from the internet once, here, not in a sample.
      if (npm.warm) {
        await npm.warm(s.plan.map((p) => p.scenario), s.signal, (l) => s.progress.note(l));
        writer.runInfo(runInfo(s, workspaceRoot, started, previous, npm, svc));
      }
    }
    for (const item of s.plan) {
      const { scenario, variants } = item;
      const workspace = new Workspace(scenario, workspaceRoot);
      for (const variant of variants) await runCell(s, ctx, loop, item, variant, workspace);
      workspace.remove();
    }
  } catch (err) {
    if (!s.signal.aborted) throw err;
    interrupted = true;
  } finally {
    s.progress.stop();
    const cleanupStart = performance.now();
    try {
      await pool.downAll().catch((err: Error) => s.progress.note(`stagebench: stopping the run phase's service containers: ${err.message}; 'stagebench clean' removes them`));
      await s.services.stopAll().catch((err: Error) => s.progress.note(`stagebench: stopping the run's services: ${err.message}`));
      await npm?.stop().catch((err: Error) => s.progress.note(`stagebench: stopping the npm proxy: ${err.message}; 'stagebench clean' removes it`));
      if (!s.options.keepImages) {
        await removeRunImages(s.engine, s.runId).catch((err: Error) =>
          s.progress.note(`stagebench: could not remove the run's images (${err.message}); 'stagebench clean' removes them later`));
      }
    } finally {
      rmSync(workspaceRoot, { recursive: true, force: true });
      const cleanupMs = performance.now() - cleanupStart;
      // samples.csv is complete already; a full disk here must not hide the error that ended the run.
      try {
        recordRunEnd(s, loop, runInfo(s, workspaceRoot, started, previous, npm, svc), wallStart, cleanupMs, interrupted);
      } catch (err) {
        s.progress.note(`stagebench: ${(err as Error).message}`);
      } finally {
        writer.close();
      }
    }
  }
  return { dir: s.dir, rows, failed: rows.filter((r) => !r.ok).length, interrupted };
}

/** The run's last records: summary.csv with why each slot stopped, the efficiency line, run.json's finish. */
function recordRunEnd(s: RunSetup, loop: PlanLoop, info: RunInfo, wallStart: number, cleanupMs: number, interrupted: boolean): void {
  const { writer, rows, stops, done, prepMs } = loop;
  const summary = withSizeRatio(summaryRows(rows)).map((r) => ({ ...r, [STOP_COLUMN]: stops.get(`${r.scenario}\u0000${r.variant}\u0000${r.phase}`) ?? '' }));
  writer.summary(summary, [RATIO_COLUMN, STOP_COLUMN]);
  const timedMs = rows.filter((r) => !done.has(key(r))).reduce((a, r) => a + (r.duration_ms ?? 0), 0);
  const eff = efficiency(timedMs, performance.now() - wallStart, prepMs, cleanupMs);
  const estimated = s.estimatedMs !== undefined ? `; estimated ${formatDuration(s.estimatedMs)} before it started` : '';
  s.progress.note(`efficiency: ${formatPercent(eff.ratio * 100)} of ${formatDuration(eff.wall_ms)} timed; preparation ${formatDuration(Object.values(eff.preparation_ms).reduce((a, b) => a + b, 0))}, cleanup ${formatDuration(eff.cleanup_ms)}${estimated}`);
  const withEstimate = s.estimatedMs !== undefined ? { ...eff, estimated_ms: Math.round(s.estimatedMs) } : eff;
  writer.runInfo({ ...info, finished: new Date().toISOString(), efficiency: withEstimate, ...(interrupted ? { interrupted: true } : {}) } as RunInfo);
}

/** The notes a run prints about its npm route: which registry, and each variant whose Dockerfile installs around it. */
function announceNpmRoute(s: RunSetup, npm: NpmRoute): void {
  s.progress.note(npmLine(npm.info));
  for (const { scenario, variants } of s.plan) {
    for (const variant of variants) {
      if (npm.info.kind !== 'direct' && variantRoute(npm, scenario, variant) === 'direct') {
        const o = npm.optIn(join(scenario.dir, scenario.variants[variant].dockerfile));
        if (o.installs) s.progress.note(notRoutedWarning(scenario.name, variant, o));
      }
    }
  }
}

/** What the loop over the plan shares and adds to, passed by name rather than captured by closures. */
interface PlanLoop {
  writer: ResultWriter;
  /** Every row of the run, resumed ones first; each sample appends its row. */
  rows: SampleRow[];
  /** Keys of the samples a resumed run has already. */
  done: Set<string>;
  /** scenario\0variant\0phase -> why its sampling stopped (summary.csv's stopped_by). */
  stops: Map<string, StopReason | 'build failed'>;
  host: string;
  failedBuilds: Map<string, string>;
  broken: Map<string, BrokenBuild>;
  prepMs: Map<PhaseName, number>;
  position: RunPosition;
}

/** One scenario and variant of the plan: how to record its samples and which of a phase's are still to take. */
interface Cell {
  scenario: Scenario;
  variant: string;
  workspace: Workspace;
  policyOf: (phase: PhaseName) => SamplePolicy;
  todoOf: (phase: PhaseName) => number[];
  record: (row: SampleRow, steps: StepRow[], composition?: CompositionRow[]) => void;
  watch: BuildWatch;
}

/** Every phase of one scenario and variant, in its plan's blocks: alone, or interleaved with the phases it is compared with. */
async function runCell(s: RunSetup, ctx: RunContext, loop: PlanLoop, item: RunSetup['plan'][number], variant: string, workspace: Workspace): Promise<void> {
  const { scenario } = item;
  const { writer, rows, done } = loop;
  const entries = item.entries[variant] ?? [];
  const cell: Cell = {
    scenario,
    variant,
    workspace,
    policyOf: (phase) => entries.find((p) => p.phase === phase)?.policy ?? { kind: 'fixed', n: s.options.iterations ?? 5 },
    record: (row, steps, composition) => {
      // Before the sample row, which marks the sample complete for --resume; the writer drops a repeat.
      if (composition) writer.compositionRows(composition);
      writer.sample(row, steps);
      rows.push(row);
    },
    watch: { failedBuilds: loop.failedBuilds, broken: loop.broken, key: `${scenario.name}\u0000${variant}`, prepMs: loop.prepMs, position: loop.position },
    todoOf: (phase) => Array.from({ length: sampleRange(cell.policyOf(phase))[1] }, (_, i) => i + 1).filter(
      (iteration) => !done.has(key({ scenario: scenario.name, variant, phase, iteration })),
    ),
  };
  try {
    for (const block of phaseBlocks(cellPhases(entries))) {
      if (block.length === 1) {
        await samplePhase(s, ctx, loop, cell, block[0]);
        if (block[0] === 'scan') s.services.flushFindings(writer);
      } else {
        await takeTurns(s, ctx, loop, cell, block);
      }
    }
  } finally {
    // The variant's service containers (started by its run phase) go when its phases are done.
    await ctx.serviceContainers?.down(scenario, variant);
  }
}

/**
 * One phase's samples. Fixed: the samples not yet done, at once. Adaptive: up to the minimum at once, then one at a
 * time until stopReason says why to stop.
 */
async function samplePhase(s: RunSetup, ctx: RunContext, loop: PlanLoop, cell: Cell, phase: PhaseName): Promise<void> {
  const { scenario, variant, workspace, watch } = cell;
  const policy = cell.policyOf(phase);
  const slotKey = `${scenario.name}\u0000${variant}\u0000${phase}`;
  const phaseStart = performance.now();
  let first = true;
  for (;;) {
    const mine = loop.rows.filter((r) => r.scenario === scenario.name && r.variant === variant && r.phase === phase);
    const okMs = mine.filter((r) => r.ok && r.duration_ms !== null).map((r) => r.duration_ms as number);
    const reason = watch.broken.has(watch.key) && !first ? 'build failed' : stopReason(policy, mine.length, okMs, performance.now() - phaseStart);
    if (reason) {
      loop.stops.set(slotKey, reason);
      if (policy.kind === 'adaptive') s.progress.note(`${scenario.name} ${variant} ${phase}: ${stopText(reason, policy, mine.length, okMs)}`);
      break;
    }
    const todo = policy.kind === 'fixed'
      ? cell.todoOf(phase)
      : Array.from({ length: Math.max(1, policy.min - mine.length) }, (_, i) => Math.max(0, ...mine.map((r) => r.iteration)) + i + 1);
    if (todo.length === 0) break;
    await runPhase(s, ctx, { scenario, variant, phase, workspace }, todo, cell.record, loop.host, watch, sampleRange(policy)[1], first ? undefined : 0);
    first = false;
  }
}

/** Phases compared with each other take turns, one sample each; each warms up once, before its first turn. */
async function takeTurns(s: RunSetup, ctx: RunContext, loop: PlanLoop, cell: Cell, block: PhaseName[]): Promise<void> {
  const { scenario, variant, workspace } = cell;
  const warmedUp = new Set<PhaseName>();
  const turns = sampleRange(cell.policyOf(block[0]))[1];
  for (let iteration = 1; iteration <= turns; iteration++) {
    for (const phase of block) {
      if (!cell.todoOf(phase).includes(iteration)) continue;
      const warmup = warmedUp.has(phase) ? 0 : undefined;
      warmedUp.add(phase);
      await runPhase(s, ctx, { scenario, variant, phase, workspace }, [iteration], cell.record, loop.host, cell.watch, turns, warmup);
    }
  }
  for (const phase of block) loop.stops.set(`${scenario.name}\u0000${variant}\u0000${phase}`, 'fixed');
}

/** The line a run prints about its npm registry. Pure. */
export function npmLine(info: NpmRegistryInfo): string {
  const how = info.chosen_by === 'auto' ? ' (auto)' : '';
  if (info.kind === 'direct') return `npm registry: direct${how}: builds fetch packages from wherever npm in the image is configured to${info.note ? `; ${info.note}` : ''}`;
  if (info.kind === 'local') return `npm registry: local${how}: ${info.proxy} on ${info.address}, warmed untimed before the first timed build`;
  return `npm registry: ${info.address}${how}`;
}

/** summary.csv's column after the contract's: why a row set's sampling stopped (fixed, target, max, budget). */
export const STOP_COLUMN = 'stopped_by';

export interface Efficiency {
  timed_ms: number;
  wall_ms: number;
  ratio: number;
  preparation_ms: Record<string, number>;
  cleanup_ms: number;
  /** Wall-clock time neither timed nor preparation nor cleanup: starting services, writing rows, the harness. */
  other_ms: number;
  /** The estimate printed before the run started, to hold against wall_ms. */
  estimated_ms?: number;
}

/** The run's efficiency: timed ms over wall-clock ms, and where the rest went. Pure. */
export function efficiency(timedMs: number, wallMs: number, prepMs: ReadonlyMap<string, number>, cleanupMs: number): Efficiency {
  const preparation = Object.fromEntries([...prepMs].map(([p, ms]) => [p, Math.round(ms)]));
  const prepTotal = [...prepMs.values()].reduce((a, b) => a + b, 0);
  return {
    timed_ms: Math.round(timedMs),
    wall_ms: Math.round(wallMs),
    ratio: wallMs > 0 ? Math.round((timedMs / wallMs) * 1000) / 1000 : 0,
    preparation_ms: preparation,
    cleanup_ms: Math.round(cleanupMs),
    other_ms: Math.max(0, Math.round(wallMs - timedMs - prepTotal - cleanupMs)),
  };
}

function runPosition(s: RunSetup, previousRows: readonly SampleRow[]): RunPosition {
  const planned = s.plan.flatMap(({ scenario, variants, entries }) => variants.flatMap((variant) =>
    (entries[variant] ?? []).map((p) => ({ scenario: scenario.name, variant, phase: p.phase, expected: expectedSamples(p.policy) }))));
  return new RunPosition(planned, previousRows, () => performance.now(), s.costs);
}

/**
 * The run's phases in the order asked, as blocks: a phase alone, or a group of INTERLEAVED_PHASES whose members the
 * run all selected, at the place of its first member. Pure.
 */
export function phaseBlocks(phases: readonly PhaseName[]): PhaseName[][] {
  const blocks: PhaseName[][] = [];
  const placed = new Set<PhaseName>();
  for (const phase of phases) {
    if (placed.has(phase)) continue;
    const group = INTERLEAVED_PHASES.find((g) => g.includes(phase) && g.every((p) => phases.includes(p)));
    const block = group ? [...group] : [phase];
    for (const p of block) placed.add(p);
    blocks.push(block);
  }
  return blocks;
}

/** Every image and container the run made carries its id as a label; the end of the run removes them. */
export async function removeRunImages(engine: Engine, runId: string): Promise<void> {
  for (const id of await engine.containersWithLabels({ [LABEL_RUN]: runId })) await engine.removeContainer(id);
  await engine.removeImagesWithLabels({ [LABEL_RUN]: runId });
}

/** How long a run waits for an engine that stopped answering before it stops. */
export const ENGINE_WAIT_MS = Number(process.env.STAGEBENCH_ENGINE_WAIT_S ?? 60) * 1000;

/**
 * After a failed sample: if the engine stopped answering, wait a while for it to come back (a restart), then go on;
 * if it does not, stop the run (rows kept) with a message that says so.
 */
export async function awaitEngine(engine: Engine, note: (l: string) => void, signal: AbortSignal, waitMs = ENGINE_WAIT_MS): Promise<void> {
  const answers = () => engine.ping().then(() => true, () => false);
  if (await answers()) return;
  note(`stagebench: the engine at ${engine.address} stopped answering; waiting up to ${Math.round(waitMs / 1000)} s for it to come back`);
  const end = Date.now() + waitMs;
  while (Date.now() < end) {
    if (signal.aborted) return;
    await new Promise((r) => setTimeout(r, 1000));
    if (await answers()) {
      note('stagebench: the engine answers again; going on');
      return;
    }
  }
  throw new EnvironmentError(`the engine at ${engine.address} stopped answering during the run and did not come back within ${Math.round(waitMs / 1000)} s. The samples measured so far are kept; continue later with --resume.`);
}

/** What runPhase needs to skip the samples of a variant whose build failed, and to notice when it does. */
interface BuildWatch {
  /** Image tag -> why its build failed, as the watched engine saw it. */
  failedBuilds: Map<string, string>;
  /** scenario\0variant -> where its build failed. */
  broken: Map<string, BrokenBuild>;
  key: string;
  prepMs: Map<PhaseName, number>;
  position: RunPosition;
}

async function runPhase(
  s: RunSetup,
  ctx: RunContext,
  slot: SampleSlot,
  todo: number[],
  record: (row: SampleRow, steps: StepRow[], composition?: CompositionRow[]) => void,
  host: string,
  watch: BuildWatch,
  of: number,
  warmupOverride?: number,
): Promise<void> {
  const image = imageRef(slot.scenario.name, slot.variant).ref;
  const skippedRow = (iteration: number, b: BrokenBuild) => {
    const m: Measured = { ok: false, error: skippedBecause(slot.variant, b), durationMs: null, fields: {}, steps: [] };
    record(sampleRow(s, slot.scenario.name, slot.variant, slot.phase, iteration, m, image, host), []);
    s.progress.sampleDone(`${slot.scenario.name} ${slot.variant} ${slot.phase} #${iteration}  skipped (the build failed in ${b.phase})`);
  };
  const brokenBefore = watch.broken.get(watch.key);
  if (brokenBefore) {
    for (const iteration of todo) skippedRow(iteration, brokenBefore);
    return;
  }
  const handler = createPhase(ctx, slot);
  // --warmup applies to warm phases only: a cold warm-up is just a wasted cold build.
  const warmup = phaseInfo(slot.phase).warmups ? (warmupOverride ?? s.options.warmup) : 0;
  const iterationOf = (i: number, warm: boolean) => (warm ? i : todo[i - 1]);
  let lastFailed = false;
  // Set once this phase's own build of the variant failed: its remaining samples are skipped rows, not rebuilds.
  let brokenHere: BrokenBuild | undefined;
  let skipping = false;
  await runSamples<{ m: Measured; iteration: number; skipped: boolean }>(`${slot.scenario.name}/${slot.variant}/${slot.phase}`, {
    iterations: todo.length,
    warmup,
    signal: s.signal,
    prepare: async (i, warm) => {
      if (brokenHere) return;
      s.progress.start({ scenario: slot.scenario.name, variant: slot.variant, phase: slot.phase, iteration: warm ? i : todo[i - 1], of: warm ? warmup : of, warmup: warm, position: () => watch.position.label() });
      watch.failedBuilds.delete(image);
      const t = performance.now();
      try {
        await handler.prepare(iterationOf(i, warm));
      } finally {
        watch.prepMs.set(slot.phase, (watch.prepMs.get(slot.phase) ?? 0) + performance.now() - t);
      }
    },
    measure: async (i, warm) => {
      skipping = brokenHere !== undefined;
      if (brokenHere) {
        const m: Measured = { ok: false, error: skippedBecause(slot.variant, brokenHere), durationMs: null, fields: {}, steps: [] };
        return { durationMs: null, value: { m, iteration: iterationOf(i, warm), skipped: true } };
      }
      let m: Measured;
      try {
        m = await handler.measure(iterationOf(i, warm));
      } catch (err) {
        if (s.signal.aborted || err instanceof EnvironmentError) throw err;
        // Whatever breaks one sample is that sample's failure, recorded with its reason; the run goes on.
        m = { ok: false, error: `unexpected error: ${(err as Error).message}`, durationMs: null, fields: {}, steps: [] };
      }
      if (s.signal.aborted) throw s.signal.reason ?? new Error('interrupted');
      const cause = watch.failedBuilds.get(image);
      if (!m.ok && cause !== undefined) {
        brokenHere = { phase: slot.phase, cause };
        watch.broken.set(watch.key, brokenHere);
      }
      return { durationMs: m.durationMs, value: { m, iteration: iterationOf(i, warm), skipped: false } };
    },
    after: async (i, warm) => {
      if (skipping) return;
      const t = performance.now();
      try {
        await handler.after?.(iterationOf(i, warm));
      } finally {
        watch.prepMs.set(slot.phase, (watch.prepMs.get(slot.phase) ?? 0) + performance.now() - t);
        if (lastFailed) await awaitEngine(s.engine, (l) => s.progress.note(l), s.signal);
      }
    },
    record: (_i, { m, iteration, skipped }) => {
      if (skipped) {
        skippedRow(iteration, brokenHere!);
        return;
      }
      lastFailed = !m.ok;
      const row = sampleRow(s, slot.scenario.name, slot.variant, slot.phase, iteration, m, image, host);
      const steps: StepRow[] = m.steps.map((st) => {
        const cause = st.cached ? undefined : m.causes?.find((c) => c.label === st.label);
        return {
          schema: SCHEMA, run_id: s.runId, scenario: slot.scenario.name, variant: slot.variant, phase: slot.phase, iteration,
          step: st.label, instruction: st.instruction, cached: st.cached, duration_ms: st.durationMs,
          cause_kind: cause?.kind ?? '', cause: cause?.text ?? '', cause_origin: cause?.origin ?? '',
        };
      });
      if (m.scan) s.services.keepFindings(slot.scenario.name, slot.variant, m.scan, m.durationMs);
      record(row, steps, m.composition);
      watch.position.sampleDone({ scenario: slot.scenario.name, variant: slot.variant, phase: slot.phase });
      s.progress.sampleDone(`${slot.scenario.name} ${slot.variant} ${slot.phase} #${iteration}  ${describe(m, row)}`);
    },
  });
}

function sampleRow(s: RunSetup, scenario: string, variant: string, phase: PhaseName, iteration: number, m: Measured, image: string, host: string): SampleRow {
  return {
    schema: SCHEMA,
    run_id: s.runId,
    time: new Date().toISOString(),
    scenario,
    variant,
    phase,
    iteration,
    ok: m.ok,
    error: m.error,
    duration_ms: m.durationMs,
    profile: s.profile.profile.name,
    builder: s.options.builder,
    image,
    image_id: '',
    image_bytes: null,
    compressed_bytes: null,
    layers: null,
    steps: null,
    cached_steps: null,
    context_bytes: null,
    transfer_bytes: null,
    vulns_critical: null,
    vulns_high: null,
    vulns_medium: null,
    vulns_low: null,
    packages_os: null,
    packages_npm: null,
    scanner: '',
    engine: s.engineInfo.version,
    host,
    commit: s.commit,
    ...m.fields,
  };
}
