// What a run measured, per scenario, variant and phase, gathered from its files into one shape that the headlines,
// the tables and the charts all read. Failed samples are counted, never averaged: a phase whose samples all failed
// has no median.
import { SIZE_SOURCE_ORDER } from '../phase-catalogue.ts';
import { COMPOSITION_CATEGORIES, PHASES, referenceOf, type CompositionCategory, type PhaseName, type RunInfo, type SampleRow, type StepRow, type SummaryRow } from '../types.ts';
import { compareVariants } from './format.ts';
import type { FindingRow } from './read-findings.ts';
import type { RunData } from './run-data.ts';

export interface PhaseFacts {
  phase: PhaseName;
  ok: number;
  failed: number;
  /** Durations in ms over the ok samples (summary.csv); null when no sample succeeded. */
  median: number | null;
  stddev: number | null;
  min: number | null;
  max: number | null;
  transferBytes: number | null;
  /** Distinct reasons of the failed samples. */
  errors: string[];
}

export interface ImageFacts {
  imageBytes: number | null;
  compressedBytes: number | null;
  layers: number | null;
}

export interface Vulns {
  critical: number;
  high: number;
  medium: number;
  low: number;
}

export interface ScanFacts {
  scanner: string;
  /** At least one scan sample succeeded, or findings were recorded. */
  ok: boolean;
  packagesOs: number | null;
  packagesNpm: number | null;
  /** null when the scanner checked no vulnerability database. */
  vulns: Vulns | null;
  /** Hygiene check id -> how many distinct findings it made; undefined when the run has no findings.csv. */
  hygiene?: Record<string, number>;
}

export interface VariantFacts {
  variant: string;
  image: ImageFacts;
  phases: Partial<Record<PhaseName, PhaseFacts>>;
  scan?: ScanFacts;
  /** The image's bytes by category (composition.csv); undefined when the run has none for this variant. */
  composition?: Record<CompositionCategory, number>;
  failures: SampleRow[];
}

export interface ScenarioFacts {
  scenario: string;
  /** The variant the others are compared with: scenario.json's `reference` as run.json recorded it, else single. */
  reference: string;
  variants: VariantFacts[];
  /** Phases measured for at least one variant, in the contract's order. */
  phases: PhaseName[];
}

export interface RunFacts {
  runId: string;
  info?: RunInfo;
  scenarios: ScenarioFacts[];
  /** Phases measured anywhere in the run, and those that are not. */
  phases: PhaseName[];
  missingPhases: PhaseName[];
  steps: StepRow[];
  /** Every sample of the run, for the significance tests behind the claims. */
  samples: SampleRow[];
  hasFindings: boolean;
  /** The run folder had no summary.csv: the figures come from samples.csv. */
  summaryRecomputed: boolean;
}


type Keyed = { scenario: string; variant: string; phase: PhaseName };

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

function firstKnown<T>(rows: readonly T[], pick: (row: T) => number | null): number | null {
  for (const row of rows) {
    const v = pick(row);
    if (v !== null && Number.isFinite(v)) return v;
  }
  return null;
}

function phaseFacts(phase: PhaseName, samples: SampleRow[], summary: SummaryRow | undefined): PhaseFacts {
  // Counts come from the samples themselves; summary.csv only when the samples are not there.
  const ok = samples.length > 0 ? samples.filter((s) => s.ok).length : Math.max(0, (summary?.n ?? 0) - (summary?.failed ?? 0));
  const failed = samples.length > 0 ? samples.length - ok : (summary?.failed ?? 0);
  const known = ok > 0 ? summary : undefined;
  return {
    phase,
    ok,
    failed,
    median: known?.median_ms ?? null,
    stddev: known?.stddev_ms ?? null,
    min: known?.min_ms ?? null,
    max: known?.max_ms ?? null,
    transferBytes: ok > 0 ? (summary?.transfer_bytes ?? firstKnown(samples.filter((s) => s.ok), (s) => s.transfer_bytes)) : null,
    errors: [...new Set(samples.filter((s) => !s.ok).map((s) => s.error || 'no reason recorded'))],
  };
}

function imageFacts(summary: SummaryRow[], samples: SampleRow[]): ImageFacts {
  const rank = (r: { phase: PhaseName }) => SIZE_SOURCE_ORDER.indexOf(r.phase);
  const rows = [...summary].sort((a, b) => rank(a) - rank(b));
  const okSamples = samples.filter((s) => s.ok).sort((a, b) => rank(a) - rank(b));
  const pick = (f: (r: SummaryRow | SampleRow) => number | null) => firstKnown(rows, f) ?? firstKnown(okSamples, f);
  return {
    imageBytes: pick((r) => r.image_bytes),
    compressedBytes: pick((r) => r.compressed_bytes),
    layers: pick((r) => r.layers),
  };
}

function scanFacts(summary: SummaryRow | undefined, samples: SampleRow[], findings: FindingRow[] | undefined): ScanFacts | undefined {
  const okSamples = samples.filter((s) => s.ok);
  if (!summary && samples.length === 0 && (findings ?? []).length === 0) return undefined;
  const source: Array<SummaryRow | SampleRow> = okSamples.length > 0 ? [...(summary ? [summary] : []), ...okSamples] : [];
  const vuln = (f: (r: SummaryRow | SampleRow) => number | null) => firstKnown(source, f);
  const levels = [vuln((r) => r.vulns_critical), vuln((r) => r.vulns_high), vuln((r) => r.vulns_medium), vuln((r) => r.vulns_low)];
  let hygiene: Record<string, number> | undefined;
  if (findings) {
    // Counted as the scan table counts them, distinct by check and package: each scan sample writes its findings
    // again, and a tool found at two paths is one finding.
    const distinct = new Map<string, Set<string>>();
    for (const f of findings.filter((x) => x.kind === 'hygiene')) distinct.set(f.id, (distinct.get(f.id) ?? new Set()).add(f.package));
    hygiene = Object.fromEntries([...distinct].map(([id, packages]) => [id, packages.size]));
  }
  return {
    scanner: samples.find((s) => s.scanner)?.scanner ?? findings?.[0]?.scanner ?? '',
    ok: okSamples.length > 0 || (samples.length === 0 && (findings ?? []).length > 0),
    packagesOs: vuln((r) => r.packages_os),
    packagesNpm: vuln((r) => r.packages_npm),
    vulns: levels.every((v) => v === null)
      ? null
      : { critical: levels[0] ?? 0, high: levels[1] ?? 0, medium: levels[2] ?? 0, low: levels[3] ?? 0 },
    hygiene,
  };
}

function compositionOf(rows: RunData['composition']): Record<CompositionCategory, number> | undefined {
  if (!rows || rows.length === 0) return undefined;
  // The writer keeps one row per category; a repeated one (a hand-joined file) counts once, the first.
  const bytes = new Map<CompositionCategory, number>();
  for (const r of rows) if (!bytes.has(r.category)) bytes.set(r.category, r.bytes);
  return Object.fromEntries(COMPOSITION_CATEGORIES.map((c) => [c, bytes.get(c) ?? 0])) as Record<CompositionCategory, number>;
}

export function collectFacts(data: RunData): RunFacts {
  const key = (r: Keyed) => `${r.scenario}\u0000${r.variant}`;
  const samplesByVariant = groupBy(data.samples, key);
  const summaryByVariant = groupBy(data.summary, key);
  const findingsByVariant = groupBy(data.findings ?? [], (f) => `${f.scenario}\u0000${f.variant}`);
  const compositionByVariant = groupBy(data.composition ?? [], (r) => `${r.scenario}\u0000${r.variant}`);
  const allKeys = new Set([...samplesByVariant.keys(), ...summaryByVariant.keys()]);
  const byScenario = groupBy([...allKeys], (k) => k.split('\u0000')[0]);

  const scenarios: ScenarioFacts[] = [...byScenario.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([scenario, keys]) => {
      const variants = keys
        .map((k) => {
          const samples = samplesByVariant.get(k) ?? [];
          const summary = summaryByVariant.get(k) ?? [];
          const phases: Partial<Record<PhaseName, PhaseFacts>> = {};
          for (const phase of PHASES) {
            const ps = samples.filter((s) => s.phase === phase);
            const row = summary.find((s) => s.phase === phase);
            if (ps.length > 0 || row) phases[phase] = phaseFacts(phase, ps, row);
          }
          const hasScan = phases.scan !== undefined;
          return {
            variant: k.split('\u0000')[1],
            image: imageFacts(summary, samples),
            phases,
            scan: hasScan || data.findings
              ? scanFacts(
                summary.find((s) => s.phase === 'scan'),
                samples.filter((s) => s.phase === 'scan'),
                data.findings ? (findingsByVariant.get(k) ?? []) : undefined,
              )
              : undefined,
            composition: compositionOf(compositionByVariant.get(k)),
            failures: samples.filter((s) => !s.ok),
          };
        })
        .sort((a, b) => compareVariants(a.variant, b.variant));
      const phases = PHASES.filter((p) => variants.some((v) => v.phases[p]));
      return { scenario, reference: referenceOf(data.info?.references, scenario), variants, phases };
    });

  const phases = PHASES.filter((p) => scenarios.some((s) => s.phases.includes(p)));
  return {
    runId: data.runId,
    info: data.info,
    scenarios,
    phases,
    missingPhases: PHASES.filter((p) => !phases.includes(p)),
    steps: data.steps,
    samples: data.samples,
    hasFindings: data.findings !== undefined,
    summaryRecomputed: data.summaryRecomputed,
  };
}
