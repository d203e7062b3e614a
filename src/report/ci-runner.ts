// "On a fresh CI runner": per variant, the cold build, a fresh runner's build importing the registry's cache (before
// and after a source change) and a developer's warm rebuild side by side, with the steps the imported cache served
// and those the runner rebuilt. One model for report.md, report.html and the end of `stagebench run`. Pure.
import { alignTable } from '../terminal/align-table.ts';
import { formatDuration } from '../units.ts';
import { PHASE_GROUPS, type PhaseName } from '../types.ts';
import type { PhaseFacts, RunFacts, ScenarioFacts } from './facts.ts';

import type { Block, Table } from './tables.ts';

export const CI_RUNNER_TITLE = 'On a fresh CI runner';

/** The phases side by side: nothing cached, the registry's cache, the same after a change, a warm laptop. */
export const CI_RUNNER_PHASES: readonly PhaseName[] = ['build-cold', 'build-ci', 'build-ci-src', 'build-warm-src'];

const NONE = '—';
const MAX_REBUILT = 6;

function timeCell(p: PhaseFacts | undefined): string {
  if (!p) return 'not measured';
  if (p.ok === 0 || p.median === null) return `failed (${p.failed} of ${p.failed})`;
  return formatDuration(p.median);
}

/** "5 of 8": steps the imported cache served over the ok samples (a range when they differ). */
function importedCell(facts: RunFacts, scenario: string, variant: string, phase: PhaseName): string {
  const ok = facts.samples.filter((r) => r.scenario === scenario && r.variant === variant && r.phase === phase && r.ok
    && r.steps !== null && r.cached_steps !== null);
  if (ok.length === 0) return NONE;
  const cached = ok.map((r) => r.cached_steps!);
  const lo = Math.min(...cached);
  const hi = Math.max(...cached);
  return `${lo === hi ? lo : `${lo}–${hi}`} of ${Math.max(...ok.map((r) => r.steps!))}`;
}

/** What the fresh runner rebuilt in each ok sample of a CI phase: "[builder 3/6] RUN npm ci; ...". */
function rebuiltNotes(facts: RunFacts, s: ScenarioFacts): string[] {
  const notes: string[] = [];
  for (const v of s.variants) {
    for (const phase of PHASE_GROUPS.ci) {
      const ok = facts.samples.filter((r) => r.scenario === s.scenario && r.variant === v.variant && r.phase === phase && r.ok);
      for (const sample of ok) {
        const steps = facts.steps.filter((r) => r.scenario === s.scenario && r.variant === v.variant && r.phase === phase && r.iteration === sample.iteration);
        const rebuilt = steps.filter((r) => !r.cached);
        const list = rebuilt.slice(0, MAX_REBUILT).map((r) => `${r.step} ${r.instruction.replace(/\s+/g, ' ').slice(0, 60)}`);
        const more = rebuilt.length > MAX_REBUILT ? `; ${rebuilt.length - MAX_REBUILT} more` : '';
        const what = rebuilt.length === 0
          ? 'every step came from the imported cache'
          : `rebuilt ${rebuilt.length} of ${steps.length} steps: ${list.join('; ')}${more}`;
        notes.push(`${v.variant}, ${phase} sample ${sample.iteration}: ${what}.`);
      }
    }
  }
  return notes;
}

/** The table, or undefined when the scenario has no CI-runner phase. */
export function ciRunnerTable(facts: RunFacts, s: ScenarioFacts): Table | undefined {
  if (!s.phases.some((p) => PHASE_GROUPS.ci.includes(p))) return undefined;
  return {
    columns: ['variant', ...CI_RUNNER_PHASES, 'build-ci from the registry', 'build-ci-src from the registry'],
    numeric: [false, ...CI_RUNNER_PHASES.map(() => true), true, true],
    rows: s.variants.map((v) => [
      v.variant,
      ...CI_RUNNER_PHASES.map((p) => timeCell(v.phases[p])),
      importedCell(facts, s.scenario, v.variant, 'build-ci'),
      importedCell(facts, s.scenario, v.variant, 'build-ci-src'),
    ]),
  };
}

export const CI_RUNNER_LEGEND = 'Medians. build-cold: no build cache at all; build-ci: a fresh runner (no local build cache) importing '
  + "the previous build's cache from the registry; build-ci-src: the same after a source change; build-warm-src: a "
  + 'developer machine whose build cache is warm. "from the registry": the instruction steps the imported cache served.';

export const INLINE_CACHE_NOTE = "The imported cache is BuildKit's inline cache (min mode): it carries the final stage's layers "
  + "only, so a multi-stage build's builder steps are served only where the final stage's steps match.";

export function ciRunnerBlock(facts: RunFacts, s: ScenarioFacts): Block | undefined {
  const table = ciRunnerTable(facts, s);
  if (!table) return undefined;
  return { key: 'ci', title: CI_RUNNER_TITLE, table, notes: [CI_RUNNER_LEGEND, INLINE_CACHE_NOTE, ...rebuiltNotes(facts, s)] };
}

/** The section at the end of `stagebench run`; empty when no scenario ran a CI-runner phase. */
export function ciRunnerText(facts: RunFacts): string {
  const parts: string[] = [];
  for (const s of facts.scenarios) {
    const t = ciRunnerTable(facts, s);
    if (t) parts.push(`${CI_RUNNER_TITLE}: ${s.scenario}\n${alignTable([t.columns, ...t.rows])}`);
  }
  if (parts.length === 0) return '';
  return [...parts, CI_RUNNER_LEGEND].join('\n\n');
}
