// `stagebench tune`, the measured part: builds the variant and its reordered candidate on the engine, shows which
// steps a source change and a dependency change rebuild and what each costs, checks that the candidate still
// passes the smoke test, and times build-warm-src for both with the same iterations, interleaved so that drift
// of the machine falls on both alike. The cache-mount candidate is timed the same way on a dependency change, on
// the warm engine and on a fresh CI runner that imports the cache from a registry.
import { lstatSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { UsageError } from '../errors.ts';
import { writeFileAtomic } from '../output/write-file.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildOutcome, BuildRequest, Engine } from '../engine/engine.ts';
import { LABEL_RUN, LABEL_SCENARIO, LABEL_VARIANT } from '../engine/labels.ts';
import { scenarioSecrets } from '../phases/build.ts';
import { INLINE_CACHE_ARG, notFresh } from '../phases/ci.ts';
import { startEmbeddedRegistry, type EmbeddedRegistry } from '../registry/embedded.ts';
import { registerRun } from '../run/live-runs.ts';
import { Workspace } from '../scenario/workspace.ts';
import { summarize } from '../stats/summary.ts';
import type { Profile, Scenario } from '../types.ts';
import { parseDockerfile, type DockerfileModel } from '../dockerfile/dockerfile-model.ts';
import { mayRebuild, unexpectedRebuilds } from './expected-rebuilds.ts';
import { tuneJson } from './format.ts';
import { emptyPair, staticTune, type PairedTimes, type TuneReport } from './report.ts';
import { smokeTest } from './smoke.ts';
import { rebuildCost, type RebuildCost } from './step-costs.ts';

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

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

interface Subject {
  which: 'original' | 'candidate' | 'cache-mount';
  dockerfile: string;
  model: DockerfileModel;
  tag: string;
}

export async function runTune(req: TuneRequest): Promise<TuneReport> {
  const { engine, scenario, variant, profile, log } = req;
  const runId = `tune-${scenario.name}-${variant}-${stamp(req.now ?? new Date())}`;
  const resultsDir = join(req.outRoot, runId);
  const { input, candidate, cacheMount, report } = await staticTune({
    scenario, variant, buildArgs: profile.images, profile: profile.name, iterations: req.iterations, measured: true, resultsDir,
  });
  const candidatePath = report.candidate_path;
  const hasCandidate = candidatePath !== null;

  const repo = `${req.namePrefix}-${scenario.name}`;
  const subjects: Subject[] = [
    { which: 'original', dockerfile: input.dockerfilePath, model: parseDockerfile(input.dockerfile, input.target, profile.images), tag: `${repo}:${variant}` },
  ];
  if (hasCandidate) {
    subjects.push({ which: 'candidate', dockerfile: CANDIDATE_FILE, model: parseDockerfile(candidate.text, input.target, profile.images), tag: `${repo}:${variant}-candidate` });
  }
  const mountReport = report.cache_mount;
  if (mountReport && req.measureCacheMount === false) {
    mountReport.warm_deps.not_measured = 'skipped (--skip-cache-mount)';
    mountReport.ci_deps.not_measured = 'skipped (--skip-cache-mount)';
  }
  const mountSubject: Subject | undefined = mountReport && req.measureCacheMount !== false
    ? { which: 'cache-mount', dockerfile: CACHE_MOUNT_FILE, model: parseDockerfile(cacheMount.text, input.target, profile.images), tag: `${repo}:${variant}-cache-mount` }
    : undefined;
  if (mountSubject) subjects.push(mountSubject);
  // Checked before anything is made: a throw after the workspace and the live-run record exist would leave them.
  for (const [file, wanted] of [[CANDIDATE_FILE, hasCandidate], [CACHE_MOUNT_FILE, mountSubject !== undefined]] as const) {
    if (wanted && pathTaken(join(scenario.dir, file))) {
      throw new UsageError(`${join(scenario.dir, file)}: tune writes a candidate Dockerfile under this name in its copy of the scenario; rename or remove that file and tune again`);
    }
  }
  const labels = { [LABEL_RUN]: runId, [LABEL_SCENARIO]: scenario.name, [LABEL_VARIANT]: variant };
  // A live run to `stagebench clean` (which leaves it alone) and to other runs (which warn that it shares the engine).
  const unregister = registerRun({ runId, pid: process.pid, engine: engine.address, started: new Date().toISOString() });
  const workspaceRoot = mkdtempSync(join(tmpdir(), `stagebench-${runId}-`));
  const ws = new Workspace(scenario, workspaceRoot);
  if (hasCandidate) {
    // Both Dockerfiles build from the same context, so the candidate file sits in it for both.
    writeFileSync(join(ws.dir, CANDIDATE_FILE), candidate.text);
  }
  if (mountSubject) writeFileSync(join(ws.dir, CACHE_MOUNT_FILE), cacheMount.text);
  const sourceFiles = [scenario.changes.source.file];
  const dependencyFiles = Object.keys(scenario.changes.dependency.replace);
  let marker = 0;
  const nextMarker = () => `stagebench ${runId} ${++marker}`;

  const secrets = scenarioSecrets(scenario);
  /** `extra`: the build args and cache import of a CI runner's build. */
  const build = async (s: Subject, extra: { buildArgs?: Record<string, string>; cacheFrom?: string[] } = {}): Promise<BuildOutcome> => {
    const timeout = AbortSignal.timeout(req.timeoutMs);
    const request: BuildRequest = {
      contextDir: ws.dir,
      dockerfile: s.dockerfile,
      tag: s.tag,
      buildArgs: { ...scenario.build?.args, ...profile.images, ...extra.buildArgs },
      ...(extra.cacheFrom ? { cacheFrom: extra.cacheFrom } : {}),
      ...(secrets ? { secrets } : {}),
      ...(input.target ? { target: input.target } : {}),
      builder: 'buildkit',
      labels,
      signal: AbortSignal.any([req.signal, timeout]),
    };
    let outcome = await engine.build(request);
    for (let attempt = 2; attempt <= MAX_ATTEMPTS && !outcome.ok && lostToPrune(outcome.error) && !request.signal?.aborted; attempt++) {
      log(`${s.which}: the engine lost part of the build to a concurrent prune (${outcome.error.split('\n')[0]}); building again`);
      outcome = await engine.build(request);
    }
    if (!outcome.ok && timeout.aborted) return { ...outcome, error: `timed out after ${Math.round(req.timeoutMs / 1000)} s; the build was aborted` };
    return outcome;
  };
  const pathOf = (s: Subject) => (s.which === 'original' ? input.dockerfilePath : s.which === 'candidate' ? candidatePath : mountReport?.candidate_path);
  const where = (s: Subject) => `${scenario.name}/${variant} ${s.which} (${pathOf(s)})`;
  const failure = (s: Subject, what: string, o: BuildOutcome): string => {
    const tail = o.log.slice(-8).join('\n');
    return `${where(s)}: ${what} failed: ${o.ok ? '' : o.error}${tail ? `\n${tail}` : ''}`;
  };

  /**
   * Builds the unchanged sources until every step comes from the cache: the state a warm sample starts from. When
   * other builds on the engine keep that from happening, the sample goes ahead: its own check below decides.
   */
  const warm = async (s: Subject): Promise<string> => {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const o = await build(s);
      if (!o.ok) return failure(s, 'building the unchanged sources', o);
      const rebuilt = o.steps.filter((step) => !step.cached);
      if (rebuilt.length === 0) return '';
      log(`${s.which}: the unchanged sources rebuilt ${rebuilt.map((step) => `${step.label} ${step.instruction}`).join('; ')} (the cache was emptied, or another build shares these steps)`);
    }
    return '';
  };

  /**
   * One build after a change, from a warm state. A sample in which a step the change cannot reach was rebuilt lost
   * its cache to another build on the engine (a prune) while it ran: it is discarded and taken again.
   */
  const changedBuild = async (s: Subject, apply: () => void, files: string[], what: string): Promise<{ cost: RebuildCost; ms: number } | null> => {
    const allowed = mayRebuild(s.model, files);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const notWarm = await warm(s);
      if (notWarm) {
        report.errors.push(`${what}: ${notWarm}`);
        return null;
      }
      apply();
      let o: BuildOutcome;
      try {
        o = await build(s);
      } finally {
        ws.restore();
      }
      if (!o.ok) {
        report.errors.push(failure(s, what, o));
        return null;
      }
      const cost = rebuildCost(s.model, o.steps, o.durationMs);
      const lost = unexpectedRebuilds(cost.rebuilt, allowed);
      if (lost.length === 0) return { cost, ms: o.durationMs };
      report.discarded_samples += 1;
      log(`${s.which}: ${what}: discarded, ${lost.map((c) => `line ${c.line} (${c.instruction})`).join(', ')} rebuilt though the change cannot reach it: the build cache was emptied meanwhile`);
    }
    report.errors.push(`${where(s)}: ${what}: after ${MAX_ATTEMPTS} attempts every build still rebuilt steps the change cannot reach: another process keeps emptying the engine's build cache; tune when the engine is otherwise idle`);
    return null;
  };

  /**
   * A fresh CI runner building the dependency change: the unchanged sources built with inline cache metadata and
   * pushed; then the change applied, every image of this tune removed and the build cache (cache mounts included)
   * pruned; then the timed build, importing the cache from the registry.
   */
  const freshRunnerBuild = async (s: Subject, registry: EmbeddedRegistry, what: string): Promise<{ cost: RebuildCost; ms: number } | null> => {
    const repoName = `${registry.prefix}/${registry.repository(scenario.name, false)}`;
    const tag = `${variant}-${s.which}-ci`;
    const ref = `${repoName}:${tag}`;
    const previous = await build(s, { buildArgs: INLINE_CACHE_ARG });
    if (!previous.ok) {
      report.errors.push(failure(s, `${what}: the build to push as cache`, previous));
      return null;
    }
    await engine.tagImage(s.tag, repoName, tag);
    const pushed = await engine.push(ref, registry.auth, req.signal);
    if (!pushed.ok) {
      report.errors.push(`${where(s)}: ${what}: the push of ${ref} failed: ${pushed.error}`);
      return null;
    }
    ws.applyDependencyChange(nextMarker());
    let o: BuildOutcome;
    try {
      await engine.removeImage(ref);
      for (const x of subjects) await engine.removeImage(x.tag);
      await engine.removeImagesWithLabels({ [LABEL_RUN]: runId });
      await engine.pruneBuildCache();
      const usage = await engine.buildCacheUsage();
      const images = await engine.imagesWithLabels({ [LABEL_RUN]: runId });
      const why = notFresh({ cacheRecords: usage.records, cacheBytes: usage.bytes, scenarioImages: images.length });
      if (why) {
        report.errors.push(`${where(s)}: ${what}: ${why}`);
        return null;
      }
      o = await build(s, { buildArgs: INLINE_CACHE_ARG, cacheFrom: [ref] });
    } finally {
      ws.restore();
    }
    if (!o.ok) {
      report.errors.push(failure(s, what, o));
      return null;
    }
    return { cost: rebuildCost(s.model, o.steps, o.durationMs), ms: o.durationMs };
  };

  /**
   * Samples of two subjects taken in turns (a 1, b 1, a 2, ...), so that drift of the machine falls on both alike;
   * the saving pairs the samples of one iteration. The first sample's rebuilt steps are kept for each.
   */
  const interleaved = async (
    pair: PairedTimes, a: Subject, b: Subject, name: string,
    take: (s: Subject, what: string) => Promise<{ cost: RebuildCost; ms: number } | null>,
  ): Promise<void> => {
    const got: Array<Array<number | null>> = [[], []];
    for (let i = 1; i <= req.iterations && !req.signal.aborted; i++) {
      for (const [k, s] of [a, b].entries()) {
        log(`${name} ${i}/${req.iterations}: ${s.which}`);
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
  };

  const usable: Subject[] = [];
  let mountUsable = false;
  let registry: EmbeddedRegistry | undefined;
  try {
    for (const s of subjects) {
      log(`${s.which}: building ${s.dockerfile}`);
      const first = await build(s);
      if (!first.ok) {
        report.errors.push(failure(s, 'the build', first));
        continue;
      }
      log(`${s.which}: smoke test ${scenario.smoke.method} ${scenario.smoke.path}`);
      const smoke = await smokeTest(engine, s.tag, scenario.smoke, scenario.run, `${req.namePrefix}-${scenario.name}-${variant}-${s.which}-${process.pid}`, labels);
      if (s.which === 'cache-mount') mountReport!.smoke = smoke;
      else report.smoke[s.which] = smoke;
      if (!smoke.ok) {
        report.errors.push(`${scenario.name}/${variant} ${s.which}: the smoke test failed: ${smoke.error}`);
        continue;
      }
      if (s.which === 'cache-mount') {
        mountUsable = true;
        continue;
      }
      log(`${s.which}: source change (${scenario.changes.source.file})`);
      report.steps_rebuilt.source[s.which] = (await changedBuild(s, () => ws.applySourceChange(nextMarker()), sourceFiles, 'the build after the source change'))?.cost ?? null;
      log(`${s.which}: dependency change (${scenario.changes.dependency.description})`);
      report.steps_rebuilt.dependency[s.which] = (await changedBuild(s, () => ws.applyDependencyChange(nextMarker()), dependencyFiles, 'the build after the dependency change'))?.cost ?? null;
      usable.push(s);
    }

    const sourceChange = (s: Subject, what: string) => changedBuild(s, () => ws.applySourceChange(nextMarker()), sourceFiles, what);
    if (usable.length === 2) {
      const pair = emptyPair();
      await interleaved(pair, usable[0], usable[1], 'build-warm-src', sourceChange);
      report.warm_src = { original: pair.original, candidate: pair.candidate };
      report.saved = pair.saved;
    } else if (usable.length === 1) {
      const samples: number[] = [];
      for (let i = 1; i <= req.iterations && !req.signal.aborted; i++) {
        log(`build-warm-src ${i}/${req.iterations}: ${usable[0].which}`);
        const sample = await sourceChange(usable[0], `build-warm-src sample ${i}`);
        if (sample) samples.push(sample.ms);
      }
      report.warm_src[usable[0].which as 'original' | 'candidate'] = { samples, stats: summarize(samples) };
    }

    const original = usable.find((s) => s.which === 'original');
    if (mountReport && mountSubject) {
      if (!original || !mountUsable) {
        const why = 'the original or the cache-mount candidate did not build or pass its smoke test';
        mountReport.warm_deps.not_measured = why;
        mountReport.ci_deps.not_measured = why;
      } else {
        await interleaved(mountReport.warm_deps, original, mountSubject, 'build-warm-deps',
          (s, what) => changedBuild(s, () => ws.applyDependencyChange(nextMarker()), dependencyFiles, what));
        try {
          registry = await startEmbeddedRegistry(runId);
        } catch (e) {
          mountReport.ci_deps.not_measured = `no registry to import the cache from: ${(e as Error).message}`;
        }
        if (registry) {
          const reg = registry;
          await interleaved(mountReport.ci_deps, original, mountSubject, 'build-ci after the dependency change',
            (s, what) => freshRunnerBuild(s, reg, what));
        }
      }
    }
  } finally {
    await registry?.stop();
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
