// The article's claims, checked: one row per claim with a verdict, the numbers behind it (median, spread, sample
// count) and, where the run lacks them, the command that measures them. Timings are called faster or slower only where
// the test `compare` uses finds the difference significant. Pure: run data in, rows out.
import { DEFAULT_COMPARE_OPTIONS, SAME_RUN_OPTIONS, type CompareOptions } from '../compare/types.ts';
import { mannWhitney, minSamplesPerSide, smallestPossibleP } from '../stats/mann-whitney.ts';
import { median } from '../stats/quantile.ts';
import { summarize } from '../stats/summary.ts';
import type { PhaseName, SampleRow } from '../types.ts';
import type { RunFacts, ScanFacts, VariantFacts } from './facts.ts';
import { formatBytes, formatDuration, formatPercent, formatRatio } from '../units.ts';
import { REFERENCE_VARIANT, variantLabel } from './format.ts';
import { splitPhrase } from './size-waterfall.ts';

export type ClaimVerdict = 'confirmed' | 'refuted' | 'mixed' | 'not significant' | 'not measured';

export type ClaimId =
  | 'smaller-images' | 'faster-pushes' | 'faster-pulls' | 'build-time' | 'scan-noise'
  | 'npm-ci' | 'layer-order' | 'named-stages' | 'dockerignore' | 'distroless-no-shell' | 'faster-start';

export interface Claim {
  id: ClaimId;
  /** The article's claim, in a few words. */
  claim: string;
  verdict: ClaimVerdict;
  /** The numbers behind the verdict, one entry per scenario and variant compared. */
  evidence: string[];
  /** What to run to measure what this run lacks; empty when nothing is missing. */
  command: string;
}

/** How one compared pair (a variant against the reference, or a fix against its bad form) came out. */
type Outcome = 'supports' | 'contradicts' | 'inconclusive';

interface Finding {
  outcome: Outcome;
  text: string;
  /** The sample counts could not show a difference at all: more samples would answer the claim. */
  underpowered?: boolean;
}

export interface ClaimInput {
  facts: RunFacts;
  samples: readonly SampleRow[];
  options?: CompareOptions;
}

const SHIPPED = ['multi', 'distroless'];

function durations(samples: readonly SampleRow[], scenario: string, variant: string, phase: PhaseName): number[] {
  return samples
    .filter((s) => s.scenario === scenario && s.variant === variant && s.phase === phase && s.ok && s.duration_ms !== null)
    .map((s) => s.duration_ms as number);
}

/** "6.9 s ±4% (n=5)": the median, the relative margin of error of the mean where there are two or more samples. */
export function spread(values: readonly number[]): string {
  const s = summarize(values);
  if (!s) return 'no sample';
  const rme = s.n >= 2 && Number.isFinite(s.rme) ? ` ±${formatPercent(s.rme)}` : '';
  return `${formatDuration(s.median)}${rme} (n=${s.n})`;
}

function pValue(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`;
}

/** "2.9x", "4.0%": how much a is below or above b, as the report writes it everywhere. */
export function times(a: number, b: number): string {
  const hi = Math.max(a, b);
  const lo = Math.min(a, b);
  if (lo > 0 && hi / lo >= 1.1) return formatRatio(hi / lo);
  return formatPercent((Math.abs(a - b) / b) * 100);
}

export interface TimingDifference {
  /** 'faster' and 'slower' only where the test finds the difference significant and beyond the threshold. */
  direction: 'faster' | 'slower' | 'same';
  p: number;
  /** The test could not reach alpha with these sample sizes, whatever the values. */
  underpowered: boolean;
  text: string;
}

/** A's durations against B's, from one run: compare's test, with the same-run threshold (no drift between runs). */
export function timingDifference(a: readonly number[], b: readonly number[], opts: CompareOptions = SAME_RUN_OPTIONS): TimingDifference {
  const ma = median(a) as number;
  const mb = median(b) as number;
  const { p } = mannWhitney(a, b);
  const change = mb === 0 ? 0 : ((ma - mb) / mb) * 100;
  const significant = p < opts.alpha && Math.abs(change) > opts.threshold_pct;
  const underpowered = smallestPossibleP(a.length, b.length) >= opts.alpha;
  const direction = significant ? (change < 0 ? 'faster' : 'slower') : 'same';
  const text = significant
    ? `${times(ma, mb)} ${direction} (${pValue(p)})`
    : underpowered
      ? `about the same (${pValue(p)}; ${a.length} vs ${b.length} samples cannot reach p < ${opts.alpha})`
      : `about the same (${pValue(p)})`;
  return { direction, p, underpowered, text };
}

function variantsOf(facts: RunFacts, scenario: string): VariantFacts[] {
  return facts.scenarios.find((s) => s.scenario === scenario)?.variants ?? [];
}

/**
 * Every (scenario, shipped variant, single-stage) triple of the run. The article's claims are about multi-stage and
 * distroless against single-stage, so they compare with REFERENCE_VARIANT whatever reference a scenario names.
 */
function pairs(facts: RunFacts): Array<{ scenario: string; v: VariantFacts; ref: VariantFacts }> {
  const out: Array<{ scenario: string; v: VariantFacts; ref: VariantFacts }> = [];
  for (const s of facts.scenarios) {
    const ref = s.variants.find((v) => v.variant === REFERENCE_VARIANT);
    if (!ref) continue;
    for (const v of s.variants) if (SHIPPED.includes(v.variant)) out.push({ scenario: s.scenario, v, ref });
  }
  return out;
}

function label(scenario: string, variant: string): string {
  return `${scenario} ${variantLabel(variant)}`;
}

function timingFindings(input: ClaimInput, phase: PhaseName, want: 'faster' | 'slower'): Finding[] {
  const found: Finding[] = [];
  for (const { scenario, v, ref } of pairs(input.facts)) {
    const a = durations(input.samples, scenario, v.variant, phase);
    const b = durations(input.samples, scenario, ref.variant, phase);
    if (a.length === 0 || b.length === 0) continue;
    const d = timingDifference(a, b, input.options);
    const outcome: Outcome = d.direction === 'same' ? 'inconclusive' : d.direction === want ? 'supports' : 'contradicts';
    found.push({ outcome, text: `${label(scenario, v.variant)} ${spread(a)} vs ${spread(b)}: ${d.text}`, underpowered: d.underpowered });
  }
  return found;
}

function verdictOf(found: readonly Finding[]): ClaimVerdict {
  if (found.length === 0) return 'not measured';
  const yes = found.some((f) => f.outcome === 'supports');
  const no = found.some((f) => f.outcome === 'contradicts');
  if (yes && no) return 'mixed';
  if (yes) return 'confirmed';
  if (no) return 'refuted';
  return 'not significant';
}

function claim(id: ClaimId, text: string, found: Finding[], command: string, missing: boolean): Claim {
  const more = found.some((f) => f.underpowered);
  return { id, claim: text, verdict: verdictOf(found), evidence: found.map((f) => f.text), command: missing || more || found.length === 0 ? command : '' };
}

/**
 * The run's --scenarios folder, as its command line gave it (run.json), for the commands it prints: without it a
 * command for a scenario made by `stagebench init` outside the repository looks in ./scenarios and finds nothing.
 */
export function scenariosFlag(facts: Pick<RunFacts, 'info'>): string {
  const argv = facts.info?.command_line ?? [];
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--scenarios' && argv[i + 1] !== undefined) return ` --scenarios ${argv[i + 1]}`;
    if (argv[i].startsWith('--scenarios=')) return ` --scenarios ${argv[i].slice('--scenarios='.length)}`;
  }
  return '';
}

function scenarioFlag(facts: RunFacts, one: boolean): string {
  return facts.scenarios.length === 1 || (one && facts.scenarios.length > 0) ? ` --scenario ${facts.scenarios[0].scenario}` : '';
}

/** The command that measures a phase; `one`: on the run's first scenario only (a timing several samples deep). */
function runCommand(facts: RunFacts, phases: string, variants = 'single,multi,distroless', one = false): string {
  return `npm run bench --${scenariosFlag(facts)}${scenarioFlag(facts, one)} --variant ${variants} --phase ${phases}`;
}

/** Pairs of the run lacking a phase on either side (so the claim is answered only in part). */
function lacks(input: ClaimInput, phase: PhaseName): boolean {
  const ps = pairs(input.facts);
  return ps.length === 0 || ps.some(({ v, ref }) => !v.phases[phase]?.ok || !ref.phases[phase]?.ok);
}

function sizes(input: ClaimInput): Claim {
  const found: Finding[] = [];
  for (const { scenario, v, ref } of pairs(input.facts)) {
    const a = v.image.imageBytes;
    const b = ref.image.imageBytes;
    if (a === null || b === null) continue;
    const outcome: Outcome = a < b ? 'supports' : a > b ? 'contradicts' : 'inconclusive';
    const word = a < b ? 'smaller' : a > b ? 'larger' : 'the same size';
    // Where the run scanned the control, the claim carries its split: "3.6x smaller: stages alone 1.9x, base swap 1.9x".
    const s = input.facts.scenarios.find((x) => x.scenario === scenario);
    const split = s && a < b ? splitPhrase(s, v.variant) : undefined;
    found.push({ outcome, text: `${label(scenario, v.variant)} ${formatBytes(a)} vs ${formatBytes(b)}: ${split ?? (a === b ? word : `${times(a, b)} ${word}`)}` });
  }
  const missing = pairs(input.facts).some(({ v, ref }) => v.image.imageBytes === null || ref.image.imageBytes === null);
  return claim('smaller-images', 'Multi-stage and distroless images are much smaller', found, runCommand(input.facts, 'build-cold'), missing);
}

function severe(s: ScanFacts): number | null {
  return s.vulns ? s.vulns.critical + s.vulns.high : null;
}

function hygieneCount(s: ScanFacts): number | null {
  return s.hygiene ? Object.values(s.hygiene).reduce((x, y) => x + y, 0) : null;
}

function scanNoise(input: ClaimInput): Claim {
  const found: Finding[] = [];
  for (const { scenario, v, ref } of pairs(input.facts)) {
    const a = v.scan?.ok ? v.scan : undefined;
    const b = ref.scan?.ok ? ref.scan : undefined;
    if (!a || !b || a.packagesOs === null || b.packagesOs === null) continue;
    const parts = [`OS packages ${a.packagesOs} vs ${b.packagesOs}`];
    const va = severe(a);
    const vb = severe(b);
    if (va !== null && vb !== null) parts.push(`critical+high vulnerabilities ${va} vs ${vb}`);
    const ha = hygieneCount(a);
    const hb = hygieneCount(b);
    if (ha !== null && hb !== null) parts.push(`hygiene findings ${ha} vs ${hb}`);
    const fewer = a.packagesOs < b.packagesOs && (va === null || vb === null || va <= vb);
    const more = a.packagesOs > b.packagesOs || (va !== null && vb !== null && va > vb);
    found.push({ outcome: fewer ? 'supports' : more ? 'contradicts' : 'inconclusive', text: `${label(scenario, v.variant)}: ${parts.join(', ')}` });
  }
  return claim('scan-noise', 'Fewer scan findings: less noise from packages that never run', found, runCommand(input.facts, 'scan'), lacks(input, 'scan'));
}

function noShell(input: ClaimInput): Claim {
  const found: Finding[] = [];
  for (const { scenario, v } of pairs(input.facts)) {
    if (v.variant !== 'distroless' || !v.scan?.hygiene) continue;
    const shells = v.scan.hygiene.shell ?? 0;
    found.push({
      outcome: shells === 0 ? 'supports' : 'contradicts',
      text: `${label(scenario, v.variant)}: ${shells === 0 ? 'no shell found by the scan' : `${shells} shell${shells === 1 ? '' : 's'} found by the scan`}`,
    });
  }
  return claim('distroless-no-shell', 'Distroless images carry no shell', found, runCommand(input.facts, 'scan', 'distroless'), false);
}

/** The `*-bad-order` variants (sources copied before the install) against the variant they reorder. */
function layerOrder(input: ClaimInput): Claim {
  const found: Finding[] = [];
  for (const s of input.facts.scenarios) {
    for (const bad of s.variants.filter((v) => v.variant.endsWith('-bad-order'))) {
      const good = variantsOf(input.facts, s.scenario).find((v) => v.variant === bad.variant.slice(0, -'-bad-order'.length));
      if (!good) continue;
      const a = durations(input.samples, s.scenario, good.variant, 'build-warm-src');
      const b = durations(input.samples, s.scenario, bad.variant, 'build-warm-src');
      if (a.length === 0 || b.length === 0) continue;
      const d = timingDifference(a, b, input.options);
      const outcome: Outcome = d.direction === 'faster' ? 'supports' : d.direction === 'slower' ? 'contradicts' : 'inconclusive';
      found.push({ outcome, text: `${s.scenario}: manifest first ${spread(a)} vs sources first ${spread(b)} after a source change: ${d.text}` });
    }
  }
  const withBad = input.facts.scenarios.find((s) => s.variants.some((v) => v.variant.endsWith('-bad-order')))?.scenario ?? 'express-api';
  return claim(
    'layer-order',
    'Copying the manifest and installing before the sources keeps a source change from reinstalling',
    found,
    `npm run bench --${withBad === 'express-api' ? '' : scenariosFlag(input.facts)} --scenario ${withBad} --variant single,single-bad-order --phase build-warm-src`,
    false,
  );
}

/** Builds that stop at a named stage (--target NAME) and succeeded. */
function namedStages(input: ClaimInput): Claim {
  const found: Finding[] = [];
  const builds = input.facts.info?.builds ?? [];
  for (const { scenario, v } of pairs(input.facts)) {
    const cmd = builds.find((b) => b.scenario === scenario && b.variant === v.variant)?.docker_build ?? '';
    const target = /--target\s+(\S+)/.exec(cmd)?.[1];
    const built = Object.values(v.phases).some((p) => p?.phase.startsWith('build') && p.ok > 0);
    if (!built) continue;
    found.push({
      outcome: target ? 'supports' : 'inconclusive',
      text: `${label(scenario, v.variant)}: ${target ? `built by stage name (--target ${target})` : 'builds its last stage, no stage named'}`,
    });
  }
  return claim('named-stages', 'Named stages (AS name) let a build stop at the stage it wants', found, runCommand(input.facts, 'build-cold'), false);
}

/** The npm ci claim is about determinism, which no timing shows: this says which variants install which way. */
function npmCi(input: ClaimInput): Claim {
  return {
    id: 'npm-ci',
    claim: 'npm ci (lockfile exactly) rather than npm install',
    verdict: 'not measured',
    evidence: [],
    command: `npm run stagebench -- tune ${input.facts.scenarios[0]?.scenario ?? 'SCENARIO'}${scenariosFlag(input.facts)} --variant single --static (names every npm install that ignores the lockfile)`,
  };
}

/** The .dockerignore phases: the same source-change rebuild with node_modules and .git beside the app. */
function dockerignore(input: ClaimInput): Claim {
  const found: Finding[] = [];
  for (const s of input.facts.scenarios) {
    for (const v of s.variants) {
      const withIgnore = input.samples.filter((r) => r.scenario === s.scenario && r.variant === v.variant && r.phase === 'build-context-ignored' && r.ok);
      const without = input.samples.filter((r) => r.scenario === s.scenario && r.variant === v.variant && r.phase === 'build-context-full' && r.ok);
      if (withIgnore.length === 0 || without.length === 0) continue;
      const a = withIgnore.map((r) => r.duration_ms as number);
      const b = without.map((r) => r.duration_ms as number);
      const d = timingDifference(a, b, input.options);
      const ctx = (rows: SampleRow[]) => {
        const bytes = formatBytes(median(rows.map((r) => r.context_bytes ?? 0)) ?? 0);
        const ms = median(rows.map((r) => r.context_ms).filter((x): x is number => typeof x === 'number'));
        return ms === null ? bytes : `${bytes} sent in ${formatDuration(ms)}`;
      };
      const halved = d.direction === 'faster' && (median(a) as number) <= (median(b) as number) / 2;
      found.push({
        outcome: d.direction === 'faster' ? 'supports' : d.direction === 'slower' ? 'contradicts' : 'inconclusive',
        text: `${label(s.scenario, v.variant)}: context ${ctx(withIgnore)} vs ${ctx(without)}; rebuild ${spread(a)} vs ${spread(b)}: ${d.text}${d.direction === 'faster' ? (halved ? ', at least halved' : ', less than half saved') : ''}`,
      });
    }
  }
  return claim('dockerignore', 'A .dockerignore cuts build time (no node_modules or .git sent to the daemon)', found, timed(runCommand(input.facts, 'context', 'single', true)), false);
}

/** A timing claim needs enough samples for the test to be able to say "faster" at all. */
function timed(command: string): string {
  return `${command} --iterations ${minSamplesPerSide(DEFAULT_COMPARE_OPTIONS.alpha) ?? 4}`;
}

/**
 * Start-up (the run phase). A scenario whose run phase was skipped before its first sample (run.json `skipped`: a
 * service image it could not have) is not measured, with the reason and the command that measures it.
 */
function startUp(input: ClaimInput): Claim {
  const found = timingFindings(input, 'run', 'faster');
  const skips = (input.facts.info?.skipped ?? []).filter((k) => k.phase === 'run');
  const c = claim('faster-start', 'Smaller images start faster (start until the first answer)', found, timed(runCommand(input.facts, 'run', undefined, true)), lacks(input, 'run'));
  if (skips.length === 0) return c;
  return {
    ...c,
    evidence: [...c.evidence, ...skips.map((k) => `${k.scenario}: not measured: ${k.reason}`)],
    command: skips.map((k) => k.command).join('; '),
  };
}

export function checkClaims(input: ClaimInput): Claim[] {
  const f = input.facts;
  return [
    sizes(input),
    claim('faster-pushes', 'Smaller images push faster', timingFindings(input, 'push-cold', 'faster'), timed(runCommand(f, 'push-cold', undefined, true)), lacks(input, 'push-cold')),
    claim('faster-pulls', 'Smaller images pull faster on the deploy target', timingFindings(input, 'pull-cold', 'faster'), timed(runCommand(f, 'pull-cold', undefined, true)), lacks(input, 'pull-cold')),
    claim('build-time', 'Smaller images build faster (cold build)', timingFindings(input, 'build-cold', 'faster'), timed(runCommand(f, 'build-cold', undefined, true)), lacks(input, 'build-cold')),
    scanNoise(input),
    npmCi(input),
    layerOrder(input),
    namedStages(input),
    dockerignore(input),
    noShell(input),
    startUp(input),
  ];
}
