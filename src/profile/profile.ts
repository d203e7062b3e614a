// Base image profiles (bench/profiles/*.json) and which one a run uses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentError, UsageError } from '../errors.ts';
import type { Engine } from '../engine/engine.ts';
import { PROFILE_NAMES, type Profile, type ProfileName } from '../types.ts';
import { ROOT } from '../version.ts';

export type ProfileChoice = ProfileName | 'auto';

export function loadProfile(name: ProfileName, dir = join(ROOT, 'bench/profiles')): Profile {
  const file = join(dir, `${name}.json`);
  let raw: Profile;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  } catch (err) {
    throw new UsageError(`cannot read profile ${file}: ${(err as Error).message}`);
  }
  if (!raw.images || typeof raw.images !== 'object' || Object.values(raw.images).some((v) => typeof v !== 'string' || v === '')) {
    throw new UsageError(`${file}: 'images' must map build-arg names to image references (non-empty strings)`);
  }
  return { ...raw, name };
}

/** The profile's images that the engine lacks; only those of `args` when given (the build args a run uses). */
export async function missingImages(engine: Engine, profile: Profile, args?: Set<string>): Promise<string[]> {
  const missing: string[] = [];
  for (const [arg, ref] of Object.entries(profile.images)) {
    if (args && !args.has(arg)) continue;
    if (!(await engine.inspectImage(ref))) missing.push(ref);
  }
  return missing;
}

/** Build-arg names that FROM lines of these Dockerfiles use: the base images a run needs. Pure. */
export function baseImageArgs(dockerfiles: string[]): Set<string> {
  const args = new Set<string>();
  for (const text of dockerfiles) {
    for (const m of text.matchAll(/^\s*FROM\s+(?:--\S+\s+)*\$\{?(\w+)\}?/gim)) args.add(m[1]);
  }
  return args;
}

export interface ResolvedProfile {
  profile: Profile;
  chosenBy: 'auto' | 'option';
  images: Record<string, { ref: string; id: string; digest: string }>;
}

/**
 * auto: online when every official image is present (setup pulls them where a registry answers), else offline when
 * its stand-ins are present. A named profile must have all its images. Missing images: exit 3, naming them.
 */
export async function resolveProfile(engine: Engine, choice: ProfileChoice, needed?: Set<string>): Promise<ResolvedProfile> {
  const candidates: ProfileName[] = choice === 'auto' ? [...PROFILE_NAMES] : [choice];
  const report: string[] = [];
  for (const name of candidates) {
    const profile = loadProfile(name);
    const missing = await missingImages(engine, profile, needed);
    if (missing.length === 0) {
      const images: ResolvedProfile['images'] = {};
      for (const [arg, ref] of Object.entries(profile.images)) {
        const facts = await engine.inspectImage(ref);
        if (facts) images[arg] = { ref, id: facts.id, digest: facts.repoDigests[0] ?? '' };
      }
      return { profile, chosenBy: choice === 'auto' ? 'auto' : 'option', images };
    }
    report.push(`${name}: missing ${missing.join(', ')}`);
  }
  throw new EnvironmentError(
    `the base images ${choice === 'auto' ? 'of no profile' : `of profile '${choice}'`} that the run needs are not all present (${report.join('; ')}). ` +
      "Run 'npm run setup': it pulls the official images, or builds offline stand-ins where no registry answers.",
  );
}
