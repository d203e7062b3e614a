// The charts of report.html as data: one spec per canvas, which the page's script hands to Chart.js. Bars are
// medians of the successful samples; `spread` holds each bar's min and max, drawn as a whisker.
import { COMPOSITION_CATEGORIES, PHASE_CATALOGUE, PHASE_GROUPS, type CompositionCategory, type PhaseName } from '../types.ts';
import type { RunFacts, ScenarioFacts, VariantFacts } from './facts.ts';
import { formatBytes, formatDuration } from '../units.ts';
import { PHASE_LABELS } from './format.ts';
import { TRANSFER_PHASES } from './tables.ts';

export type ChartUnit = 'MB' | 'ms' | 's' | 'count';

export interface ChartDataset {
  label: string;
  data: Array<number | null>;
  /** Each bar's value as the units module writes it (src/units.ts), so that a chart reads like the tables. */
  texts: Array<string | null>;
  color: string;
  /** [min, max] per bar, in the chart's unit. */
  spread?: Array<[number, number] | null>;
  /** The spread as text, like `texts`. */
  spreadTexts?: Array<[string, string] | null>;
  /** Bars whose samples all failed: marked "failed" on the chart instead of a value. */
  failed?: boolean[];
  /** Datasets with the same stack name pile up. */
  stack?: string;
}

export interface ChartSpec {
  /** Canvas id: made from indices only, never from the data. */
  id: string;
  scenario: string;
  title: string;
  unit: ChartUnit;
  yTitle: string;
  labels: string[];
  datasets: ChartDataset[];
  stacked: boolean;
  /** Leaves room above the highest whisker. */
  suggestedMax?: number;
  notes: string[];
  /** Many bars: the chart takes the page's full width so that their values fit over them. */
  wide?: boolean;
  /** Shown when the datasets need naming: several of them, or one of a group the heading does not name. */
  legend: boolean;
}

const WIDE_ABOVE_BARS = 8;

const COLORS: Record<string, string> = {
  ...Object.fromEntries(PHASE_CATALOGUE.flatMap((p) => ('colour' in p ? [[p.name, p.colour]] : []))),
  image: '#2f6db5',
  compressed: '#8db8e8',
  os: '#5f7f99',
  npm: '#c8553d',
  critical: '#7a1020',
  high: '#d43f3a',
  medium: '#f0a035',
  low: '#9cc3e6',
  hygiene: '#7d7d7d',
};

/** One colour per composition category: the runtime and the app calm, what a Dockerfile change removes loud. */
const COMPOSITION_COLORS: Record<CompositionCategory, string> = {
  runtime: '#5f7f99',
  'production dependencies': '#2e8b57',
  devDependencies: '#e39b2d',
  toolchain: '#b8473f',
  caches: '#8e6bbf',
  app: '#2f6db5',
  wasted: '#9a9a9a',
};

const WARM_BUILDS: readonly PhaseName[] = ['build-warm', 'build-warm-src', 'build-warm-deps'];

function timeChart(id: string, s: ScenarioFacts, phases: readonly PhaseName[], title: string): ChartSpec | undefined {
  const present = phases.filter((p) => s.phases.includes(p));
  if (present.length === 0) return undefined;
  const ms = present.flatMap((p) => s.variants.flatMap((v) => {
    const f = v.phases[p];
    return f && f.ok > 0 ? [f.median, f.max].filter((x): x is number => x !== null) : [];
  }));
  const unit: ChartUnit = Math.max(0, ...ms) >= 2000 ? 's' : 'ms';
  const scale = unit === 's' ? 1000 : 1;
  const notes: string[] = [];
  const datasets = present.map((phase): ChartDataset => {
    const facts = s.variants.map((v) => v.phases[phase]);
    s.variants.forEach((v, i) => {
      const f = facts[i];
      if (!f) notes.push(`${v.variant}: ${phase} not measured.`);
      else if (f.ok === 0) notes.push(`${v.variant}: ${phase} failed (${f.failed} of ${f.failed} samples).`);
      else if (f.failed > 0) notes.push(`${v.variant}: ${phase} had ${f.failed} failed of ${f.ok + f.failed} samples, left out.`);
    });
    return {
      label: present.length === 1 ? PHASE_LABELS[phase] : phase,
      color: COLORS[phase],
      data: facts.map((f) => (f && f.ok > 0 && f.median !== null ? f.median / scale : null)),
      texts: facts.map((f) => (f && f.ok > 0 && f.median !== null ? formatDuration(f.median) : null)),
      spread: facts.map((f) => (f && f.ok > 0 && f.min !== null && f.max !== null ? [f.min / scale, f.max / scale] : null)),
      spreadTexts: facts.map((f) => (f && f.ok > 0 && f.min !== null && f.max !== null ? [formatDuration(f.min), formatDuration(f.max)] : null)),
      failed: facts.map((f) => f !== undefined && f.ok === 0),
    };
  });
  const top = Math.max(0, ...ms) / scale;
  return {
    id,
    scenario: s.scenario,
    title,
    unit,
    yTitle: unit === 's' ? 'seconds' : 'milliseconds',
    labels: s.variants.map((v) => v.variant),
    datasets,
    stacked: false,
    legend: phases.length > 1,
    suggestedMax: top > 0 ? top * 1.08 : undefined,
    notes: ['Bars: median of the successful samples; whiskers: their minimum and maximum.', ...notes],
  };
}

/** Bytes charted in MB, each bar's text in the units module's rule. */
function bytesData(bytes: Array<number | null>): Pick<ChartDataset, 'data' | 'texts'> {
  return { data: bytes.map((n) => (n === null ? null : n / 1e6)), texts: bytes.map((n) => (n === null ? null : formatBytes(n))) };
}

/** Counts as they are. */
function countData(counts: Array<number | null>): Pick<ChartDataset, 'data' | 'texts'> {
  return { data: counts, texts: counts.map((n) => (n === null ? null : String(n))) };
}

function sizeChart(id: string, s: ScenarioFacts): ChartSpec | undefined {
  const image = s.variants.map((v) => v.image.imageBytes);
  const compressed = s.variants.map((v) => v.image.compressedBytes);
  const datasets: ChartDataset[] = [];
  if (image.some((x) => x !== null)) datasets.push({ label: 'image size', ...bytesData(image), color: COLORS.image });
  if (compressed.some((x) => x !== null)) datasets.push({ label: 'compressed (pushed)', ...bytesData(compressed), color: COLORS.compressed });
  if (datasets.length === 0) return undefined;
  return {
    id, scenario: s.scenario, title: 'Image size', unit: 'MB', yTitle: 'MB', labels: s.variants.map((v) => v.variant),
    datasets, stacked: false, legend: datasets.length > 1, notes: [],
  };
}

/** Where each variant's bytes go: one stacked bar per variant, a segment per composition category. */
function compositionChart(id: string, s: ScenarioFacts): ChartSpec | undefined {
  const vs = s.variants.filter((v) => v.composition);
  if (vs.length === 0) return undefined;
  const without = s.variants.filter((v) => !v.composition).map((v) => v.variant);
  return {
    id, scenario: s.scenario, title: 'Where the bytes go', unit: 'MB', yTitle: 'MB', labels: vs.map((v) => v.variant),
    datasets: COMPOSITION_CATEGORIES.map((c) => ({ label: c, color: COMPOSITION_COLORS[c], stack: 'bytes', ...bytesData(vs.map((v) => v.composition![c])) })),
    stacked: true,
    legend: true,
    notes: [
      'The image\'s files by what they are (composition.csv, the categories of stagebench explain); wasted: files a later layer deleted or overwrote, whose bytes still ship in the earlier layer.',
      ...(without.length > 0 ? [`No composition for ${without.join(', ')} (no successful scan sample).`] : []),
    ],
  };
}

function bytesChart(id: string, s: ScenarioFacts): ChartSpec | undefined {
  const present = TRANSFER_PHASES.filter((p) => s.variants.some((v) => (v.phases[p]?.ok ?? 0) > 0 && v.phases[p]?.transferBytes !== null));
  if (present.length === 0) return undefined;
  return {
    id, scenario: s.scenario, title: 'Bytes sent by push and pull', unit: 'MB', yTitle: 'MB sent', labels: s.variants.map((v) => v.variant),
    datasets: present.map((phase) => ({
      label: phase,
      color: COLORS[phase],
      ...bytesData(s.variants.map((v) => {
        const f = v.phases[phase];
        return f && f.ok > 0 && f.transferBytes !== null ? f.transferBytes : null;
      })),
      failed: s.variants.map((v) => v.phases[phase] !== undefined && v.phases[phase]!.ok === 0),
    })),
    stacked: false,
    legend: true,
    notes: [],
  };
}

function scanned(s: ScenarioFacts): VariantFacts[] {
  return s.variants.filter((v) => v.scan?.ok);
}

function packagesChart(id: string, s: ScenarioFacts): ChartSpec | undefined {
  const vs = scanned(s);
  const os = vs.map((v) => v.scan!.packagesOs);
  const npm = vs.map((v) => v.scan!.packagesNpm);
  const datasets: ChartDataset[] = [];
  if (os.some((x) => x !== null)) datasets.push({ label: 'OS packages', ...countData(os), color: COLORS.os });
  if (npm.some((x) => x !== null)) datasets.push({ label: 'npm packages', ...countData(npm), color: COLORS.npm });
  if (datasets.length === 0) return undefined;
  return {
    id, scenario: s.scenario, title: 'Packages in the image', unit: 'count', yTitle: 'packages', labels: vs.map((v) => v.variant),
    datasets, stacked: false, legend: true, notes: failedScans(s),
  };
}

function failedScans(s: ScenarioFacts): string[] {
  return s.variants.filter((v) => v.scan && !v.scan.ok).map((v) => `${v.variant}: scan failed.`);
}

function findingsChart(id: string, s: ScenarioFacts): ChartSpec | undefined {
  const vs = scanned(s);
  const datasets: ChartDataset[] = [];
  const notes = failedScans(s);
  if (vs.some((v) => v.scan!.vulns)) {
    for (const level of ['critical', 'high', 'medium', 'low'] as const) {
      datasets.push({ label: level, color: COLORS[level], stack: 'vulnerabilities', ...countData(vs.map((v) => v.scan!.vulns?.[level] ?? null)) });
    }
  } else if (vs.length > 0) {
    notes.push('Vulnerabilities not checked: the scanner used no vulnerability database.');
  }
  if (vs.some((v) => v.scan!.hygiene)) {
    datasets.push({
      label: 'hygiene findings',
      color: COLORS.hygiene,
      stack: 'hygiene',
      ...countData(vs.map((v) => (v.scan!.hygiene ? Object.values(v.scan!.hygiene).reduce((a, b) => a + b, 0) : null))),
    });
  }
  if (datasets.length === 0) return undefined;
  return {
    id, scenario: s.scenario, title: 'Scan findings', unit: 'count', yTitle: 'findings', labels: vs.map((v) => v.variant),
    datasets, stacked: datasets.some((d) => d.stack === 'vulnerabilities'), legend: true, notes,
  };
}

/** The charts of one scenario, in reading order; a chart whose phases are all absent is left out. */
export function scenarioCharts(s: ScenarioFacts, index: number): ChartSpec[] {
  const id = (name: string) => `chart-${index}-${name}`;
  const charts = [
    sizeChart(id('size'), s),
    compositionChart(id('composition'), s),
    timeChart(id('build-cold'), s, ['build-cold'], 'Cold build time'),
    timeChart(id('build-warm'), s, WARM_BUILDS, 'Warm rebuild times'),
    timeChart(id('transfer-time'), s, TRANSFER_PHASES, 'Push and pull times'),
    bytesChart(id('transfer-bytes'), s),
    timeChart(id('run'), s, ['run'], 'Start-up time'),
    timeChart(id('context'), s, PHASE_GROUPS.context, 'Rebuild from a developer folder: with and without .dockerignore'),
    packagesChart(id('packages'), s),
    findingsChart(id('findings'), s),
  ].filter((c): c is ChartSpec => c !== undefined);
  return charts.map((c) => ({ ...c, wide: !c.stacked && c.labels.length * c.datasets.length > WIDE_ABOVE_BARS }));
}

export function allCharts(facts: RunFacts): ChartSpec[] {
  return facts.scenarios.flatMap((s, i) => scenarioCharts(s, i));
}
