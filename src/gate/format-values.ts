// How figures read in the human formats (table, markdown): the units module's rules (src/units.ts), and the words
// and sections compare adds to them. csv and json keep the raw numbers.
import { formatBytes, formatDuration, formatPercent } from '../units.ts';
import type { ExactMetric } from './exact.ts';
import type { CompareResult, TimingRow } from './types.ts';

/** A change in percent, signed; a change from a zero baseline has no percentage. */
export function formatChange(pct: number | null, baseline?: number | null): string {
  if (pct === null) return baseline === 0 ? 'from 0' : '-';
  return formatPercent(pct, true);
}

export function formatP(p: number | null): string {
  if (p === null) return '-';
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

export function formatMetric(metric: ExactMetric, value: number | null): string {
  if (value === null) return '-';
  return metric.endsWith('_bytes') ? formatBytes(value) : String(value);
}

/** The median ratio as a change with its interval: "+3.1% [-2.0%, +8.4%]". */
function formatRatioChange(r: TimingRow): string {
  if (r.ratio === null) return '-';
  const pct = (x: number | null) => (x === null ? '?' : formatPercent((x - 1) * 100, true));
  return `${pct(r.ratio)} [${pct(r.ratio_low)}, ${pct(r.ratio_high)}]`;
}

/** The smallest slowdown the row could have flagged: "could not tell" rather than a silent 'same'. */
function formatDetectable(pct: number | null): string {
  if (pct === null) return '-';
  return Number.isFinite(pct) ? `>${formatPercent(pct)}` : 'none (too few rounds)';
}

export interface Section {
  title: string;
  header: string[];
  rows: string[][];
  right: boolean[];
}

/** The exact metrics, first in every output. */
export function exactSection(result: CompareResult): Section {
  return {
    title: 'Exact metrics (sizes, layers, rebuilt steps, warm transfer bytes, findings): gated exactly, no test',
    header: ['scenario', 'variant', 'metric', 'phase', 'baseline', 'current', 'change', 'verdict'],
    rows: result.sizes.map((r) => [
      r.scenario, r.variant, r.metric, r.phase, formatMetric(r.metric, r.baseline), formatMetric(r.metric, r.current),
      formatChange(r.change_pct, r.baseline), r.verdict,
    ]),
    right: [false, false, false, false, true, true, true, false],
  };
}

export function timingSection(result: CompareResult): Section {
  if (result.mode === 'paired') {
    return {
      title: 'Timings, paired by round (median ratio current/baseline, Hodges-Lehmann, exact 95% interval; one-sided ' +
        'Wilcoxon signed-rank p, Holm-corrected across rows; detectable: the slowdown the row would flag 80% of the time)',
      header: ['scenario', 'variant', 'phase', 'rounds', 'baseline', 'current', 'change [95% CI]', 'p (Holm)', 'detectable', 'verdict'],
      rows: result.timing.map((r) => [
        r.scenario, r.variant, r.phase, r.pairs === null ? '-' : String(r.pairs), formatDuration(r.baseline_median_ms),
        formatDuration(r.current_median_ms), formatRatioChange(r), formatP(r.p_value), formatDetectable(r.mdc_pct), r.verdict,
      ]),
      right: [false, false, false, true, true, true, true, true, true, false],
    };
  }
  const gated = result.timing_gated ? 'gated (--gate-timings)' : 'indicative only: not in the exit code (--gate-timings to gate them)';
  return {
    title: `Timings between separate runs (median of ok samples; two-sided Mann-Whitney p): ${gated}`,
    header: ['scenario', 'variant', 'phase', 'baseline', 'current', 'change', 'p', 'verdict'],
    rows: result.timing.map((r) => [
      r.scenario, r.variant, r.phase, formatDuration(r.baseline_median_ms), formatDuration(r.current_median_ms),
      formatChange(r.change_pct, r.baseline_median_ms), formatP(r.p_value), r.verdict,
    ]),
    right: [false, false, false, true, true, true, true, false],
  };
}

/** e.g. "regression: 1 slower, 1 bigger; 8 same, 2 faster (threshold 20%, sizes 5%, alpha 0.05)". */
export function verdictSummary(result: CompareResult): string {
  const counts = new Map<string, number>();
  const timings = result.timing.map((r) => (r.verdict === 'slower' && !result.timing_gated ? 'slower (indicative)' : r.verdict));
  for (const v of [...timings, ...result.sizes.map((r) => r.verdict)]) counts.set(v, (counts.get(v) ?? 0) + 1);
  const list = (names: string[]) => names.filter((n) => counts.has(n)).map((n) => `${counts.get(n)} ${n}`).join(', ');
  const bad = list(['failed', 'slower', 'bigger']);
  const rest = list(['slower (indicative)', 'faster', 'smaller', 'same', 'new', 'missing', 'not checked']);
  let head = result.regressed ? `regression: ${bad}${rest ? `; ${rest}` : ''}` : `no regression: ${rest || 'nothing to compare'}`;
  if (!result.regressed && result.failed) {
    head = result.missing.length > 0
      ? `gate failed: ${result.missing.length} baseline row(s) not measured by the current run; ${rest}`
      : `gate failed: the current run has no ok sample; ${rest || 'nothing to compare'}`;
  }
  const alpha = result.mode === 'paired' ? `alpha ${result.options.alpha} for the run (Holm)` : `alpha ${result.options.alpha}`;
  return `${head} (threshold ${result.options.threshold_pct}%, sizes ${result.options.size_threshold_pct}%, ${alpha})`;
}

/** One line per phase for the baseline's rows outside the current run's plan. */
export function notRunLines(result: CompareResult): string[] {
  const fails = result.options.whole_baseline ? 'they fail the gate (--whole-baseline)' : 'not compared; --whole-baseline fails on them';
  return result.not_run.map((n) => `${n.phase}: ${n.rows} baseline row(s) outside the current run's plan (${fails})`);
}

/** "results/baselines/x (run A)" for the heading lines. */
export function sideLabel(side: CompareResult['baseline']): string {
  return side.run_ids.length === 0 ? side.label : `${side.label} (run ${side.run_ids.join(', ')})`;
}
