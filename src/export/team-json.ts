// export --format team: the article's claims with their verdicts, and the monthly worth with its assumptions, as
// one JSON object a team can feed to its own dashboards.
import { collectFacts } from '../report/facts.ts';
import type { RunData } from '../report/run-data.ts';
import { claimsOfRun } from '../report/team-tables.ts';
import { monthlyWorth, type WorthAssumptions } from '../report/worth.ts';

export function teamJson(data: RunData, assumptions: WorthAssumptions): string {
  const facts = collectFacts(data);
  const finite = (n: number | null) => (n !== null && Number.isFinite(n) ? n : null);
  return `${JSON.stringify(
    {
      run_id: facts.runId,
      claims: claimsOfRun(facts),
      worth: {
        assumptions: assumptions,
        variants: monthlyWorth(facts, facts.samples, assumptions).map((r) => ({
          scenario: r.scenario,
          variant: r.variant,
          sources: { build: r.build ?? null, push: r.push ?? null, pull: r.pull ?? null },
          ci_minutes: finite(r.ciMinutes),
          ci_cost: finite(r.ciCost),
          pull_minutes: finite(r.pullMinutes),
          egress_gb: finite(r.egressGb),
          egress_cost: finite(r.egressCost),
          saving: r.saving,
        })),
      },
    },
    null,
    2,
  )}\n`;
}
