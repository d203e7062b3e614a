// What the push and pull phases need from a registry and from the engine pulls go to; embedded.ts, external.ts and
// target-engine.ts implement them.
import type { Engine, RegistryAuth } from '../engine/engine.ts';

export interface RegistryService {
  kind: 'embedded' | 'external';
  /** host:port[/namespace], the prefix of pushed image names. */
  prefix: string;
  auth: RegistryAuth | undefined;
  /** Before a cold push: empties the registry (embedded: a fresh storage folder). False where impossible. */
  reset(): Promise<boolean>;
  /** The repository (without the host) a scenario's images go to; `cold` asks for one no push has used. */
  repository(scenario: string, cold: boolean): string;
  /** The pushed manifest's config and layer sizes, from the registry's API. */
  manifest(repo: string, tag: string): Promise<{ configBytes: number; layers: Array<{ digest: string; size: number }>; diffIds: string[] }>;
}

export interface PullTarget {
  kind: 'embedded' | 'external' | 'building-engine';
  engine: Engine;
  /** Removes every image from the target so that the next pull is cold. */
  empty(): Promise<void>;
}
