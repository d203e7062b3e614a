// Headlines: one sentence per variant, what it gains or loses against the reference variant, in words a team lead
// reads on the first screen. Sizes are exact; a timing is named only where compare's test finds it significant, and
// then with its p-value. Everything else is in the tables.
import type { PhaseName } from '../types.ts';
import { timingDifference, times } from './claims.ts';
import type { RunFacts, ScenarioFacts, VariantFacts } from './facts.ts';
import { formatBytes } from '../units.ts';
import { variantLabel } from './format.ts';

export interface Headline {
  scenario: string;
  variant: string;
  claims: string[];
  /** "express-api, multi-stage: 3.6x smaller (282.8 MB vs 1.02 GB), pushes 4.3x faster (p = 0.008)." */
  text: string;
}

/** "5.3x smaller", "4.0% larger", or undefined when both are equal. */
export function ratioPhrase(value: number, reference: number, less: string, more: string): string | undefined {
  if (value === reference) return undefined;
  return `${times(value, reference)} ${value < reference ? less : more}`;
}

// The timings a headline may name, in the order a team cares about them; at most two make it into the sentence.
const TIMED: Array<[PhaseName, string]> = [
  ['push-cold', 'pushes'],
  ['pull-cold', 'pulls'],
  ['build-cold', 'cold build'],
  ['build-warm-src', 'rebuild after a source change'],
  ['run', 'start-up'],
];
const MAX_TIMINGS = 2;

function durations(facts: RunFacts, scenario: string, variant: string, phase: PhaseName): number[] {
  return facts.samples
    .filter((s) => s.scenario === scenario && s.variant === variant && s.phase === phase && s.ok && s.duration_ms !== null)
    .map((s) => s.duration_ms as number);
}

function sizeClaim(v: VariantFacts, ref: VariantFacts): string | undefined {
  const a = v.image.imageBytes;
  const b = ref.image.imageBytes;
  if (a === null || b === null || b <= 0) return undefined;
  const figures = `(${formatBytes(a)} vs ${formatBytes(b)})`;
  const phrase = ratioPhrase(a, b, 'smaller', 'larger');
  return phrase ? `${phrase} ${figures}` : `the same size ${figures}`;
}

function timingClaims(facts: RunFacts, scenario: string, v: VariantFacts, ref: VariantFacts): string[] {
  const out: string[] = [];
  for (const [phase, what] of TIMED) {
    const a = durations(facts, scenario, v.variant, phase);
    const b = durations(facts, scenario, ref.variant, phase);
    if (a.length === 0 || b.length === 0) continue;
    const d = timingDifference(a, b);
    if (d.direction !== 'same') out.push(`${what} ${d.text}`);
  }
  return out.slice(0, MAX_TIMINGS);
}

function scenarioHeadlines(facts: RunFacts, s: ScenarioFacts): Headline[] {
  const ref = s.variants.find((v) => v.variant === s.reference);
  if (!ref) return [];
  return s.variants
    .filter((v) => v !== ref)
    .map((v) => {
      const claims = [sizeClaim(v, ref), ...timingClaims(facts, s.scenario, v, ref)].filter((c): c is string => c !== undefined);
      const subject = `${s.scenario}, ${variantLabel(v.variant)}`;
      return { scenario: s.scenario, variant: v.variant, claims, text: `${subject}: ${claims.join(', ')}.` };
    })
    .filter((h) => h.claims.length > 0);
}

export function headlines(facts: RunFacts): Headline[] {
  return facts.scenarios.flatMap((s) => scenarioHeadlines(facts, s));
}
