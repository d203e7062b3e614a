// `stagebench replay`, the pure part: which commits a replay takes (--commits N or A..B), what each commit touched
// in the build context, the order of builds in a round (variants interleaved across rounds), and the summary of
// replay.csv's rows (median and total per commit per variant, the share that reinstalled dependencies, the most
// expensive commits, a confidence interval on per-variant totals across rounds). No git, no engine here.
import { ignoreMatcher } from '../dockerfile/dockerignore.ts';
import { median } from '../stats/quantile.ts';
import { studentTCritical } from '../stats/student-t.ts';
import type { REPLAY_COLUMNS } from '../types.ts';

export type ReplayMode = 'warm' | 'fresh-runner';

/** The commits to replay: the last N of a ref, or those after A up to B (first parent). */
export type CommitSpec = { kind: 'last'; n: number; ref: string } | { kind: 'range'; from: string; to: string };

/** `--commits` as given: a whole number N (of `ref`), or `A..B`. undefined when it is neither. */
export function parseCommitSpec(value: string, ref: string): CommitSpec | undefined {
  const range = value.includes('...') ? null : /^(\S+?)\.\.(\S+)$/.exec(value);
  if (range) return { kind: 'range', from: range[1], to: range[2] };
  if (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 1000) return { kind: 'last', n: Number(value), ref };
  return undefined;
}

export interface ReplayCommit {
  sha: string;
  subject: string;
  /** Files the commit changed against its first parent. */
  files: string[];
}

/** What a commit changed that reaches the build: files the context sends, and the build's own definition. */
export interface Touch {
  contextFiles: string[];
  /** A Dockerfile of a variant, the .dockerignore or scenario.json changed. */
  definition: string[];
  touched: boolean;
  /** Short words for what the commit touched: dependencies, lockfile, Dockerfile, source, tests, docs, other. */
  kinds: string[];
}

const LOCKFILES = /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml)$/;
const TESTS = /(^|\/)(tests?|__tests__|spec|e2e)\/|\.(test|spec)\.[cm]?[jt]sx?$/;
const DOCS = /\.(md|mdx|txt|rst)$|(^|\/)(docs?|LICENSE)(\/|$)/i;

/** Kinds of one file, for the summary's "what it touched". */
function kindOf(file: string, dockerfiles: readonly string[]): string {
  if (dockerfiles.includes(file) || /(^|\/)Dockerfile[^/]*$/.test(file)) return 'Dockerfile';
  if (LOCKFILES.test(file)) return 'lockfile';
  if (/(^|\/)package\.json$/.test(file)) return 'dependencies';
  if (TESTS.test(file)) return 'tests';
  if (DOCS.test(file)) return 'docs';
  if (/\.([cm]?[jt]sx?|json|ejs|hbs|pug|html|css|scss|prisma|graphql)$/.test(file)) return 'source';
  return 'other';
}

/**
 * What a commit touched: `files` are repository paths; the build context is `contextDir` ('' for the root) with its
 * .dockerignore text (as of that commit); `definition` are the paths of the Dockerfiles, .dockerignore and scenario.json.
 */
export function touchOf(files: readonly string[], contextDir: string, dockerignore: string | null, definition: readonly string[]): Touch {
  const ignored = ignoreMatcher(dockerignore);
  const prefix = contextDir ? `${contextDir.replace(/\/+$/, '')}/` : '';
  const contextFiles = files.filter((f) => f.startsWith(prefix) && !ignored(f.slice(prefix.length)));
  const def = files.filter((f) => definition.includes(f));
  const kinds = [...new Set(files.map((f) => kindOf(f, definition)))];
  const order = ['Dockerfile', 'dependencies', 'lockfile', 'source', 'tests', 'docs', 'other'];
  kinds.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return { contextFiles, definition: def, touched: contextFiles.length > 0 || def.length > 0, kinds };
}

/** The variants of round `round` (1-based), rotated so each variant goes first in turn: drift falls on all alike. */
export function roundOrder<T>(variants: readonly T[], round: number): T[] {
  if (variants.length === 0) return [];
  const k = (round - 1) % variants.length;
  return [...variants.slice(k), ...variants.slice(0, k)];
}

/** An install of dependencies, as the rebuilt step's instruction reads (npm ci/install, yarn, pnpm install). */
export function isDependencyInstall(instruction: string): boolean {
  return /\b(npm\s+(ci|install|i)\b|yarn(\s+install\b|\s*$|\s+--)|pnpm\s+(install|i)\b|bun\s+install\b)/.test(instruction.replace(/^RUN\s+(--mount=\S+\s+)*/, ''));
}

export type ReplayRow = Record<(typeof REPLAY_COLUMNS)[number], string | number | boolean | null>;

export interface VariantSummary {
  variant: string;
  commits: number;
  failed: number;
  median_ms: number | null;
  total_ms: number;
  /** Per-round totals' mean and its 95% interval (half-width), when there were two rounds or more. */
  rounds: number;
  mean_total_ms: number;
  ci95_ms: number | null;
  /** Share of commits (0..1) whose build reinstalled dependencies. */
  reinstall_share: number;
  untouched: number;
}

export interface ExpensiveCommit {
  commit: string;
  subject: string;
  variant: string;
  duration_ms: number;
  rebuilt_steps: number;
  touched: string;
}

export interface ReplaySummary {
  mode: ReplayMode;
  commits: number;
  variants: VariantSummary[];
  expensive: ExpensiveCommit[];
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Mean and the half-width of the t interval of a mean (null under two values). */
export function meanInterval(values: readonly number[], confidence = 0.95): { mean: number; half: number | null } {
  const n = values.length;
  const mean = n ? values.reduce((a, b) => a + b, 0) / n : 0;
  if (n < 2) return { mean, half: null };
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { mean, half: studentTCritical(n - 1, confidence) * (sd / Math.sqrt(n)) };
}

/**
 * The summary of a replay's rows: per variant, the median seconds per commit (over every round's ok builds), the
 * total of round 1 and the mean total across rounds with its interval, the share of commits that reinstalled
 * dependencies; and the `top` most expensive commit builds of round 1 with what they touched.
 */
export function summarizeReplay(rows: readonly ReplayRow[], mode: ReplayMode, top = 3): ReplaySummary {
  const variants = [...new Set(rows.map((r) => String(r.variant)))];
  const commits = new Set(rows.map((r) => String(r.commit))).size;
  const summaries = variants.map((variant): VariantSummary => {
    const mine = rows.filter((r) => r.variant === variant);
    const ok = mine.filter((r) => r.ok === true && num(r.duration_ms) !== null);
    const rounds = [...new Set(mine.map((r) => Number(r.round)))].sort((a, b) => a - b);
    const totals = rounds.map((k) => ok.filter((r) => Number(r.round) === k).reduce((a, r) => a + num(r.duration_ms)!, 0));
    const first = mine.filter((r) => Number(r.round) === (rounds[0] ?? 1));
    const interval = meanInterval(totals);
    return {
      variant,
      commits: first.length,
      failed: mine.filter((r) => r.ok !== true).length,
      median_ms: median(ok.map((r) => num(r.duration_ms)!)),
      total_ms: totals[0] ?? 0,
      rounds: rounds.length,
      mean_total_ms: interval.mean,
      ci95_ms: interval.half,
      reinstall_share: first.length ? first.filter((r) => r.reinstalled === true).length / first.length : 0,
      untouched: first.filter((r) => r.touched_context === false).length,
    };
  });
  const firstRound = Math.min(...rows.map((r) => Number(r.round)));
  const expensive = rows
    .filter((r) => Number(r.round) === firstRound && r.ok === true && num(r.duration_ms) !== null)
    .sort((a, b) => num(b.duration_ms)! - num(a.duration_ms)!)
    .slice(0, top)
    .map((r) => ({ commit: String(r.commit), subject: String(r.subject), variant: String(r.variant), duration_ms: num(r.duration_ms)!, rebuilt_steps: Number(r.rebuilt_steps), touched: `${String(r.kinds)}: ${String(r.context_files) || 'nothing the build sends'}` }));
  return { mode, commits, variants: summaries, expensive };
}

/** Seconds a candidate saves per commit against the original on the same replayed commits (positive: faster). */
export interface CommitSavings {
  candidate: string;
  /** Pairs of builds of one commit in one round, both ok. */
  pairs: number;
  median_ms: number | null;
  mean_ms: number;
  ci95_ms: number | null;
  total_original_ms: number;
  total_candidate_ms: number;
}

/** Each commit's build by the original minus the candidate's, paired by round and commit, summarised. */
export function commitSavings(rows: readonly ReplayRow[], original: string, candidate: string): CommitSavings {
  const key = (r: ReplayRow) => `${r.round} ${r.commit}`;
  const okMs = (r: ReplayRow | undefined) => (r && r.ok === true ? num(r.duration_ms) : null);
  const cand = new Map(rows.filter((r) => r.variant === candidate).map((r) => [key(r), r]));
  const diffs: number[] = [];
  let a = 0;
  let b = 0;
  for (const r of rows.filter((x) => x.variant === original)) {
    const x = okMs(r);
    const y = okMs(cand.get(key(r)));
    if (x === null || y === null) continue;
    diffs.push(x - y);
    a += x;
    b += y;
  }
  const { mean, half } = meanInterval(diffs);
  return { candidate, pairs: diffs.length, median_ms: median(diffs), mean_ms: mean, ci95_ms: half, total_original_ms: a, total_candidate_ms: b };
}

/** CI minutes a month per variant from a replay: the real mean build per commit times the commits a day assumed. */
export interface ReplayMonthly {
  variant: string;
  /** Mean build seconds per commit (round 1's total over its commits, or the mean total across rounds). */
  perCommitMs: number;
  ciMinutes: number;
  assumption: string;
}

export function replayMonthly(s: ReplaySummary, commitsPerDay: number, daysPerMonth: number): ReplayMonthly[] {
  return s.variants.filter((v) => v.commits > 0).map((v) => {
    const perCommitMs = (v.rounds > 1 ? v.mean_total_ms : v.total_ms) / v.commits;
    return {
      variant: v.variant,
      perCommitMs,
      ciMinutes: (perCommitMs * commitsPerDay * daysPerMonth) / 60_000,
      assumption: `${commitsPerDay} commits a day built like these ${v.commits} (mean ${Math.round(perCommitMs) / 1000} s each, builds only, no push time), ${daysPerMonth} days a month`,
    };
  });
}
