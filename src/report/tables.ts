// The report's tables as plain text cells, one model for both report.md and report.html: each renderer only
// escapes and lays them out. A failed phase reads "failed", a phase a variant lacks reads "not measured".
import { COMPOSITION_CATEGORIES, PHASE_GROUPS, PHASES, type PhaseName, type RunInfo, type StepRow } from '../types.ts';
import { median } from '../stats/quantile.ts';
import type { PhaseFacts, RunFacts, ScenarioFacts, VariantFacts } from './facts.ts';
import { formatBytes, formatDuration } from '../units.ts';
import { PHASE_LABELS, REFERENCE_VARIANT, variantLabel } from './format.ts';
import { ratioPhrase } from './headlines.ts';
import { ciRunnerBlock } from './ci-runner.ts';
import { causesBlock } from './rebuild-causes.ts';
import { waterfallBlock } from './size-waterfall.ts';

export interface Table {
  columns: string[];
  /** Columns holding figures, aligned right. */
  numeric: boolean[];
  rows: string[][];
}

export type BlockKey = 'waterfall' | 'size' | 'composition' | 'build' | 'ci' | 'transfer' | 'run' | 'context' | 'scan' | 'hygiene' | 'steps' | 'causes' | 'failures';

export interface Block {
  key: BlockKey;
  title: string;
  /** Absent when there is nothing to tabulate; the notes say why. */
  table?: Table;
  notes: string[];
}

export interface ScenarioTables {
  scenario: string;
  /** Phases not measured for this scenario. */
  notMeasured: PhaseName[];
  blocks: Block[];
}

const SLOWEST_STEPS = 8;
const MAX_FAILURE_ROWS = 40;
const MAX_TEXT = 100;
const NONE = '—';

export const TRANSFER_PHASES: readonly PhaseName[] = [...PHASE_GROUPS.push, ...PHASE_GROUPS.pull];

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_TEXT ? `${flat.slice(0, MAX_TEXT - 1)}…` : flat;
}

function table(columns: Array<[string, boolean]>, rows: string[][]): Table {
  return { columns: columns.map(([c]) => c), numeric: columns.map(([, n]) => n), rows };
}

function sizeBlock(s: ScenarioFacts): Block {
  const title = 'Image size';
  if (s.variants.every((v) => v.image.imageBytes === null && v.image.compressedBytes === null)) {
    return { key: 'size', title, notes: ['No image size was recorded in this run.'] };
  }
  const ref = s.variants.find((v) => v.variant === s.reference);
  const versus = (v: VariantFacts, pick: (x: VariantFacts) => number | null): string => {
    const a = pick(v);
    const b = ref ? pick(ref) : null;
    if (a === null) return NONE;
    if (v === ref) return 'reference';
    if (b === null || b <= 0) return NONE;
    return ratioPhrase(a, b, 'smaller', 'larger') ?? 'same';
  };
  const bytes = (n: number | null) => (n === null ? NONE : formatBytes(n));
  const vs = `vs ${variantLabel(s.reference)}`;
  return {
    key: 'size',
    title,
    table: table(
      [['variant', false], ['image size', true], [vs, false], ['compressed', true], [vs, false], ['layers', true]],
      s.variants.map((v) => [
        v.variant,
        bytes(v.image.imageBytes),
        versus(v, (x) => x.image.imageBytes),
        bytes(v.image.compressedBytes),
        versus(v, (x) => x.image.compressedBytes),
        v.image.layers === null ? NONE : String(v.image.layers),
      ]),
    ),
    notes: ref ? [] : [`No ${variantLabel(s.reference)} variant to compare with.`],
  };
}

/** Where the bytes go: a row per category, a column per variant; absent when the run has no composition.csv. */
function compositionBlock(s: ScenarioFacts): Block | undefined {
  const vs = s.variants.filter((v) => v.composition);
  if (vs.length === 0) return undefined;
  const total = (v: VariantFacts) => COMPOSITION_CATEGORIES.reduce((sum, c) => sum + v.composition![c], 0);
  return {
    key: 'composition',
    title: 'Where the bytes go',
    table: table(
      [['category', false], ...vs.map((v): [string, boolean] => [v.variant, true])],
      [
        ...COMPOSITION_CATEGORIES.map((c) => [c, ...vs.map((v) => formatBytes(v.composition![c]))]),
        ['all layers', ...vs.map((v) => formatBytes(total(v)))],
      ],
    ),
    notes: ['From composition.csv (stagebench explain\'s categories). Wasted: files a later layer deleted or overwrote; their bytes still ship in the earlier layer.'],
  };
}

/** median, min – max, ± stddev, samples, failed: the cells every timing table shares. */
function timingCells(p: PhaseFacts | undefined): string[] {
  if (!p) return ['not measured', NONE, NONE, NONE, NONE];
  const samples = String(p.ok + p.failed);
  if (p.ok === 0 || p.median === null) return [p.ok === 0 ? `failed (${p.failed} of ${p.failed})` : NONE, NONE, NONE, samples, String(p.failed)];
  const spread = p.min !== null && p.max !== null ? `${formatDuration(p.min)} – ${formatDuration(p.max)}` : NONE;
  const sd = p.stddev !== null && p.ok > 1 ? `± ${formatDuration(p.stddev)}` : NONE;
  return [formatDuration(p.median), spread, sd, samples, String(p.failed)];
}

const TIMING_COLUMNS: Array<[string, boolean]> = [
  ['variant', false], ['phase', false], ['median', true], ['min – max', true], ['± stddev', true], ['samples', true], ['failed', true],
];

function timingBlock(key: BlockKey, title: string, s: ScenarioFacts, wanted: readonly PhaseName[], absent: string, withBytes: boolean): Block {
  const phases = wanted.filter((p) => s.phases.includes(p));
  if (phases.length === 0) return { key, title, notes: [absent] };
  const rows = phases.flatMap((phase) =>
    s.variants.map((v) => {
      const p = v.phases[phase];
      const cells = [v.variant, phase, ...timingCells(p)];
      if (withBytes) cells.push(p && p.ok > 0 && p.transferBytes !== null ? formatBytes(p.transferBytes) : NONE);
      return cells;
    }),
  );
  const columns = withBytes ? [...TIMING_COLUMNS, ['sent', true] as [string, boolean]] : TIMING_COLUMNS;
  const notes = [`${phases.map((p) => `${p}: ${PHASE_LABELS[p]}`).join('; ')}.`];
  const missing = wanted.filter((p) => !phases.includes(p));
  if (missing.length > 0) notes.push(`Not measured: ${missing.join(', ')}.`);
  return { key, title, table: table(columns, rows), notes };
}

/** The .dockerignore measurement: the same rebuild with and without it, and what went to the engine each time. */
function contextBlock(facts: RunFacts, s: ScenarioFacts): Block {
  const block = timingBlock('context', 'Rebuild from a developer folder (.dockerignore)', s, PHASE_GROUPS.context, '', false);
  const sent = (variant: string, phase: string) => {
    const ok = facts.samples.filter((r) => r.scenario === s.scenario && r.variant === variant && r.phase === phase && r.ok);
    const bytes = median(ok.map((r) => r.context_bytes).filter((b): b is number => b !== null));
    const ms = median(ok.map((r) => r.context_ms).filter((b): b is number => b !== null && b !== undefined));
    return bytes === null ? NONE : `${formatBytes(bytes)}${ms === null ? '' : ` in ${formatDuration(ms)}`}`;
  };
  if (block.table) {
    block.table.columns.push('context sent');
    block.table.numeric.push(true);
    for (const r of block.table.rows) r.push(sent(r[0], r[1]));
  }
  return block;
}

function scanBlock(s: ScenarioFacts): Block {
  const title = 'Scan';
  const scanned = s.variants.filter((v) => v.scan);
  if (scanned.length === 0) return { key: 'scan', title, notes: ['No scan phase in this run.'] };
  const n = (x: number | null) => (x === null ? NONE : String(x));
  const rows = scanned.map((v) => {
    const scan = v.scan!;
    if (!scan.ok) return [v.variant, scan.scanner || NONE, 'failed', NONE, NONE, NONE, NONE, NONE, NONE];
    const vulns = scan.vulns
      ? [scan.vulns.critical, scan.vulns.high, scan.vulns.medium, scan.vulns.low].map(String)
      : ['not checked', NONE, NONE, NONE];
    const hygiene = scan.hygiene ? String(Object.values(scan.hygiene).reduce((a, b) => a + b, 0)) : NONE;
    return [v.variant, scan.scanner || NONE, n(scan.packagesOs), n(scan.packagesNpm), ...vulns, hygiene];
  });
  const notes: string[] = [];
  if (scanned.some((v) => v.scan!.ok && v.scan!.vulns === null)) {
    notes.push('"not checked": the scanner used no vulnerability database, so it counted packages and hygiene findings only.');
  }
  return {
    key: 'scan',
    title,
    table: table(
      [['variant', false], ['scanner', false], ['OS packages', true], ['npm packages', true], ['critical', true], ['high', true],
        ['medium', true], ['low', true], ['hygiene findings', true]],
      rows,
    ),
    notes,
  };
}

function hygieneBlock(s: ScenarioFacts): Block | undefined {
  const scanned = s.variants.filter((v) => v.scan?.hygiene);
  const ids = [...new Set(scanned.flatMap((v) => Object.keys(v.scan!.hygiene!)))].sort();
  if (ids.length === 0) return undefined;
  return {
    key: 'hygiene',
    title: 'Hygiene findings by check',
    table: table(
      [['check', false], ...scanned.map((v): [string, boolean] => [v.variant, true])],
      ids.map((id) => [id, ...scanned.map((v) => String(v.scan!.hygiene![id] ?? 0))]),
    ),
    notes: [],
  };
}

/** The instruction steps that took longest, by their median over the ok build samples. */
function stepsBlock(s: ScenarioFacts, steps: StepRow[], failedIterations: Set<string>): Block | undefined {
  const groups = new Map<string, StepRow[]>();
  for (const row of steps) {
    if (row.scenario !== s.scenario || failedIterations.has(`${row.variant}\u0000${row.phase}\u0000${row.iteration}`)) continue;
    const k = [row.variant, row.phase, row.step, row.instruction].join('\u0000');
    groups.set(k, [...(groups.get(k) ?? []), row]);
  }
  const ranked = [...groups.values()]
    .map((rows) => ({ rows, median: median(rows.map((r) => r.duration_ms).filter((d): d is number => d !== null)) }))
    .filter((g): g is { rows: StepRow[]; median: number } => g.median !== null)
    .sort((a, b) => b.median - a.median)
    .slice(0, SLOWEST_STEPS);
  if (ranked.length === 0) return undefined;
  return {
    key: 'steps',
    title: 'Slowest build steps',
    table: table(
      [['variant', false], ['phase', false], ['step', false], ['instruction', false], ['median', true], ['cached', true]],
      ranked.map(({ rows, median }) => [
        rows[0].variant,
        rows[0].phase,
        rows[0].step,
        clip(rows[0].instruction),
        formatDuration(median),
        `${rows.filter((r) => r.cached).length} of ${rows.length}`,
      ]),
    ),
    notes: ['Median over the successful samples of each build phase; failed samples are left out.'],
  };
}

function failuresBlock(s: ScenarioFacts): Block | undefined {
  const failures = s.variants.flatMap((v) => v.failures);
  if (failures.length === 0) return undefined;
  const order = (p: PhaseName) => PHASES.indexOf(p);
  const rows = [...failures]
    .sort((a, b) => order(a.phase) - order(b.phase) || a.variant.localeCompare(b.variant) || a.iteration - b.iteration)
    .map((f) => [f.variant, f.phase, String(f.iteration), clip(f.error || 'no reason recorded')]);
  return {
    key: 'failures',
    title: 'Failed samples',
    table: table([['variant', false], ['phase', false], ['iteration', true], ['error', false]], rows.slice(0, MAX_FAILURE_ROWS)),
    notes: [
      'A failed sample is not what its phase says (for example a cold build with a cached step) or did not finish; it counts in no figure above.',
      ...(rows.length > MAX_FAILURE_ROWS ? [`${rows.length - MAX_FAILURE_ROWS} more failed samples are in samples.csv.`] : []),
    ],
  };
}

export function scenarioTables(facts: RunFacts, s: ScenarioFacts): ScenarioTables {
  const failedIterations = new Set(
    s.variants.flatMap((v) => v.failures.map((f) => `${f.variant}\u0000${f.phase}\u0000${f.iteration}`)),
  );
  const blocks: Array<Block | undefined> = [
    waterfallBlock(s),
    sizeBlock(s),
    compositionBlock(s),
    timingBlock('build', 'Build times', s, PHASE_GROUPS.build, 'No build phase in this run.', false),
    ciRunnerBlock(facts, s),
    timingBlock('transfer', 'Push and pull', s, TRANSFER_PHASES, 'No push or pull phase in this run.', true),
    timingBlock('run', 'Start-up', s, ['run'], 'No run phase (start-up) in this run.', false),
    s.phases.some((p) => PHASE_GROUPS.context.includes(p)) ? contextBlock(facts, s) : undefined,
    scanBlock(s),
    hygieneBlock(s),
    stepsBlock(s, facts.steps, failedIterations),
    causesBlock(s, facts.steps, failedIterations),
    failuresBlock(s),
  ];
  return {
    scenario: s.scenario,
    notMeasured: PHASES.filter((p) => !s.phases.includes(p)),
    blocks: blocks.filter((b): b is Block => b !== undefined),
  };
}

/** The environment of the run, label -> value, in reading order. */
export function environmentRows(info: RunInfo | undefined): Array<[string, string]> {
  if (!info) return [['run.json', 'missing: the environment of this run is unknown']];
  const e = info.environment;
  const rows: Array<[string, string]> = [
    ['run', info.run_id],
    ['started', info.started],
    ['finished', info.finished ?? 'not recorded (interrupted?)'],
    ['engine', `Docker ${e.engine_version} (API ${e.engine_api}), ${e.storage_driver}, ${e.engine_os}`],
    ['engine host', e.engine_host],
    ['builder', e.builder],
    ['CPUs', String(e.cpus)],
    ['memory', formatBytes(e.memory_bytes)],
    ['OS', e.os],
    ['Node.js', e.node_version],
    ['host', e.host],
    ['commit', e.commit || 'unknown'],
    ['profile', `${info.profile.name} (chosen by ${info.profile.chosen_by})`],
  ];
  for (const [arg, image] of Object.entries(info.profile.images).sort(([a], [b]) => a.localeCompare(b))) {
    const id = image.digest || image.id;
    rows.push([`base image ${arg}`, id ? `${image.ref} (${id})` : image.ref]);
  }
  const registry = (r: RunInfo['registry']) => (r.address ? `${r.kind}, ${r.address}` : r.kind);
  const target = (t: RunInfo['pull_target']) => (t.address ? `${t.kind}, ${t.address}` : t.kind);
  const scanner = (sc: RunInfo['scanner']) => [sc.name || 'none', sc.version, sc.db_date ? `database ${sc.db_date}` : ''].filter(Boolean).join(', ');
  rows.push(['registry', registry(info.registry)], ['pull target', target(info.pull_target)], ['scanner', scanner(info.scanner)]);
  // A merged run's parts came from different machines and services: each source says what it measured and with what.
  (info.merged_from ?? []).forEach((m, i) => {
    const parts = [
      `run ${m.run_id} on ${m.host || 'an unknown host'} (${m.dir})`,
      m.phases?.length ? `phases ${m.phases.join(', ')}` : '',
      m.registry ? `registry ${registry(m.registry)}` : '',
      m.pull_target ? `pull target ${target(m.pull_target)}` : '',
      m.scanner ? `scanner ${scanner(m.scanner)}` : '',
    ];
    rows.push([`source ${i + 1}`, parts.filter(Boolean).join('; ')]);
  });
  rows.push(
    ['stagebench', info.stagebench_version],
    ['command line', info.command_line.join(' ')],
  );
  return rows;
}

/** The plain docker build command of each scenario and variant, to reproduce a build by hand. */
export function buildCommands(info: RunInfo | undefined): Array<{ scenario: string; variant: string; command: string }> {
  return (info?.builds ?? []).map((b) => ({ scenario: b.scenario, variant: b.variant, command: b.docker_build }));
}

/** The opening lines: what run this is and which phases it measured, and which not. */
export function runIntro(facts: RunFacts): string[] {
  const info = facts.info;
  const about = [
    info ? `Started ${info.started}` : undefined,
    info ? `profile ${info.profile.name}` : undefined,
    info ? `builder ${info.environment.builder}` : undefined,
    `${facts.scenarios.length} scenario${facts.scenarios.length === 1 ? '' : 's'}`,
  ].filter((x): x is string => x !== undefined);
  const lines = [`${about.join(' · ')}.`];
  lines.push(facts.phases.length > 0 ? `Phases measured: ${facts.phases.join(', ')}.` : 'No phase was measured in this run.');
  if (facts.missingPhases.length > 0) lines.push(`Not measured in this run: ${facts.missingPhases.join(', ')}.`);
  if (facts.summaryRecomputed) lines.push('The run folder has no summary.csv (was the run interrupted?): its figures were computed from samples.csv.');
  return lines;
}

/** Said when no headline could be made. */
export const NO_HEADLINE = `No headline: no scenario has its reference variant (${variantLabel(REFERENCE_VARIANT)} unless scenario.json names another) and another variant measured in the same phase.`;
