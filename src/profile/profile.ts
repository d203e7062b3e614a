// Base image profiles (bench/profiles/*.json) and which one a run uses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { baseImageArgNames, parseDockerfile } from '../dockerfile/dockerfile-model.ts';
import { EnvironmentError, UsageError } from '../errors.ts';
import type { Engine } from '../engine/engine.ts';
import { PROFILE_NAMES, type Profile, type ProfileName } from '../types.ts';
import { ROOT } from '../version.ts';

export type ProfileChoice = ProfileName | 'auto';

// A profile file: its images are what the run builds on; the name is the file's, whatever the file says.
const PROFILE_FILE = z.looseObject({
  description: z.string().default(''),
  images: z.record(z.string(), z.string().min(1)),
});

export function loadProfile(name: ProfileName, dir = join(ROOT, 'bench/profiles')): Profile {
  const file = join(dir, `${name}.json`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`cannot read profile ${file}: ${(err as Error).message}`);
  }
  const parsed = PROFILE_FILE.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(issue.path[0] === 'images' || issue.path.length === 0
      ? `${file}: 'images' must map build-arg names to image references (non-empty strings)`
      : `${file}: ${issue.path.map(String).join('.')}: ${issue.message}`);
  }
  return { ...parsed.data, name };
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
  return new Set(dockerfiles.flatMap((text) => baseImageArgNames(parseDockerfile(text))));
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
