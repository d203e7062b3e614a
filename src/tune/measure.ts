// `stagebench tune`, the measured part: builds the variant and its reordered candidate on the engine, shows which
// steps a source change and a dependency change rebuild and what each costs, checks that the candidate still
// passes the smoke test, and times build-warm-src for both with the same iterations, interleaved so that drift
// of the machine falls on both alike. The cache-mount candidate is timed the same way on a dependency change, on
// the warm engine and on a fresh CI runner that imports the cache from a registry.
import { lstatSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { UsageError } from '../errors.ts';
import { writeFileAtomic } from '../tools/write-file.ts';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { buildWithTimeout } from '../engine/build-with-timeout.ts';
import type { BuildOutcome, BuildRequest, Engine } from '../engine/engine.ts';
import { LABEL_RUN, LABEL_SCENARIO, LABEL_VARIANT } from '../engine/labels.ts';
import { buildRequest } from '../phases/build.ts';
import { scenarioImages } from '../profile/profile.ts';
import { contextSubfolder } from '../scenario/build-context.ts';
import { INLINE_CACHE_ARG, notFresh } from '../phases/ci.ts';
import { startEmbeddedRegistry, type EmbeddedRegistry } from '../registry/embedded.ts';
import { tuneRunId } from '../results/run-id.ts';
import { registerRun } from '../run/live-runs.ts';
import { Workspace } from '../scenario/workspace.ts';
import { summarize } from '../stats/summary.ts';
import type { Profile, Scenario } from '../types.ts';
import { parseDockerfile, type DockerfileModel } from '../dockerfile/dockerfile-model.ts';
import { mayRebuild, unexpectedRebuilds } from './expected-rebuilds.ts';
import { tuneJson } from './format.ts';
import { emptyPair, staticTune, type CacheMountReport, type PairedTimes, type TuneReport } from './report.ts';
import { smokeTest } from './smoke.ts';
import type { TuneInput } from './types.ts';
import { rebuildCost, type RebuildCost } from './step-costs.ts';
import { ChangeCauses } from '../why/in-run.ts';

export interface TuneRequest {
  engine: Engine;
  scenario: Scenario;
  variant: string;
  /** Timed build-warm-src samples of each Dockerfile. */
  iterations: number;
  profile: Profile;
  /** Folder the results folder `tune-<scenario>-<variant>-<time>` is made in. */
  outRoot: string;
  /** Prefix of the image repositories and container names this creates (`<prefix>-<scenario>:<variant>`). */
  namePrefix: string;
  signal: AbortSignal;
  /** Longest a single build may take, ms. */
  timeoutMs: number;
  log: (line: string) => void;
  now?: Date;
  /** False: the cache-mount candidate is written but not built or timed (--skip-cache-mount). */
  measureCacheMount?: boolean;
}

const CANDIDATE_FILE = 'Dockerfile.stagebench-candidate';
const CACHE_MOUNT_FILE = 'Dockerfile.stagebench-cache-mount';

/** Anything at the path, a dangling link included. */
function pathTaken(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
/** Builds tried before giving up on a warm cache that others keep emptying. */
const MAX_ATTEMPTS = 3;

/**
 * A build that failed because another build on the engine pruned the cache under it: BuildKit then cannot find the
 * uploaded context ("failed to read downloaded context ... context not found") or a cache record it was exporting
 * ("1yhp33jodzqwd66jx7evve7i9 not found: not found"). Seen on dockerd 20.10; the same build again is fine.
 */
export function lostToPrune(error: string): boolean {
  return /context not found|^[a-z0-9]{20,} not found: not found/m.test(error);
}

interface Subject {
  which: 'original' | 'candidate' | 'cache-mount';
  dockerfile: string;
  model: DockerfileModel;
  tag: string;
}

/** What every step of one tune works with. The steps record what they find in `report`. */
interface Tune {
  req: TuneRequest;
  runId: string;
  input: TuneInput;
  candidatePath: string | null;
  report: TuneReport;
  subjects: Subject[];
  ws: Workspace;
  nextMarker: () => string;
}

/** A change the tune applies to its copy of the scenario, and the files it touches. */
interface Change {
  what: string;
  apply: (marker: string) => void;
  files: string[];
}

/** The original Dockerfile, and the reordered candidate where the static analysis made one. */
function subjectsOf(req: TuneRequest, input: TuneInput, candidate: string | null): Subject[] {
  const { variant, profile } = req;
  const repo = `${req.namePrefix}-${req.scenario.name}`;
  const images = scenarioImages(profile, req.scenario);
  const subjects: Subject[] = [
    { which: 'original', dockerfile: input.dockerfilePath, model: parseDockerfile(input.dockerfile, input.target, images), tag: `${repo}:${variant}` },
  ];
  if (candidate !== null) {
    subjects.push({ which: 'candidate', dockerfile: CANDIDATE_FILE, model: parseDockerfile(candidate, input.target, images), tag: `${repo}:${variant}-candidate` });
  }
  return subjects;
}

/**
 * One build of a subject from the workspace as it is, built again when a concurrent prune lost part of it. `extra`:
 * the build args and cache import of a CI runner's build.
 */
function requestFor(t: Tune, s: Subject, extra: { buildArgs?: Record<string, string>; cacheFrom?: string[] } = {}): BuildRequest {
  const { scenario, variant, profile } = t.req;
  // The run's own request (its build context: scenario.json's `context` subfolder of the tune's copy), under the
  // tune's names; the subject's Dockerfile path is relative to that context, as the candidate sits in it.
  const base = buildRequest({ runId: t.runId, profile, builder: 'buildkit', scenario, variant, contextDir: t.ws.dir });
  const request: BuildRequest = {
    ...base,
    buildArgs: { ...base.buildArgs, ...extra.buildArgs },
    ...(extra.cacheFrom ? { cacheFrom: extra.cacheFrom } : {}),
    dockerfile: s.dockerfile,
    tag: s.tag,
  };
  return request;
}

async function build(t: Tune, s: Subject, extra: { buildArgs?: Record<string, string>; cacheFrom?: string[] } = {}): Promise<BuildOutcome> {
  const { engine, signal, timeoutMs } = t.req;
  const request = requestFor(t, s, extra);
  let outcome = await buildWithTimeout(engine, request, timeoutMs, signal);
  for (let attempt = 2; attempt <= MAX_ATTEMPTS && !outcome.ok && lostToPrune(outcome.error) && !signal.aborted; attempt++) {
    t.req.log(`${s.which}: the engine lost part of the build to a concurrent prune (${outcome.error.split('\n')[0]}); building again`);
    outcome = await buildWithTimeout(engine, request, timeoutMs, signal);
  }
  return outcome;
}

function where(t: Tune, s: Subject): string {
  const path = s.which === 'original' ? t.input.dockerfilePath : s.which === 'candidate' ? t.candidatePath : t.report.cache_mount?.candidate_path;
  return `${t.req.scenario.name}/${t.req.variant} ${s.which} (${path})`;
}

function failure(t: Tune, s: Subject, what: string, o: BuildOutcome): string {
  const tail = o.log.slice(-8).join('\n');
  return `${where(t, s)}: ${what} failed: ${o.ok ? '' : o.error}${tail ? `\n${tail}` : ''}`;
}

/**
 * Builds the unchanged sources until every step comes from the cache: the state a warm sample starts from. When
 * other builds on the engine keep that from happening, the sample goes ahead: its own check decides. Returns why the
 * build failed, or ''.
 */
async function warm(t: Tune, s: Subject): Promise<string> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const o = await build(t, s);
    if (!o.ok) return failure(t, s, 'building the unchanged sources', o);
    const rebuilt = o.steps.filter((step) => !step.cached);
    if (rebuilt.length === 0) return '';
    t.req.log(`${s.which}: the unchanged sources rebuilt ${rebuilt.map((step) => `${step.label} ${step.instruction}`).join('; ')} (the cache was emptied, or another build shares these steps)`);
  }
  return '';
}

/**
 * One build after a change, from a warm state. A sample in which a step the change cannot reach was rebuilt lost
 * its cache to another build on the engine (a prune) while it ran: it is discarded and taken again.
 */
async function changedBuild(t: Tune, s: Subject, change: Change): Promise<{ cost: RebuildCost; ms: number } | null> {
  const allowed = mayRebuild(s.model, change.files);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const notWarm = await warm(t, s);
    if (notWarm) {
      t.report.errors.push(`${change.what}: ${notWarm}`);
      return null;
    }
    const causes = new ChangeCauses(() => requestFor(t, s));
    causes.beforeChange();
    change.apply(t.nextMarker());
    causes.afterChange();
    let o: BuildOutcome;
    try {
      o = await build(t, s);
    } finally {
      t.ws.restore();
    }
    if (!o.ok) {
      t.report.errors.push(failure(t, s, change.what, o));
      return null;
    }
    const cost = rebuildCost(s.model, o.steps, o.durationMs);
    const measured = causes.of(o.steps);
    for (const step of cost.rebuilt) step.cause = measured.find((c) => c.label === step.label)?.text;
    const lost = unexpectedRebuilds(cost.rebuilt, allowed);
    if (lost.length === 0) return { cost, ms: o.durationMs };
    t.report.discarded_samples += 1;
    t.req.log(`${s.which}: ${change.what}: discarded, ${lost.map((c) => `line ${c.line} (${c.instruction})`).join(', ')} rebuilt though the change cannot reach it: the build cache was emptied meanwhile`);
  }
  t.report.errors.push(`${where(t, s)}: ${change.what}: after ${MAX_ATTEMPTS} attempts every build still rebuilt steps the change cannot reach: another process keeps emptying the engine's build cache; tune when the engine is otherwise idle`);
  return null;
}

/** A changed file as the Dockerfile's COPY sources name it: relative to the build context. */
function inContext(t: Tune, file: string): string {
  return relative(contextSubfolder(t.req.scenario), file).split('\\').join('/');
}

function sourceChange(t: Tune, what: string): Change {
  return { what, apply: (m) => t.ws.applySourceChange(m), files: [inContext(t, t.req.scenario.changes.source.file)] };
}

function dependencyChange(t: Tune): Change {
  return { what: 'the build after the dependency change', apply: (m) => t.ws.applyDependencyChange(m), files: Object.keys(t.req.scenario.changes.dependency.replace).map((f) => inContext(t, f)) };
}

/**
 * Builds a subject, smoke-tests it and records which steps a source change and a dependency change rebuild. Returns
 * whether it can be sampled (it built and passed the smoke test).
 */
async function examine(t: Tune, s: Subject): Promise<boolean> {
  const { engine, scenario, variant, log } = t.req;
  log(`${s.which}: building ${s.dockerfile}`);
  const first = await build(t, s);
  if (!first.ok) {
    t.report.errors.push(failure(t, s, 'the build', first));
    return false;
  }
  log(`${s.which}: smoke test ${scenario.smoke.method} ${scenario.smoke.path}`);
  const labels = { [LABEL_RUN]: t.runId, [LABEL_SCENARIO]: scenario.name, [LABEL_VARIANT]: variant };
  const smoke = await smokeTest(engine, s.tag, scenario.smoke, scenario.run, `${t.req.namePrefix}-${scenario.name}-${variant}-${s.which}-${process.pid}`, labels);
  if (s.which === 'cache-mount') t.report.cache_mount!.smoke = smoke;
  else t.report.smoke[s.which] = smoke;
  if (!smoke.ok) {
    t.report.errors.push(`${scenario.name}/${variant} ${s.which}: the smoke test failed: ${smoke.error}`);
    return false;
  }
  // The cache-mount candidate is timed on the dependency change only (measureCacheMount below).
  if (s.which === 'cache-mount') return true;
  log(`${s.which}: source change (${scenario.changes.source.file})`);
  t.report.steps_rebuilt.source[s.which] = (await changedBuild(t, s, sourceChange(t, 'the build after the source change')))?.cost ?? null;
  log(`${s.which}: dependency change (${scenario.changes.dependency.description})`);
  t.report.steps_rebuilt.dependency[s.which] = (await changedBuild(t, s, dependencyChange(t)))?.cost ?? null;
  return true;
}

/**
 * build-warm-src of each usable subject, interleaved per iteration so that drift of the machine falls on both alike.
 * Indexed by iteration, null where the sample failed, so that the saving pairs samples of the same iteration.
 */
async function sampleWarmSrc(t: Tune, usable: readonly Subject[]): Promise<Map<Subject, Array<number | null>>> {
  const samples = new Map<Subject, Array<number | null>>(usable.map((s) => [s, []]));
  for (let i = 1; i <= t.req.iterations && usable.length > 0; i++) {
    for (const s of usable) {
      t.req.log(`build-warm-src ${i}/${t.req.iterations}: ${s.which}`);
      const sample = await changedBuild(t, s, sourceChange(t, `build-warm-src sample ${i}`));
      samples.get(s)!.push(sample?.ms ?? null);
    }
  }
  return samples;
}

/** Each subject's warm_src statistics and, with both subjects, what the candidate saves per source change. */
function recordWarmSrc(report: TuneReport, usable: readonly Subject[], samples: Map<Subject, Array<number | null>>): void {
  for (const s of usable) {
    const values = samples.get(s)!.filter((v): v is number => v !== null);
    if (s.which !== 'cache-mount') report.warm_src[s.which] = { samples: values, stats: summarize(values) };
  }
  const [orig, cand] = usable.length === 2 ? usable.map((s) => samples.get(s)!) : [[], []];
  const diffs = orig.flatMap((o, i) => (o !== null && cand[i] !== null ? [o - cand[i]!] : []));
  const saved = summarize(diffs);
  if (saved) report.saved = { median_ms: saved.median, min_ms: saved.min, max_ms: saved.max };
}

/**
 * A fresh CI runner building the dependency change: the unchanged sources built with inline cache metadata and
 * pushed; then the change applied, every image of this tune removed and the build cache (cache mounts included)
 * pruned; then the timed build, importing the cache from the registry.
 */
async function freshRunnerBuild(t: Tune, s: Subject, registry: EmbeddedRegistry, what: string): Promise<{ cost: RebuildCost; ms: number } | null> {
  const { engine, scenario, variant, signal } = t.req;
  const repoName = `${registry.prefix}/${registry.repository(scenario.name, false)}`;
  const tag = `${variant}-${s.which}-ci`;
  const ref = `${repoName}:${tag}`;
  const previous = await build(t, s, { buildArgs: INLINE_CACHE_ARG });
  if (!previous.ok) {
    t.report.errors.push(failure(t, s, `${what}: the build to push as cache`, previous));
    return null;
  }
  await engine.tagImage(s.tag, repoName, tag);
  const pushed = await engine.push(ref, registry.auth, signal);
  if (!pushed.ok) {
    t.report.errors.push(`${where(t, s)}: ${what}: the push of ${ref} failed: ${pushed.error}`);
    return null;
  }
  t.ws.applyDependencyChange(t.nextMarker());
  let o: BuildOutcome;
  try {
    await engine.removeImage(ref);
    for (const x of t.subjects) await engine.removeImage(x.tag);
    await engine.removeImagesWithLabels({ [LABEL_RUN]: t.runId });
    await engine.pruneBuildCache();
    const usage = await engine.buildCacheUsage();
    const images = await engine.imagesWithLabels({ [LABEL_RUN]: t.runId });
    const why = notFresh({ cacheRecords: usage.records, cacheBytes: usage.bytes, scenarioImages: images.length });
    if (why) {
      t.report.errors.push(`${where(t, s)}: ${what}: ${why}`);
      return null;
    }
    o = await build(t, s, { buildArgs: INLINE_CACHE_ARG, cacheFrom: [ref] });
  } finally {
    t.ws.restore();
  }
  if (!o.ok) {
    t.report.errors.push(failure(t, s, what, o));
    return null;
  }
  return { cost: rebuildCost(s.model, o.steps, o.durationMs), ms: o.durationMs };
}

/**
 * Samples of the original and the cache-mount candidate taken in turns (original 1, candidate 1, original 2, ...), so
 * that drift of the machine falls on both alike; the saving pairs the samples of one iteration. The first sample's
 * rebuilt steps are kept for each.
 */
async function interleaved(
  t: Tune, pair: PairedTimes, a: Subject, b: Subject, name: string,
  take: (s: Subject, what: string) => Promise<{ cost: RebuildCost; ms: number } | null>,
): Promise<void> {
  const got: Array<Array<number | null>> = [[], []];
  for (let i = 1; i <= t.req.iterations && !t.req.signal.aborted; i++) {
    for (const [k, s] of [a, b].entries()) {
      t.req.log(`${name} ${i}/${t.req.iterations}: ${s.which}`);
      const sample = await take(s, `${name} sample ${i}`);
      got[k].push(sample?.ms ?? null);
      const side = k === 0 ? 'original' : 'candidate';
      if (sample && pair.rebuilt[side] === null) pair.rebuilt[side] = sample.cost;
    }
  }
  const ok = (xs: Array<number | null>) => xs.filter((v): v is number => v !== null);
  pair.original = { samples: ok(got[0]), stats: summarize(ok(got[0])) };
  pair.candidate = { samples: ok(got[1]), stats: summarize(ok(got[1])) };
  const diffs = got[0].flatMap((x, i) => (x !== null && got[1][i] !== null ? [x - got[1][i]!] : []));
  const saved = summarize(diffs);
  pair.saved = saved ? { median_ms: saved.median, min_ms: saved.min, max_ms: saved.max } : null;
}

/** The cache-mount candidate against the original on the dependency change: warm, then on a fresh CI runner. */
async function measureCacheMount(t: Tune, m: CacheMountReport, original: Subject | undefined, mount: Subject | undefined): Promise<void> {
  if (!original || !mount) {
    const why = 'the original or the cache-mount candidate did not build or pass its smoke test';
    m.warm_deps.not_measured = why;
    m.ci_deps.not_measured = why;
    return;
  }
  await interleaved(t, m.warm_deps, original, mount, 'build-warm-deps', (s, what) => changedBuild(t, s, { ...dependencyChange(t), what }));
  let registry: EmbeddedRegistry;
  try {
    registry = await startEmbeddedRegistry(t.runId);
  } catch (e) {
    m.ci_deps.not_measured = `no registry to import the cache from: ${(e as Error).message}`;
    return;
  }
  try {
    await interleaved(t, m.ci_deps, original, mount, 'build-ci after the dependency change', (s, what) => freshRunnerBuild(t, s, registry, what));
  } finally {
    await registry.stop();
  }
}

export async function runTune(req: TuneRequest): Promise<TuneReport> {
  const { engine, scenario, variant, profile } = req;
  const runId = tuneRunId(scenario.name, variant, req.now);
  const resultsDir = join(req.outRoot, runId);
  const { input, candidate, cacheMount, report } = await staticTune({
    scenario, variant, buildArgs: scenarioImages(profile, scenario), profile: profile.name, iterations: req.iterations, measured: true, resultsDir,
  });
  const candidatePath = report.candidate_path;
  const subjects = subjectsOf(req, input, candidatePath === null ? null : candidate.text);
  const mountReport = report.cache_mount;
  if (mountReport && req.measureCacheMount === false) {
    mountReport.warm_deps.not_measured = 'skipped (--skip-cache-mount)';
    mountReport.ci_deps.not_measured = 'skipped (--skip-cache-mount)';
  }
  const mountSubject: Subject | undefined = mountReport && req.measureCacheMount !== false
    ? { which: 'cache-mount', dockerfile: CACHE_MOUNT_FILE, model: parseDockerfile(cacheMount.text, input.target, profile.images), tag: `${req.namePrefix}-${scenario.name}:${variant}-cache-mount` }
    : undefined;
  if (mountSubject) subjects.push(mountSubject);
  // Checked before anything is made: a throw after the workspace and the live-run record exist would leave them.
  // The candidates go into the build context: scenario.json's `context` subfolder, as in a run.
  const context = contextSubfolder(scenario);
  for (const [file, wanted] of [[CANDIDATE_FILE, candidatePath !== null], [CACHE_MOUNT_FILE, mountSubject !== undefined]] as const) {
    if (wanted && pathTaken(join(scenario.dir, context, file))) {
      throw new UsageError(`${join(scenario.dir, context, file)}: tune writes a candidate Dockerfile under this name in its copy of the scenario; rename or remove that file and tune again`);
    }
  }
  // A live run to `stagebench clean` (which leaves it alone) and to other runs (which warn that it shares the engine).
  const unregister = registerRun({ runId, pid: process.pid, engine: engine.address, started: new Date().toISOString() });
  const workspaceRoot = mkdtempSync(join(tmpdir(), `stagebench-${runId}-`));
  const ws = new Workspace(scenario, workspaceRoot);
  // Both Dockerfiles build from the same context, so the candidate file sits in it for both.
  if (candidatePath !== null) writeFileSync(join(ws.dir, context, CANDIDATE_FILE), candidate.text);
  if (mountSubject) writeFileSync(join(ws.dir, context, CACHE_MOUNT_FILE), cacheMount.text);
  let marker = 0;
  const t: Tune = { req, runId, input, candidatePath, report, subjects, ws, nextMarker: () => `stagebench ${runId} ${++marker}` };
  try {
    const usable: Subject[] = [];
    for (const s of subjects) if (await examine(t, s)) usable.push(s);
    const timed = usable.filter((s) => s.which !== 'cache-mount');
    recordWarmSrc(report, timed, await sampleWarmSrc(t, timed));
    if (mountReport && mountSubject) {
      await measureCacheMount(t, mountReport, timed.find((s) => s.which === 'original'), usable.find((s) => s === mountSubject));
    }
  } finally {
    unregister();
    ws.remove();
    rmSync(workspaceRoot, { recursive: true, force: true });
    // The images only served the measurement; the build cache keeps their layers for the next tune or run. Every
    // rebuild left an untagged image with this tune's label, so all of them go, not only the current tags.
    for (const s of subjects) await engine.removeImage(s.tag);
    await engine.removeImagesWithLabels({ [LABEL_RUN]: runId });
    writeFileAtomic(join(resultsDir, 'tune.json'), `${JSON.stringify(tuneJson(report), null, 2)}\n`, 'stagebench tune --out');
  }
  return report;
}
