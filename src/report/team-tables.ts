// The two tables a team lead reads first, as plain cells for every renderer (markdown, HTML, terminal): the
// article's claims with their verdicts and evidence, and what each variant is worth in a month.
import { checkClaims, type Claim } from './claims.ts';
import type { RunFacts } from './facts.ts';
import { formatDuration } from '../units.ts';
import { variantLabel } from './format.ts';
import type { Table } from './tables.ts';
import { DEFAULT_WORTH, describeAssumptions, monthlyWorth, type VariantWorth, type WorthAssumptions } from './worth.ts';

export const CLAIMS_TITLE = "The article's claims, checked";
export const WORTH_TITLE = 'What it is worth in a month';

export function claimsOfRun(facts: RunFacts): Claim[] {
  return checkClaims({ facts, samples: facts.samples });
}

export function claimsTable(claims: readonly Claim[]): Table {
  return {
    columns: ['claim', 'verdict', 'evidence', 'to measure it'],
    numeric: [false, false, false, false],
    rows: claims.map((c) => [c.claim, c.verdict, c.evidence.join('; ') || '—', c.command || '—']),
  };
}

function num(n: number | null, digits = 0): string {
  return n === null ? '—' : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function signed(n: number | null, unit: string, digits = 0): string {
  if (n === null) return '—';
  const s = num(Math.abs(n), digits);
  return n > 0 ? `saves ${s} ${unit}` : n < 0 ? `costs ${s} ${unit} more` : 'same';
}

function source(r: VariantWorth): string {
  const parts = [r.build && `build: ${r.build.phase} ${formatDuration(r.build.medianMs)}`, r.push && `push: ${r.push.phase} ${formatDuration(r.push.medianMs)}`, r.pull && `pull: ${r.pull.phase} ${formatDuration(r.pull.medianMs)}`];
  return parts.filter(Boolean).join(', ') || '—';
}

export interface WorthTables {
  table: Table;
  assumptions: string;
  rows: VariantWorth[];
}

export function worthTables(facts: RunFacts, a: WorthAssumptions = DEFAULT_WORTH): WorthTables {
  const rows = monthlyWorth(facts, facts.samples, a);
  // One reference across the run names it in the header; scenarios with different ones say 'reference'.
  const references = [...new Set(facts.scenarios.map((s) => s.reference))];
  const vs = `vs ${references.length === 1 ? variantLabel(references[0]) : 'reference'}`;
  const isReference = (r: VariantWorth) => r.variant === facts.scenarios.find((s) => s.scenario === r.scenario)?.reference;
  return {
    rows,
    assumptions: describeAssumptions(a),
    table: {
      columns: ['scenario', 'variant', 'CI minutes (build + push)', 'CI cost', `CI ${vs}`, 'deploy pull minutes', 'egress GB', 'egress cost', `egress ${vs}`, 'from (medians)'],
      numeric: [false, false, true, true, false, true, true, true, false, false],
      rows: rows.map((r) => [
        r.scenario,
        r.variant,
        num(r.ciMinutes),
        num(r.ciCost, 2),
        r.saving ? signed(r.saving.ciMinutes, 'min') : isReference(r) ? 'reference' : '—',
        num(r.pullMinutes),
        num(r.egressGb, 1),
        num(r.egressCost, 2),
        r.saving ? signed(r.saving.egressGb, 'GB', 1) : isReference(r) ? 'reference' : '—',
        source(r),
      ]),
    },
  };
}
