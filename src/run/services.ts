// The services a run starts only when a phase needs them (registry, deploy-target engine, scanner), and stops at
// its end. Findings of the scan phase are kept here until they are written.
import { EnvironmentError } from '../errors.ts';
import type { Services } from '../phases/phase.ts';
import type { PullTarget, RegistryService } from '../registry/service.ts';
import type { ScannerService } from '../scan/scanner.ts';
import type { ResultWriter } from '../results/writer.ts';
import type { RunInfo, ScanResult } from '../types.ts';

export interface ServiceFactories {
  registry?: () => Promise<RegistryService & { stop(): Promise<void>; info: RunInfo['registry'] }>;
  pullTarget?: () => Promise<PullTarget & { stop(): Promise<void>; info: RunInfo['pull_target']; note?: string }>;
  scanner?: () => Promise<ScannerService>;
  findingRows?: (scenario: string, variant: string, result: ScanResult) => Record<string, unknown>[];
  findingColumns?: readonly string[];
}

export class RunServices implements Services {
  private reg?: Promise<RegistryService & { stop(): Promise<void>; info: RunInfo['registry'] }>;
  private target?: Promise<PullTarget & { stop(): Promise<void>; info: RunInfo['pull_target']; note?: string }>;
  private scan?: Promise<ScannerService>;
  private scanInfo: RunInfo['scanner'] = { name: '' };
  private pending: Record<string, unknown>[] = [];

  constructor(
    private readonly f: ServiceFactories,
    private readonly log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
  ) {}

  registry(): Promise<RegistryService> {
    if (!this.f.registry) return Promise.reject(new EnvironmentError('no registry is available to this run'));
    this.reg ??= this.f.registry().then((r) => {
      this.regInfo = r.info;
      return r;
    });
    return this.reg;
  }

  pullTarget(): Promise<PullTarget> {
    if (!this.f.pullTarget) return Promise.reject(new EnvironmentError('no deploy-target engine is available to this run'));
    this.target ??= this.f.pullTarget().then((t) => {
      this.targetInfo = t.info;
      if (t.note) this.log(`stagebench: ${t.note}`);
      return t;
    });
    return this.target;
  }

  scanner(): Promise<ScannerService> {
    if (!this.f.scanner) return Promise.reject(new EnvironmentError('no scanner is available to this run'));
    this.scan ??= this.f.scanner().then((s) => {
      this.scanInfo = { name: s.name, version: s.version, db_date: s.dbDate };
      for (const note of s.notes) this.log(`scanner ${s.name}: ${note}`);
      return s;
    });
    return this.scan;
  }

  /** Every scan kept, for the table printed at the end. */
  readonly scans: Array<{ scenario: string; variant: string; result: ScanResult; duration_ms: number | null }> = [];

  keepFindings(scenario: string, variant: string, result: ScanResult, durationMs: number | null = null): void {
    this.scans.push({ scenario, variant, result, duration_ms: durationMs });
    if (this.f.findingRows) this.pending.push(...this.f.findingRows(scenario, variant, result));
  }

  flushFindings(writer: ResultWriter): void {
    writer.findingRows(this.pending, this.f.findingColumns);
    this.pending = [];
  }

  private regInfo: RunInfo['registry'] = { kind: 'none' };
  private targetInfo: RunInfo['pull_target'] = { kind: 'none' };

  registryInfo(): RunInfo['registry'] {
    return this.regInfo;
  }

  pullTargetInfo(): RunInfo['pull_target'] {
    return this.targetInfo;
  }

  scannerInfo(): RunInfo['scanner'] {
    return this.scanInfo;
  }

  /** Stops whatever was started; each stop is tried even when another fails. */
  async stopAll(): Promise<void> {
    const stops: Array<Promise<void>> = [];
    if (this.reg) stops.push(this.reg.then((r) => r.stop(), () => undefined));
    if (this.target) stops.push(this.target.then((t) => t.stop(), () => undefined));
    const results = await Promise.allSettled(stops);
    const failedStop = results.find((r) => r.status === 'rejected');
    if (failedStop) throw (failedStop as PromiseRejectedResult).reason;
  }
}
