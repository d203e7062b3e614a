// Headline sentences: what each variant of a scenario gains or loses against the single-stage one, in words a team
// reads at a glance. Only claims both sides measured: a phase missing or failed on either side makes no claim.
import type { PhaseName } from '../types.ts';
import type { PhaseFacts, RunFacts, ScenarioFacts, VariantFacts } from './facts.ts';
import { formatBytes, formatDuration, REFERENCE_VARIANT, variantLabel } from './format.ts';

export interface Headline {
  scenario: string;
  variant: string;
  claims: string[];
  /** "express-api, multi-stage: 5.3x smaller than single-stage (142.0 MB vs 751.0 MB); ..." */
  text: string;
}

// Timings of a few samples move by a few percent from run to run: closer than this is "about the same".
const TIME_NOISE = 0.05;

/** "5.3x smaller", "12% larger", or undefined when both are equal. */
export function ratioPhrase(value: number, reference: number, less: string, more: string): string | undefined {
  if (value === reference) return undefined;
  const word = value < reference ? less : more;
  const ratio = value < reference ? reference / value : value / reference;
  if (ratio >= 1.1 && Number.isFinite(ratio)) return `${ratio.toFixed(1)}x ${word}`;
  const pct = (Math.abs(value - reference) / reference) * 100;
  return `${pct < 1 ? pct.toFixed(1) : pct.toFixed(0)}% ${word}`;
}

function median(p: PhaseFacts | undefined): number | null {
  return p && p.ok > 0 ? p.median : null;
}

function timeClaim(subject: string, v: VariantFacts, ref: VariantFacts, phase: PhaseName, extra?: (a: PhaseFacts, b: PhaseFacts) => string): string | undefined {
  const a = median(v.phases[phase]);
  const b = median(ref.phases[phase]);
  if (a === null || b === null || b <= 0) return undefined;
  const figures = `${formatDuration(a)} vs ${formatDuration(b)}${extra ? extra(v.phases[phase]!, ref.phases[phase]!) : ''}`;
  const change = Math.abs(a - b) / b;
  const verdict = change < TIME_NOISE ? 'about the same' : ratioPhrase(a, b, 'faster', 'slower');
  return `${subject} ${verdict} (${figures})`;
}

function bytesSent(a: PhaseFacts, b: PhaseFacts): string {
  return a.transferBytes !== null && b.transferBytes !== null
    ? `; ${formatBytes(a.transferBytes)} vs ${formatBytes(b.transferBytes)} sent`
    : '';
}

function countClaim(a: number | null | undefined, b: number | null | undefined, what: string): string | undefined {
  if (a === null || a === undefined || b === null || b === undefined) return undefined;
  if (a === b) return `the same number of ${what} (${a})`;
  return a < b ? `${b - a} fewer ${what} (${a} vs ${b})` : `${a - b} more ${what} (${a} vs ${b})`;
}

function sizeClaim(v: VariantFacts, ref: VariantFacts): string | undefined {
  const a = v.image.imageBytes;
  const b = ref.image.imageBytes;
  if (a === null || b === null || b <= 0) return undefined;
  const phrase = ratioPhrase(a, b, 'smaller', 'larger');
  const figures = `(${formatBytes(a)} vs ${formatBytes(b)})`;
  return phrase ? `${phrase} than ${variantLabel(REFERENCE_VARIANT)} ${figures}` : `the same size as ${variantLabel(REFERENCE_VARIANT)} ${figures}`;
}

function startClaim(v: VariantFacts, ref: VariantFacts): string | undefined {
  const a = median(v.phases.run);
  const b = median(ref.phases.run);
  return a === null || b === null ? undefined : `starts in ${formatDuration(a)} vs ${formatDuration(b)}`;
}

function scanClaims(v: VariantFacts, ref: VariantFacts): Array<string | undefined> {
  const a = v.scan?.ok ? v.scan : undefined;
  const b = ref.scan?.ok ? ref.scan : undefined;
  if (!a || !b) return [];
  const severe = (s: typeof a) => (s.vulns ? s.vulns.critical + s.vulns.high : null);
  const hygiene = (s: typeof a) => (s.hygiene ? Object.values(s.hygiene).reduce((x, y) => x + y, 0) : null);
  return [
    countClaim(a.packagesNpm, b.packagesNpm, 'npm packages'),
    countClaim(a.packagesOs, b.packagesOs, 'OS packages'),
    countClaim(severe(a), severe(b), 'critical or high vulnerabilities'),
    countClaim(hygiene(a), hygiene(b), 'hygiene findings'),
  ];
}

function scenarioHeadlines(s: ScenarioFacts): Headline[] {
  const ref = s.variants.find((v) => v.variant === REFERENCE_VARIANT);
  if (!ref) return [];
  return s.variants
    .filter((v) => v !== ref)
    .map((v) => {
      const claims = [
        sizeClaim(v, ref),
        timeClaim('cold build', v, ref, 'build-cold'),
        timeClaim('rebuild after a source change', v, ref, 'build-warm-src'),
        timeClaim('rebuild after a dependency change', v, ref, 'build-warm-deps'),
        timeClaim('pushes', v, ref, 'push-cold', bytesSent),
        timeClaim('pulls', v, ref, 'pull-cold', bytesSent),
        startClaim(v, ref),
        ...scanClaims(v, ref),
      ].filter((c): c is string => c !== undefined);
      return { scenario: s.scenario, variant: v.variant, claims, text: `${s.scenario}, ${variantLabel(v.variant)}: ${claims.join('; ')}` };
    })
    .filter((h) => h.claims.length > 0);
}

export function headlines(facts: RunFacts): Headline[] {
  return facts.scenarios.flatMap(scenarioHeadlines);
}
