// The Node major a scenario builds on (scenario.json `node`) and the images a profile has for each major. Pure; the
// profile files are read by profile/profile.ts, and scenarios check judges a scenario's `node` with these.
import type { Profile } from '../types.ts';

/** The Node major of a profile file that names none (the files before majors could be chosen were all Node 20). */
export const DEFAULT_NODE_MAJOR = 20;

/** The Node major of a profile's `images`. */
export function defaultMajor(profile: Profile): number {
  return profile.node ?? DEFAULT_NODE_MAJOR;
}

/** Every Node major a profile provides, ascending. */
export function profileMajors(profile: Profile): number[] {
  return [defaultMajor(profile), ...Object.keys(profile.nodeMajors ?? {}).map(Number)].sort((a, b) => a - b);
}

/** The profile's images for a Node major (its default when none is asked for), or undefined when it has none. */
export function imagesFor(profile: Profile, major?: number): Record<string, string> | undefined {
  if (major === undefined || major === defaultMajor(profile)) return profile.images;
  return profile.nodeMajors?.[String(major)];
}

