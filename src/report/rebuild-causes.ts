// The report's "Why steps rebuilt" block: per variant and change (the build phases that apply one), the first cause
// of each rebuild from steps.csv's cause columns, the steps it set off and what they cost. Pure.
import type { PhaseName, StepRow } from '../types.ts';
import { formatDuration } from '../units.ts';
import type { ScenarioFacts } from './facts.ts';
import type { Block } from './tables.ts';

const MAX_CAUSE = 140;

function clipped(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_CAUSE ? `${flat.slice(0, MAX_CAUSE - 1)}…` : flat;
}

/** One row per first cause, from the first successful sample of each variant and phase that recorded causes. */
export function causesBlock(s: ScenarioFacts, steps: StepRow[], failedIterations: Set<string>): Block | undefined {
  const samples = new Map<string, StepRow[]>();
  for (const row of steps) {
    if (row.scenario !== s.scenario || failedIterations.has(`${row.variant}\u0000${row.phase}\u0000${row.iteration}`)) continue;
    const k = `${row.variant}\u0000${row.phase}\u0000${row.iteration}`;
    samples.set(k, [...(samples.get(k) ?? []), row]);
  }
  const firstSample = new Map<string, StepRow[]>();
  for (const rows of samples.values()) {
    if (!rows.some((r) => r.cause_kind !== '')) continue;
    const key = `${rows[0].variant}\u0000${rows[0].phase}`;
    const known = firstSample.get(key);
    if (!known || rows[0].iteration < known[0].iteration) firstSample.set(key, rows);
  }
  const out: string[][] = [];
  for (const rows of firstSample.values()) {
    for (const first of rows.filter((r) => !r.cached && r.cause_origin === r.step)) {
      const cascade = rows.filter((r) => !r.cached && r !== first && r.cause_origin === first.step);
      const cost = [first, ...cascade].reduce((sum, r) => sum + (r.duration_ms ?? 0), 0);
      out.push([
        first.variant,
        first.phase as PhaseName,
        `${first.step} ${clipped(first.instruction)}`,
        clipped(first.cause),
        cascade.length === 0 ? 'none' : cascade.map((r) => `${r.step} ${formatDuration(r.duration_ms)}`).join(', '),
        formatDuration(cost),
      ]);
    }
  }
  if (out.length === 0) return undefined;
  out.sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));
  return {
    key: 'causes',
    title: 'Why steps rebuilt',
    table: {
      columns: ['variant', 'change', 'first rebuilt step', 'cause', 'cascade', 'cost'],
      numeric: [false, false, false, false, false, true],
      rows: out,
    },
    notes: ['From the first successful sample of each change; the cost is the first step and its cascade (stagebench why, docs/why.md).'],
  };
}
