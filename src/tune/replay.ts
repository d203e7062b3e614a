// `stagebench tune SCENARIO --replay REPO`: tune's candidate Dockerfiles (the reorder, the cache mounts) proven on the
// same replayed commits as the original: each is laid over every commit as a variant beside the original, the
// variants take turns per round, and the seconds saved per commit are paired by round and commit.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { staticTune } from './report.ts';
import type { Scenario } from '../types.ts';
import { commitSavings, type CommitSavings } from '../replay/plan.ts';
import { runReplay, type ReplayRequest, type ReplayResult } from '../replay/replay.ts';

export interface TuneReplayResult {
  replay: ReplayResult;
  savings: CommitSavings[];
  /** Candidates tune found nothing to change for. */
  none: string[];
}

/** The scenario's files with the candidates added as variants `VARIANT-candidate` and `VARIANT-cache-mount`. */
export async function tuneOnReplay(scenario: Scenario, variant: string, req: Omit<ReplayRequest, 'scenarioDir' | 'variants'>): Promise<TuneReplayResult> {
  const dir = join(mkdtempSync(join(tmpdir(), 'stagebench-tune-replay-')), basename(scenario.dir));
  const results = join(dir, '..', 'static');
  try {
    cpSync(scenario.dir, dir, { recursive: true, filter: (src) => !/\/(node_modules|\.git)(\/|$)/.test(src) });
    const { candidate, cacheMount, report } = await staticTune({ scenario, variant, buildArgs: {}, profile: req.profile.name, iterations: req.rounds, measured: true, resultsDir: results });
    const json = JSON.parse(readFileSync(join(dir, 'scenario.json'), 'utf8')) as { variants: Record<string, Record<string, unknown>> };
    const own = json.variants[variant];
    const added: string[] = [];
    const none: string[] = [];
    for (const [name, text, made] of [[`${variant}-candidate`, candidate.text, report.candidate_path !== null], [`${variant}-cache-mount`, cacheMount.text, report.cache_mount !== null]] as const) {
      if (!made) {
        none.push(name);
        continue;
      }
      const file = `Dockerfile.stagebench-${name}`;
      writeFileSync(join(dir, file), text);
      json.variants[name] = { ...own, dockerfile: file, description: `tune's ${name.slice(variant.length + 1)} of ${variant}` };
      added.push(name);
    }
    writeFileSync(join(dir, 'scenario.json'), `${JSON.stringify(json, null, 2)}\n`);
    if (added.length === 0) return { replay: { rows: [], summary: { mode: req.mode, commits: 0, variants: [], expensive: [] }, csv: '' }, savings: [], none };
    const replay = await runReplay({ ...req, scenarioDir: dir, variants: [variant, ...added] });
    return { replay, savings: added.map((c) => commitSavings(replay.rows, variant, c)), none };
  } finally {
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
}
