// Reads what the tune rules need from a scenario folder: the variant's Dockerfile, the build context's .dockerignore
// and top-level entries (the `context` subfolder when scenario.json names one, as the run builds it). The only file
// reading of the static analysis; everything after it is pure.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import { contextOf, contextSubfolder } from '../scenario/build-context.ts';
import type { Scenario } from '../types.ts';
import type { TuneInput } from './types.ts';

function readOptional(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export function readTuneInput(scenario: Scenario, variant: string, buildArgs: Record<string, string> = {}): TuneInput {
  const spec = scenario.variants[variant];
  if (!spec) {
    throw new UsageError(`scenario '${scenario.name}' has no variant '${variant}'; its variants: ${Object.keys(scenario.variants).join(', ')}`);
  }
  const dockerfile = readOptional(join(scenario.dir, spec.dockerfile));
  if (dockerfile === null) {
    throw new UsageError(`${join(scenario.dir, spec.dockerfile)} does not exist (variants.${variant}.dockerfile in ${join(scenario.dir, 'scenario.json')})`);
  }
  // The build context is scenario.json's `context` subfolder when it names one: its .dockerignore and entries count.
  const context = contextOf(scenario, scenario.dir, spec.dockerfile);
  return {
    dockerfilePath: context.dockerfile,
    dockerfile,
    dockerignore: readOptional(join(context.contextDir, '.dockerignore')),
    contextEntries: readdirSync(context.contextDir).sort(),
    context: contextSubfolder(scenario),
    ...(spec.target ? { target: spec.target } : {}),
    buildArgs,
  };
}
