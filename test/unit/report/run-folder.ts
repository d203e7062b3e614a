// Writes run folders for the report tests: samples.csv, summary.csv, steps.csv, findings.csv and run.json made
// from a short description of what each scenario, variant and phase measured.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvDocument } from '../../../src/results/csv.ts';
import { summaryRows } from '../../../src/stats/summary.ts';
import {
  COMPOSITION_CATEGORIES, COMPOSITION_COLUMNS, FINDING_COLUMNS, SAMPLE_COLUMNS, SCHEMA, STEP_COLUMNS, STEP_EXTRA_COLUMNS, SUMMARY_COLUMNS,
  type CompositionRow, type PhaseName, type RunInfo, type SampleRow, type StepRow, type SummaryRow,
} from '../../../src/types.ts';
import type { FindingRow } from '../../../src/report/read-findings.ts';

export interface Measure {
  scenario: string;
  variant: string;
  phase: PhaseName;
  /** One entry per sample: a duration in ms, or the error text of a failed sample. */
  samples: Array<number | string>;
  image_bytes?: number;
  compressed_bytes?: number;
  layers?: number;
  transfer_bytes?: number;
  context_bytes?: number;
  packages_os?: number;
  packages_npm?: number;
  /** critical, high, medium, low. */
  vulns?: [number, number, number, number];
  scanner?: string;
}

export interface RunFiles {
  samples: SampleRow[];
  summary: SummaryRow[];
  steps: StepRow[];
  findings?: FindingRow[];
  /** composition.csv; written only when given. */
  composition?: CompositionRow[];
  info?: RunInfo;
}

export const RUN_ID = '20250101T000000Z-test';

export function sampleRows(m: Measure): SampleRow[] {
  return m.samples.map((s, i) => ({
    schema: SCHEMA, run_id: RUN_ID, time: `2025-01-01T00:00:${String(i).padStart(2, '0')}Z`,
    scenario: m.scenario, variant: m.variant, phase: m.phase, iteration: i,
    ok: typeof s === 'number', error: typeof s === 'string' ? s : '', duration_ms: typeof s === 'number' ? s : null,
    profile: 'offline', builder: 'buildkit', image: `stagebench/${m.scenario}:${m.variant}`, image_id: 'sha256:abc',
    image_bytes: m.image_bytes ?? null, compressed_bytes: m.compressed_bytes ?? null, layers: m.layers ?? null,
    steps: null, cached_steps: null, context_bytes: m.context_bytes ?? null, transfer_bytes: m.transfer_bytes ?? null,
    vulns_critical: m.vulns?.[0] ?? null, vulns_high: m.vulns?.[1] ?? null, vulns_medium: m.vulns?.[2] ?? null,
    vulns_low: m.vulns?.[3] ?? null, packages_os: m.packages_os ?? null, packages_npm: m.packages_npm ?? null,
    scanner: m.scanner ?? (m.phase === 'scan' ? 'builtin' : ''), engine: '20.10.24', host: 'test-host', commit: 'abc123',
  }));
}

export function runInfo(scenarios: string[]): RunInfo {
  return {
    schema: SCHEMA, run_id: RUN_ID, started: '2025-01-01T00:00:00Z', finished: '2025-01-01T00:20:00Z',
    stagebench_version: '0.1.0', command_line: ['stagebench', 'run', '--quick'],
    environment: {
      engine_version: '20.10.24', engine_api: '1.41', engine_host: 'unix:///var/run/docker.sock', engine_os: 'linux',
      storage_driver: 'overlay2', builder: 'buildkit', cpus: 2, memory_bytes: 25_000_000_000, os: 'Debian GNU/Linux 12',
      node_version: 'v20.20.2', host: 'test-host', commit: 'abc123',
    },
    profile: { name: 'offline', chosen_by: 'auto', images: { NODE_IMAGE: { ref: 'stagebench-offline/node:20', id: 'sha256:1234', digest: '' } } },
    registry: { kind: 'embedded', address: '127.0.0.1:5000' },
    pull_target: { kind: 'embedded', address: 'unix:///tmp/target.sock' },
    scanner: { name: 'builtin', version: '0.1.0' },
    options: {},
    builds: scenarios.map((s) => ({ scenario: s, variant: 'single', docker_build: `docker build -f scenarios/${s}/Dockerfile.single scenarios/${s}` })),
  };
}

export function makeRun(measures: Measure[], extra: Partial<Omit<RunFiles, 'samples' | 'summary'>> = {}): RunFiles {
  return {
    samples: measures.flatMap(sampleRows),
    summary: summaryRows(measures.flatMap(sampleRows)),
    steps: extra.steps ?? [],
    findings: extra.findings,
    info: 'info' in extra ? extra.info : runInfo([...new Set(measures.map((m) => m.scenario))]),
  };
}

export function writeRunFolder(dir: string, run: RunFiles): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'samples.csv'), csvDocument(SAMPLE_COLUMNS, run.samples));
  writeFileSync(join(dir, 'summary.csv'), csvDocument(SUMMARY_COLUMNS, run.summary));
  writeFileSync(join(dir, 'steps.csv'), csvDocument([...STEP_COLUMNS, ...STEP_EXTRA_COLUMNS], run.steps));
  if (run.findings) writeFileSync(join(dir, 'findings.csv'), csvDocument(FINDING_COLUMNS, run.findings));
  if (run.composition) writeFileSync(join(dir, 'composition.csv'), csvDocument(COMPOSITION_COLUMNS, run.composition));
  if (run.info) writeFileSync(join(dir, 'run.json'), `${JSON.stringify(run.info, null, 2)}\n`);
  return dir;
}

export function stepRow(scenario: string, variant: string, phase: PhaseName, iteration: number, step: string, instruction: string, duration_ms: number, cached = false): StepRow {
  return { schema: SCHEMA, run_id: RUN_ID, scenario, variant, phase, iteration, step, instruction, cached, duration_ms, cause_kind: '', cause: '', cause_origin: '' };
}

export function finding(scenario: string, variant: string, kind: FindingRow['kind'], id: string, severity: FindingRow['severity'] = ''): FindingRow {
  return { scenario, variant, scanner: 'builtin', kind, id, package: '', version: '', fixed_version: '', severity, path: '' };
}

/** A whole run of one scenario with the three shipped variants and every phase, as a run here would look. */
export function fullRun(scenario = 'express-api'): RunFiles {
  const variants: Array<[string, number, number]> = [['single', 751_000_000, 1], ['multi', 142_000_000, 0.7], ['distroless', 118_000_000, 0.75]];
  const measures: Measure[] = variants.flatMap(([variant, bytes, f]): Measure[] => {
    const size = { image_bytes: bytes, compressed_bytes: Math.round(bytes * 0.38), layers: variant === 'single' ? 12 : 8 };
    const t = (ms: number) => [ms * f, ms * f * 1.04, ms * f * 0.97];
    return [
      { scenario, variant, phase: 'build-cold', samples: t(21_000), ...size },
      { scenario, variant, phase: 'build-warm', samples: t(140), ...size },
      { scenario, variant, phase: 'build-warm-src', samples: t(6_200), ...size },
      { scenario, variant, phase: 'build-warm-deps', samples: t(11_500), ...size },
      { scenario, variant, phase: 'push-cold', samples: t(bytes / 40_000), ...size, transfer_bytes: size.compressed_bytes },
      { scenario, variant, phase: 'push-warm', samples: t(bytes / 900_000), ...size, transfer_bytes: 40_000 },
      { scenario, variant, phase: 'pull-cold', samples: t(bytes / 30_000), ...size, transfer_bytes: size.compressed_bytes },
      { scenario, variant, phase: 'pull-warm', samples: t(bytes / 700_000), ...size, transfer_bytes: 40_000 },
      {
        scenario, variant, phase: 'scan', samples: t(900), ...size,
        packages_os: variant === 'distroless' ? 18 : variant === 'multi' ? 96 : 412,
        packages_npm: variant === 'single' ? 388 : 176,
      },
      { scenario, variant, phase: 'run', samples: variant === 'single' ? [420, 433, 410] : [310, 322, 301], ...size },
    ];
  });
  const steps = variants.flatMap(([variant, , f]) => [0, 1, 2].flatMap((i) => [
    stepRow(scenario, variant, 'build-cold', i, '[2/6]', 'RUN npm ci', 9_000 * f + i),
    stepRow(scenario, variant, 'build-cold', i, '[4/6]', 'RUN npx tsc -p tsconfig.build.json', 4_000 * f + i),
    stepRow(scenario, variant, 'build-cold', i, '[3/6]', 'COPY . .', 150 + i),
  ]));
  const findings = variants.flatMap(([variant]) => [
    ...(variant === 'distroless' ? [] : [finding(scenario, variant, 'hygiene', 'shell-present')]),
    ...(variant === 'single' ? [finding(scenario, variant, 'hygiene', 'runs-as-root'), finding(scenario, variant, 'hygiene', 'dev-dependencies-shipped')] : []),
  ]);
  return makeRun(measures, { steps, findings });
}

/**
 * composition.csv rows for fullRun's three variants, adding up to their image sizes: single ships devDependencies,
 * a toolchain and caches; multi and distroless ship the runtime, production dependencies and the app.
 */
export function fullComposition(scenario = 'express-api'): CompositionRow[] {
  const mb = 1_000_000;
  const bytes: Record<string, number[]> = {
    // runtime, production dependencies, devDependencies, toolchain, caches, app, wasted
    single: [420 * mb, 60 * mb, 180 * mb, 70 * mb, 15 * mb, 5 * mb, 1 * mb],
    multi: [70 * mb, 60 * mb, 0, 0, 7 * mb, 5 * mb, 0],
    distroless: [53 * mb, 60 * mb, 0, 0, 0, 5 * mb, 0],
  };
  return Object.entries(bytes).flatMap(([variant, list]) => COMPOSITION_CATEGORIES.map((category, i) => ({ scenario, variant, category, bytes: list[i] })));
}
