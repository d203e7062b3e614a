// Sample rows, run.json bodies and run folders that the tests generate (no Docker): shared by the stats, compare,
// merge and export tests.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { UsageError } from '../../../src/errors.ts';
import { csvDocument } from '../../../src/results/csv.ts';
import { SAMPLE_COLUMNS, SCHEMA, STEP_COLUMNS, type PhaseName, type RunInfo, type SampleRow, type StepRow } from '../../../src/types.ts';
import { seededRandom } from '../../../src/stats/seeded-random.ts';

export function sampleRow(over: Partial<SampleRow> = {}): SampleRow {
  return {
    schema: SCHEMA, run_id: 'run-a', time: '2025-01-01T00:00:00.000Z', scenario: 'express-api', variant: 'multi',
    phase: 'build-cold', iteration: 1, ok: true, error: '', duration_ms: 1000, profile: 'offline', builder: 'buildkit',
    image: 'stagebench/express-api:multi', image_id: 'sha256:abc', image_bytes: 150_000_000, compressed_bytes: 50_000_000,
    layers: 7, steps: 6, cached_steps: 0, context_bytes: 2048, transfer_bytes: null, vulns_critical: null,
    vulns_high: null, vulns_medium: null, vulns_low: null, packages_os: null, packages_npm: null, scanner: '',
    engine: '20.10.24', host: 'runner-1', commit: 'abc123', context_ms: null, ...over,
  };
}

/** Deterministic pseudo-random numbers in [0, 1), so that generated runs are the same every time. */
export const random = seededRandom;

export interface Cell {
  scenario: string;
  variant: string;
  phase: PhaseName;
  /** Typical duration; each sample is within +-2% of it. */
  ms: number;
  image_bytes?: number;
}

export const CELLS: Cell[] = [
  { scenario: 'express-api', variant: 'single', phase: 'build-cold', ms: 20_000, image_bytes: 1_100_000_000 },
  { scenario: 'express-api', variant: 'multi', phase: 'build-cold', ms: 25_000, image_bytes: 250_000_000 },
  { scenario: 'express-api', variant: 'multi', phase: 'build-warm', ms: 400 },
  { scenario: 'express-api', variant: 'distroless', phase: 'build-cold', ms: 26_000, image_bytes: 160_000_000 },
  { scenario: 'next-ssr', variant: 'single', phase: 'build-cold', ms: 60_000, image_bytes: 1_400_000_000 },
  { scenario: 'next-ssr', variant: 'multi', phase: 'build-cold', ms: 70_000, image_bytes: 300_000_000 },
];

/** iterations samples of each cell, with +-2% noise from the seed. */
export function generateRun(opts: { runId: string; seed: number; iterations: number; cells?: Cell[] }): SampleRow[] {
  const rnd = random(opts.seed);
  const rows: SampleRow[] = [];
  for (const c of opts.cells ?? CELLS) {
    for (let i = 1; i <= opts.iterations; i++) {
      rows.push(sampleRow({
        run_id: opts.runId, scenario: c.scenario, variant: c.variant, phase: c.phase, iteration: i,
        duration_ms: Math.round(c.ms * (0.98 + 0.04 * rnd()) * 1000) / 1000,
        image_bytes: c.image_bytes ?? null, compressed_bytes: c.image_bytes ? Math.round(c.image_bytes / 3) : null,
      }));
    }
  }
  return rows;
}

/** Two steps per build sample. */
export function stepsOf(samples: readonly SampleRow[]): StepRow[] {
  return samples.filter((s) => s.phase.startsWith('build')).flatMap((s) => [1, 2].map((n) => ({
    schema: s.schema, run_id: s.run_id, scenario: s.scenario, variant: s.variant, phase: s.phase,
    iteration: s.iteration, step: `[${n}/2]`, instruction: n === 1 ? 'COPY package.json ./' : 'RUN npm ci',
    cached: s.phase !== 'build-cold', duration_ms: n * 100, cause_kind: '', cause: '', cause_origin: '',
  })));
}

export function runInfo(over: Partial<RunInfo> & { env?: Partial<RunInfo['environment']> } = {}): RunInfo {
  const { env, ...rest } = over;
  return {
    schema: SCHEMA, run_id: 'run-a', started: '2025-01-01T00:00:00.000Z', finished: '2025-01-01T00:10:00.000Z',
    stagebench_version: '0.1.0', command_line: ['stagebench', 'run'],
    environment: {
      engine_version: '20.10.24', engine_api: '1.41', engine_host: 'unix:///var/run/docker.sock', engine_os: 'Debian',
      storage_driver: 'overlay2', builder: 'buildkit', cpus: 2, memory_bytes: 24e9, os: 'linux', node_version: 'v20.20.2',
      host: 'runner-1', commit: 'abc123', ...env,
    },
    profile: { name: 'offline', chosen_by: 'auto', images: {} },
    registry: { kind: 'embedded' }, pull_target: { kind: 'embedded' }, scanner: { name: 'builtin' },
    options: { iterations: 5 }, builds: [], ...rest,
  };
}

/** A fresh folder, removed when the test process exits. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stagebench-compare-test-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes a run folder as the run command does: samples.csv, steps.csv and (unless info is null) run.json. */
export function writeRunFolder(dir: string, samples: readonly SampleRow[], info: RunInfo | null = runInfo()): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'samples.csv'), csvDocument(SAMPLE_COLUMNS, samples));
  writeFileSync(join(dir, 'steps.csv'), csvDocument(STEP_COLUMNS, stepsOf(samples)));
  if (info !== null) writeFileSync(join(dir, 'run.json'), JSON.stringify(info, null, 2));
  return dir;
}

/** The UsageError that fn throws; fails the test when it throws nothing or something else. */
export function usageError(fn: () => unknown): UsageError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.instance(caught, UsageError);
  return caught as UsageError;
}
