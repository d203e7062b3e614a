// A private copy of a scenario folder: the warm phases change files here, never in the scenario itself.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../types.ts';

export class Workspace {
  readonly dir: string;
  private readonly originals = new Map<string, Buffer>();
  private changed = false;

  constructor(
    readonly scenario: Scenario,
    parentDir: string,
  ) {
    this.dir = join(parentDir, scenario.name);
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(parentDir, { recursive: true });
    cpSync(scenario.dir, this.dir, { recursive: true, verbatimSymlinks: true });
  }

  private remember(rel: string): void {
    if (!this.originals.has(rel)) this.originals.set(rel, readFileSync(join(this.dir, rel)));
  }

  /** Appends the scenario's source change and a marker that makes this change new to the build cache. */
  applySourceChange(marker: string): void {
    this.changed = true;
    const { file, append } = this.scenario.changes.source;
    this.remember(file);
    writeFileSync(join(this.dir, file), Buffer.concat([this.originals.get(file)!, Buffer.from(`${append}// ${marker}\n`)]));
  }

  /**
   * Replaces the manifests with the scenario's changed ones. The marker goes into package.json as a field npm
   * ignores, so every sample's manifest is new to the cache, as a real dependency change is.
   */
  applyDependencyChange(marker: string): void {
    this.changed = true;
    for (const [dest, from] of Object.entries(this.scenario.changes.dependency.replace)) {
      this.remember(dest);
      let content = readFileSync(join(this.scenario.dir, from));
      if (dest.endsWith('package.json')) {
        const pkg = JSON.parse(content.toString('utf8')) as Record<string, unknown>;
        pkg.stagebenchChange = marker;
        content = Buffer.from(`${JSON.stringify(pkg, null, 2)}\n`);
      }
      writeFileSync(join(this.dir, dest), content);
    }
  }

  /** Puts every changed file back as it was in the scenario folder. */
  restore(): void {
    for (const [rel, content] of this.originals) writeFileSync(join(this.dir, rel), content);
    this.changed = false;
  }

  /** Whether the files are the scenario's as copied: no change applied since the copy or the last restore. */
  get pristine(): boolean {
    return !this.changed;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
