// The replay summary as the terminal shows it and as replay-summary.json keeps it (pure; figures through units.ts).
import { alignTable } from '../terminal/align-table.ts';
import { formatBytes, formatDuration, formatPercent } from '../units.ts';
import { short } from './git.ts';
import type { ReplayRow, ReplaySummary } from './plan.ts';

export function replayText(s: ReplaySummary, rows: readonly ReplayRow[]): string {
  const head = ['variant', 'commits', 'median/commit', 'total', s.variants.some((v) => v.rounds > 1) ? 'mean total ±95%' : 'rounds', 'reinstalled deps', 'untouched', 'pushed (total)', 'failed'];
  const pushed = (variant: string) => rows.filter((r) => r.variant === variant && Number(r.round) === 1).reduce((a, r) => a + (typeof r.push_bytes === 'number' ? r.push_bytes : 0), 0);
  const table = alignTable([head, ...s.variants.map((v) => [
    v.variant,
    String(v.commits),
    formatDuration(v.median_ms),
    formatDuration(v.total_ms),
    v.rounds > 1 ? `${formatDuration(v.mean_total_ms)} ± ${formatDuration(v.ci95_ms)} (${v.rounds} rounds)` : String(v.rounds),
    formatPercent(v.reinstall_share * 100),
    String(v.untouched),
    formatBytes(pushed(v.variant)),
    String(v.failed),
  ])]);
  const perCommit = alignTable([
    ['commit', 'variant', 'time', 'rebuilt', 'pushed', 'touched', 'subject'],
    ...rows.filter((r) => Number(r.round) === 1).map((r) => [
      short(String(r.commit)), String(r.variant), r.ok === true ? formatDuration(r.duration_ms as number | null) : 'failed',
      `${r.rebuilt_steps}/${r.steps}`, formatBytes(r.push_bytes as number | null), r.touched_context === true ? String(r.kinds) : `nothing the build sends (${String(r.kinds)})`, String(r.subject).slice(0, 50),
    ]),
  ]);
  const expensive = s.expensive.map((e, i) => `  ${i + 1}. ${short(e.commit)} ${e.variant} ${formatDuration(e.duration_ms)}, ${e.rebuilt_steps} steps rebuilt: ${e.subject.slice(0, 60)} (${e.touched})`);
  return [`replay (${s.mode === 'warm' ? 'warm cache, in order' : 'fresh CI runner, cache from the registry'}): ${s.commits} commits`, '', perCommit, '', table, '', 'most expensive commits:', ...expensive].join('\n');
}
