// What every phase provides to the runner: an untimed preparation and a timed measurement, per sample.
import type { BuildStep, Engine } from '../engine/engine.ts';
import { EnvironmentError } from '../errors.ts';
import type { NpmRoute } from '../npm-proxy/npm-route.ts';
import type { PullTarget, RegistryService } from '../registry/service.ts';
import type { ScannerService } from '../scan/scanner.ts';
import type { ServiceContainers } from '../sidecars/service-containers.ts';
import type { ChangeCauses, StepCause } from '../why/in-run.ts';
import type { Workspace } from '../scenario/workspace.ts';
import type { BuilderKind, CompositionRow, PhaseName, Profile, SampleRow, Scenario, ScanResult } from '../types.ts';

/** What a run shares with its phases. */
export interface RunContext {
  engine: Engine;
  runId: string;
  profile: Profile;
  builder: BuilderKind;
  signal: AbortSignal;
  /** Per-sample timeout, ms. */
  timeoutMs: number;
  /** Services started lazily by phases that need them (registry, deploy target, scanner), stopped by the run. */
  services: Services;
  log: (line: string) => void;
  /** Where builds fetch npm packages; absent: direct. */
  npm?: NpmRoute;
  /** The run phase's service containers (scenario.json run.services), started and stopped by the run. */
  serviceContainers?: ServiceContainers;
}

export interface Services {
  registry(): Promise<RegistryService>;
  pullTarget(): Promise<PullTarget>;
  scanner(): Promise<ScannerService>;
}

export interface SampleSlot {
  scenario: Scenario;
  variant: string;
  phase: PhaseName;
  workspace: Workspace;
}

/** The measured part of a sample: fields of its row, the outcome, and its build steps. */
export interface Measured {
  ok: boolean;
  error: string;
  durationMs: number | null;
  fields: Partial<SampleRow>;
  steps: BuildStep[];
  /** Extra data a phase wants kept (scan findings). */
  scan?: ScanResult;
  /** Why each rebuilt step missed the cache, in phases that apply a change (steps.csv's cause columns). */
  causes?: StepCause[];
  /** The image's bytes by category (scan phase), for composition.csv. */
  composition?: CompositionRow[];
}

export interface PhaseHandler {
  /** Untimed: bring the engine into the state the phase's definition requires. Throws on failure. */
  prepare(iteration: number): Promise<void>;
  /** Timed: one sample. Never throws for a failed sample: failures are values. */
  measure(iteration: number): Promise<Measured>;
  /** Untimed, after every sample (restore changed files, remove containers). */
  after?(iteration: number): Promise<void>;
}

/**
 * Runs a sample's untimed preparation and keeps its failure for the measurement to report as a failed sample.
 * An interrupt and a missing environment (EnvironmentError: no registry, no engine) still end the run.
 */
export class Preparation {
  error = '';
  constructor(private readonly signal: AbortSignal) {}

  async run(fn: () => Promise<void>): Promise<void> {
    this.error = '';
    try {
      await fn();
    } catch (err) {
      if (this.signal.aborted || err instanceof EnvironmentError) throw err;
      this.error = (err as Error).message;
    }
  }
}

export function failed(error: string, fields: Partial<SampleRow> = {}, durationMs: number | null = null): Measured {
  return { ok: false, error, durationMs, fields, steps: [] };
}

/** The measurement with the cause of each rebuilt step. An analysis that fails leaves the sample as it was, noted. */
export function withCauses(m: Measured, causes: ChangeCauses, log: (line: string) => void): Measured {
  try {
    return { ...m, causes: causes.of(m.steps) };
  } catch (err) {
    log(`stagebench: the causes of the rebuilt steps could not be worked out: ${(err as Error).message}`);
    return m;
  }
}
