// Per-sample costs from earlier runs in results/: each phase's median over the runs' summary.csv, for the estimate
// printed before a run measures anything.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readSummary } from '../results/read.ts';
import { percentileOfSorted } from '../stats/quantile.ts';

export function costsFromEarlierRuns(resultsDir: string): { costs: Record<string, number>; runs: number } {
  if (!existsSync(resultsDir)) return { costs: {}, runs: 0 };
  const byPhase = new Map<string, number[]>();
  let runs = 0;
  for (const d of readdirSync(resultsDir, { withFileTypes: true })) {
    if (!d.isDirectory() || !existsSync(join(resultsDir, d.name, 'summary.csv'))) continue;
    try {
      const rows = readSummary(join(resultsDir, d.name));
      runs += 1;
      for (const r of rows) if (r.median_ms !== null) byPhase.set(r.phase, [...(byPhase.get(r.phase) ?? []), r.median_ms]);
    } catch {
      // A summary this version cannot read (older schema, half-written) gives no estimate; the measured costs stand.
    }
  }
  const costs = Object.fromEntries([...byPhase].map(([p, ms]) => [p, percentileOfSorted([...ms].sort((a, b) => a - b), 0.5)]));
  return { costs, runs };
}
