// The tune report, and its static part: what reading the files gives (findings, context size, the candidate
// written to the results folder) before anything is built. The measured part fills in the rest (measure.ts).
import { makeFolder, writeFileAtomic } from '../tools/write-file.ts';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario, Stats } from '../types.ts';
import { cacheMountCandidate } from './cache-mount.ts';
import { candidateDockerfile } from './candidate.ts';
import { contextSize } from '../dockerfile/context-size.ts';
import { readTuneInput } from './input.ts';
import { tuneFindings } from './rules.ts';
import type { SmokeResult } from './smoke.ts';
import type { RebuildCost } from './step-costs.ts';
import type { Candidate, CandidateEdit, ContextSize, TuneFinding, TuneInput } from './types.ts';

/** What one change rebuilt, for the original and for the candidate (null when there is no candidate or it failed). */
export interface ChangeCosts {
  original: RebuildCost | null;
  candidate: RebuildCost | null;
}

export interface WarmSrc {
  samples: number[];
  stats: Stats | null;
}

/** Samples of the original and a candidate taken in turns, and the median of their per-iteration differences. */
export interface PairedTimes {
  original: WarmSrc | null;
  candidate: WarmSrc | null;
  /** Median of the per-iteration differences original - candidate, and their range. */
  saved: { median_ms: number; min_ms: number; max_ms: number } | null;
  /** What one build after the change rebuilt, for each (the first sample's). */
  rebuilt: ChangeCosts;
  /** Why it was not measured; null when it was. */
  not_measured: string | null;
}

/** The cache-mount candidate: the original Dockerfile with a cache mount on each dependency install that lacks one. */
export interface CacheMountReport {
  candidate_path: string;
  edits: CandidateEdit[];
  smoke: SmokeResult | null;
  /** build-warm-deps: a dependency change on a warm engine, where the mount keeps the downloads. */
  warm_deps: PairedTimes;
  /** The same change on a fresh CI runner (build-ci's state: cache imported from the registry, none local). */
  ci_deps: PairedTimes;
}

export function emptyPair(): PairedTimes {
  return { original: null, candidate: null, saved: null, rebuilt: { original: null, candidate: null }, not_measured: null };
}

export interface TuneReport {
  scenario: string;
  variant: string;
  dockerfile: string;
  target: string | null;
  profile: string;
  iterations: number;
  /** False for --static: the files were read, nothing was built. */
  measured: boolean;
  /** The results folder: tune.json, and Dockerfile.candidate when there is a candidate. */
  results_dir: string | null;
  /** The build context, relative to the scenario folder (scenario.json `context`; '.' for the folder itself). */
  context_dir: string;
  findings: TuneFinding[];
  context: ContextSize;
  candidate_path: string | null;
  candidate_edits: CandidateEdit[];
  smoke: { original: SmokeResult | null; candidate: SmokeResult | null };
  steps_rebuilt: { source: ChangeCosts; dependency: ChangeCosts };
  warm_src: { original: WarmSrc | null; candidate: WarmSrc | null };
  /** Median of the per-iteration differences original - candidate, and their range. */
  saved: { median_ms: number; min_ms: number; max_ms: number } | null;
  /** Null when every dependency install has its cache mount (or no uid is known for the mount's user). */
  cache_mount: CacheMountReport | null;
  /** Samples taken again because the build cache was emptied while they ran. */
  discarded_samples: number;
  /** Everything that failed, each saying where; empty when all went well. */
  errors: string[];
}

export interface StaticTune {
  input: TuneInput;
  candidate: Candidate;
  cacheMount: Candidate;
  report: TuneReport;
}

/**
 * Reads the variant, applies the rules, sizes the context, and writes the candidate (when there is one) into
 * resultsDir. `measured` says whether builds will follow; the report's measured fields start empty.
 */
export async function staticTune(opts: {
  scenario: Scenario; variant: string; buildArgs: Record<string, string>; profile: string; iterations: number; measured: boolean; resultsDir: string;
}): Promise<StaticTune> {
  const input = readTuneInput(opts.scenario, opts.variant, opts.buildArgs);
  const candidate = candidateDockerfile(input);
  const cacheMount = cacheMountCandidate(input);
  let candidatePath: string | null = null;
  // The folder always holds tune.json (written by the caller); Dockerfile.candidate only when there is a candidate,
  // and never one left by an earlier --static tune of a Dockerfile that has none now.
  makeFolder(opts.resultsDir, 'stagebench tune --out');
  rmSync(join(opts.resultsDir, 'Dockerfile.candidate'), { force: true });
  if (candidate.edits.length > 0) {
    candidatePath = join(opts.resultsDir, 'Dockerfile.candidate');
    writeFileAtomic(candidatePath, candidate.text, 'stagebench tune --out');
  }
  let cacheMountReport: CacheMountReport | null = null;
  if (cacheMount.edits.length > 0) {
    const path = join(opts.resultsDir, 'Dockerfile.cache-mount');
    writeFileAtomic(path, cacheMount.text, 'stagebench tune --out');
    cacheMountReport = { candidate_path: path, edits: cacheMount.edits, smoke: null, warm_deps: emptyPair(), ci_deps: emptyPair() };
  }
  const report: TuneReport = {
    scenario: opts.scenario.name,
    variant: opts.variant,
    dockerfile: input.dockerfilePath,
    target: input.target ?? null,
    profile: opts.profile,
    iterations: opts.iterations,
    measured: opts.measured,
    results_dir: opts.resultsDir,
    context_dir: input.context ?? '.',
    findings: tuneFindings(input),
    context: await contextSize(join(opts.scenario.dir, input.context ?? '.'), [input.dockerfilePath, '.dockerignore']),
    candidate_path: candidatePath,
    candidate_edits: candidate.edits,
    smoke: { original: null, candidate: null },
    steps_rebuilt: { source: { original: null, candidate: null }, dependency: { original: null, candidate: null } },
    warm_src: { original: null, candidate: null },
    saved: null,
    cache_mount: cacheMountReport,
    discarded_samples: 0,
    errors: [],
  };
  return { input, candidate, cacheMount, report };
}
