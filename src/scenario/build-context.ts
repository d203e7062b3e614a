// Where a scenario's build context is (scenario.json `context`, a subfolder for monorepos) and how a build names a
// Dockerfile in it. One home for it: the run's builds, tune's static reading and its builds all place files by this.
import { join, relative } from 'node:path';
import type { Scenario } from '../types.ts';

/** The context subfolder, relative to the scenario folder ('.' when the whole folder is the context). */
export function contextSubfolder(scenario: Pick<Scenario, 'context'>): string {
  return scenario.context ?? '.';
}

/**
 * The build context inside `folder` (the scenario folder or a copy of it), and a Dockerfile given relative to the
 * scenario folder, as the build names it: relative to the context, with forward slashes.
 */
export function contextOf(scenario: Pick<Scenario, 'context'>, folder: string, dockerfile: string): { contextDir: string; dockerfile: string } {
  const sub = contextSubfolder(scenario);
  return { contextDir: join(folder, sub), dockerfile: relative(sub, dockerfile).split('\\').join('/') };
}
