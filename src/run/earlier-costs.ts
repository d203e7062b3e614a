// Per-sample costs from earlier runs in results/ (and the baselines committed under results/baselines/), for the
// estimate printed before a run measures anything and the live line's prices: per phase, and per scenario and
// phase, the median over the runs of each row's median plus the phase's preparation per sample (run.json's
// efficiency). A run that recorded no efficiency (older versions, merged runs such as the committed baseline) gives
// no costs: its medians leave the preparation out, and priced a fresh clone's default run at half its time.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSummary } from '../results/read.ts';
import type { SummaryRow } from '../types.ts';
import { median } from '../stats/quantile.ts';
import { costKey } from './plan.ts';

/** Run folders (those with a summary.csv) directly in `dir`, and one level down in its `baselines` folder. */
function runFolders(resultsDir: string): string[] {
  const children = (dir: string) => existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(dir, d.name))
    : [];
  return [...children(resultsDir), ...children(join(resultsDir, 'baselines'))].filter((d) => existsSync(join(d, 'summary.csv')));
}

/** Preparation ms per sample of each phase, from run.json's efficiency; null when the run did not record it. */
export function preparationPerSample(runJson: unknown, rows: readonly SummaryRow[]): Record<string, number> | null {
  const prep = (runJson as { efficiency?: { preparation_ms?: unknown } } | null)?.efficiency?.preparation_ms;
  if (typeof prep !== 'object' || prep === null) return null;
  const out: Record<string, number> = {};
  for (const [phase, ms] of Object.entries(prep)) {
    const n = rows.filter((r) => r.phase === phase).reduce((a, r) => a + r.n, 0);
    if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 && n > 0) out[phase] = ms / n;
  }
  return out;
}

/** Costs keyed by phase and by costKey(scenario, phase), from rows and their runs' preparation per sample. Pure. */
export function costsOfRows(runs: readonly { rows: readonly SummaryRow[]; prep: Readonly<Record<string, number>> }[]): Record<string, number> {
  const seen = new Map<string, number[]>();
  const add = (k: string, ms: number) => seen.set(k, [...(seen.get(k) ?? []), ms]);
  for (const { rows, prep } of runs) {
    for (const r of rows) {
      if (r.median_ms === null) continue;
      const ms = r.median_ms + (prep[r.phase] ?? 0);
      add(r.phase, ms);
      add(costKey(r.scenario, r.phase), ms);
    }
  }
  return Object.fromEntries([...seen].map(([k, ms]) => [k, median(ms) as number]));
}

/** Costs from the runs in `resultsDir` that recorded their preparation; `withoutPreparation` counts the others. */
export function costsFromEarlierRuns(resultsDir: string): { costs: Record<string, number>; runs: number; withoutPreparation: number } {
  const runs: { rows: SummaryRow[]; prep: Record<string, number> }[] = [];
  let withoutPreparation = 0;
  for (const dir of runFolders(resultsDir)) {
    try {
      const rows = readSummary(dir);
      let runJson: unknown = null;
      try {
        runJson = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
      } catch {
        // no run.json, or not JSON: no preparation figures, so the run gives no costs (counted as left out)
      }
      const prep = preparationPerSample(runJson, rows);
      if (prep === null) withoutPreparation += 1;
      else runs.push({ rows, prep });
    } catch {
      // A summary this version cannot read (older schema, half-written) gives no estimate; the measured costs stand.
    }
  }
  return { costs: costsOfRows(runs), runs: runs.length, withoutPreparation };
}
