// `stagebench tune`, the measured part: builds the variant and its reordered candidate on the engine, shows which
// steps a source change and a dependency change rebuild and what each costs, checks that the candidate still
// passes the smoke test, and times build-warm-src for both with the same iterations, interleaved so that drift
// of the machine falls on both alike.
import { lstatSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { UsageError } from '../errors.ts';
import { writeFileAtomic } from '../output/write-file.ts';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { BuildOutcome, BuildRequest, Engine } from '../engine/engine.ts';
import { LABEL_RUN, LABEL_SCENARIO, LABEL_VARIANT } from '../engine/labels.ts';
import { scenarioSecrets } from '../phases/build.ts';
import { scenarioImages } from '../profile/profile.ts';
import { contextSubfolder } from '../scenario/build-context.ts';
import { registerRun } from '../run/live-runs.ts';
import { Workspace } from '../scenario/workspace.ts';
import { summarize } from '../stats/summary.ts';
import type { Profile, Scenario } from '../types.ts';
import { parseDockerfile, type DockerfileModel } from '../dockerfile/dockerfile-model.ts';
import { mayRebuild, unexpectedRebuilds } from './expected-rebuilds.ts';
import { tuneJson } from './format.ts';
import { staticTune, type TuneReport } from './report.ts';
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
}

const CANDIDATE_FILE = 'Dockerfile.stagebench-candidate';

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
  which: 'original' | 'candidate';
  dockerfile: string;
  model: DockerfileModel;
  tag: string;
}

export async function runTune(req: TuneRequest): Promise<TuneReport> {
  const { engine, scenario, variant, profile, log } = req;
  const runId = `tune-${scenario.name}-${variant}-${stamp(req.now ?? new Date())}`;
  const resultsDir = join(req.outRoot, runId);
  const images = scenarioImages(profile, scenario);
  const { input, candidate, report } = await staticTune({
    scenario, variant, buildArgs: images, profile: profile.name, iterations: req.iterations, measured: true, resultsDir,
  });
  const candidatePath = report.candidate_path;
  const hasCandidate = candidatePath !== null;

  const repo = `${req.namePrefix}-${scenario.name}`;
  const subjects: Subject[] = [
    { which: 'original', dockerfile: input.dockerfilePath, model: parseDockerfile(input.dockerfile, input.target, images), tag: `${repo}:${variant}` },
  ];
  if (hasCandidate) {
    subjects.push({ which: 'candidate', dockerfile: CANDIDATE_FILE, model: parseDockerfile(candidate.text, input.target, images), tag: `${repo}:${variant}-candidate` });
  }
  // Checked before anything is made: a throw after the workspace and the live-run record exist would leave them.
  // The build context is scenario.json's `context` subfolder, as in a run; Dockerfile paths are relative to it.
  const context = contextSubfolder(scenario);
  if (hasCandidate && pathTaken(join(scenario.dir, context, CANDIDATE_FILE))) {
    throw new UsageError(`${join(scenario.dir, context, CANDIDATE_FILE)}: tune writes its candidate Dockerfile under this name in its copy of the scenario; rename or remove that file and tune again`);
  }
  const labels = { [LABEL_RUN]: runId, [LABEL_SCENARIO]: scenario.name, [LABEL_VARIANT]: variant };
  // A live run to `stagebench clean` (which leaves it alone) and to other runs (which warn that it shares the engine).
  const unregister = registerRun({ runId, pid: process.pid, engine: engine.address, started: new Date().toISOString() });
  const workspaceRoot = mkdtempSync(join(tmpdir(), `stagebench-${runId}-`));
  const ws = new Workspace(scenario, workspaceRoot);
  if (hasCandidate) {
    // Both Dockerfiles build from the same context, so the candidate file sits in it for both.
    writeFileSync(join(ws.dir, context, CANDIDATE_FILE), candidate.text);
  }
  // The changed files as the Dockerfile's COPY sources name them: relative to the context.
  const inContext = (file: string) => relative(context, file).split('\\').join('/');
  const sourceFiles = [inContext(scenario.changes.source.file)];
  const dependencyFiles = Object.keys(scenario.changes.dependency.replace).map(inContext);
  let marker = 0;
  const nextMarker = () => `stagebench ${runId} ${++marker}`;

  const secrets = scenarioSecrets(scenario);
  const build = async (s: Subject): Promise<BuildOutcome> => {
    const timeout = AbortSignal.timeout(req.timeoutMs);
    const request: BuildRequest = {
      contextDir: join(ws.dir, context),
      dockerfile: s.dockerfile,
      tag: s.tag,
      buildArgs: { ...scenario.build?.args, ...images },
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
  const where = (s: Subject) => `${scenario.name}/${variant} ${s.which} (${s.which === 'original' ? input.dockerfilePath : candidatePath})`;
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

  const usable: Subject[] = [];
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
      report.smoke[s.which] = smoke;
      if (!smoke.ok) {
        report.errors.push(`${scenario.name}/${variant} ${s.which}: the smoke test failed: ${smoke.error}`);
        continue;
      }
      log(`${s.which}: source change (${scenario.changes.source.file})`);
      report.steps_rebuilt.source[s.which] = (await changedBuild(s, () => ws.applySourceChange(nextMarker()), sourceFiles, 'the build after the source change'))?.cost ?? null;
      log(`${s.which}: dependency change (${scenario.changes.dependency.description})`);
      report.steps_rebuilt.dependency[s.which] = (await changedBuild(s, () => ws.applyDependencyChange(nextMarker()), dependencyFiles, 'the build after the dependency change'))?.cost ?? null;
      usable.push(s);
    }

    // Indexed by iteration, null where the sample failed, so that the saving pairs samples of the same iteration.
    const samples = new Map<Subject, Array<number | null>>(usable.map((s) => [s, []]));
    for (let i = 1; i <= req.iterations && usable.length > 0; i++) {
      for (const s of usable) {
        log(`build-warm-src ${i}/${req.iterations}: ${s.which}`);
        const sample = await changedBuild(s, () => ws.applySourceChange(nextMarker()), sourceFiles, `build-warm-src sample ${i}`);
        samples.get(s)!.push(sample?.ms ?? null);
      }
    }
    for (const s of usable) {
      const values = samples.get(s)!.filter((v): v is number => v !== null);
      report.warm_src[s.which] = { samples: values, stats: summarize(values) };
    }
    const [orig, cand] = usable.length === 2 ? usable.map((s) => samples.get(s)!) : [[], []];
    const diffs = orig.flatMap((o, i) => (o !== null && cand[i] !== null ? [o - cand[i]!] : []));
    const saved = summarize(diffs);
    if (saved) report.saved = { median_ms: saved.median, min_ms: saved.min, max_ms: saved.max };
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
