// Base image profiles (bench/profiles/*.json), the Node major each provides, and which one a run uses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { baseImageArgNames, parseDockerfile } from '../dockerfile/dockerfile-model.ts';
import { EnvironmentError, UsageError } from '../errors.ts';
import type { Engine } from '../engine/engine.ts';
import { DEFAULT_NODE_MAJOR, defaultMajor, imagesFor, profileMajors } from '../scenario/node-major.ts';
import { PROFILE_NAMES, type Profile, type ProfileName, type Scenario } from '../types.ts';
import { ROOT } from '../version.ts';

export type ProfileChoice = ProfileName | 'auto';

const images = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'build-arg names: letters, digits and _'), z.string().min(1, 'an image reference'));

// A profile file. Its name is the file's, whatever the file says; keys this version does not know are kept out.
const profileFileSchema = z.looseObject({
  description: z.string().default(''),
  node: z.number().int().min(1).max(99).default(DEFAULT_NODE_MAJOR),
  images,
  node_majors: z.record(z.string().regex(/^[1-9][0-9]?$/, 'a Node major such as "18"'), images).default({}),
  node_note: z.string().optional(),
});

/** A profile file's content (pure); `file` is for the messages. */
export function parseProfile(name: ProfileName, raw: unknown, file: string): Profile {
  const parsed = profileFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.map(String).join('.');
    if (issue.path.length === 0 || issue.path[0] === 'images') {
      throw new UsageError(`${file}: 'images' must map build-arg names to image references (non-empty strings)${where ? ` (${where}: ${issue.message})` : ''}`);
    }
    if (issue.path[0] === 'node_majors') {
      throw new UsageError(`${file}: ${where}: ${issue.message}; 'node_majors' maps a Node major ("18") to build-arg names and image references, as 'images' does`);
    }
    throw new UsageError(`${file}: ${where}: ${issue.message}`);
  }
  const p = parsed.data;
  if (String(p.node) in p.node_majors) {
    throw new UsageError(`${file}: node_majors.${p.node}: ${p.node} is the default major, whose images are 'images'; remove it from node_majors`);
  }
  return {
    name,
    description: p.description,
    images: p.images,
    node: p.node,
    nodeMajors: p.node_majors,
    ...(p.node_note !== undefined ? { nodeNote: p.node_note } : {}),
  };
}

export function loadProfile(name: ProfileName, dir = join(ROOT, 'bench/profiles')): Profile {
  const file = join(dir, `${name}.json`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`cannot read profile ${file}: ${(err as Error).message}`);
  }
  return parseProfile(name, raw, file);
}

/** The base images a scenario builds on under a profile; the run checked beforehand that the profile has them. */
export function scenarioImages(profile: Profile, scenario: Pick<Scenario, 'node' | 'dir'>): Record<string, string> {
  const found = imagesFor(profile, scenario.node);
  if (!found) {
    throw new EnvironmentError(`${join(scenario.dir, 'scenario.json')}: "node": ${scenario.node}: the ${profile.name} profile has no Node ${scenario.node} images (it provides ${profileMajors(profile).join(', ')}); remove "node" to build on Node ${defaultMajor(profile)}`);
  }
  return found;
}

/** The profile's images that the engine lacks; only those of `args` when given (the build args a run uses). */
export async function missingImages(engine: Engine, profile: Profile, args?: Set<string>, major?: number): Promise<string[]> {
  const missing: string[] = [];
  for (const [arg, ref] of Object.entries(imagesFor(profile, major) ?? {})) {
    if (args && !args.has(arg)) continue;
    if (!(await engine.inspectImage(ref))) missing.push(ref);
  }
  return missing;
}

/** Build-arg names that FROM lines of these Dockerfiles use: the base images a run needs. Pure. */
export function baseImageArgs(dockerfiles: string[]): Set<string> {
  return new Set(dockerfiles.flatMap((text) => baseImageArgNames(parseDockerfile(text))));
}

/** What a run needs of a profile: the base-image args of some Dockerfiles, on the Node major their scenario asks for. */
export interface ImageNeed {
  /** scenario.json's `node`; undefined for the profile's default major. */
  node?: number;
  /** The build args used; every image of the profile when absent. */
  args?: Set<string>;
  /** The scenario.json that asks for `node`, for the messages. */
  scenarioFile?: string;
}

/** One need per scenario: the args its selected variants' Dockerfiles use, and its Node major. */
export function scenarioNeeds(scenarios: Array<{ scenario: Scenario; dockerfiles: string[] }>): ImageNeed[] {
  return scenarios.map(({ scenario, dockerfiles }) => ({
    ...(scenario.node !== undefined ? { node: scenario.node } : {}),
    args: baseImageArgs(dockerfiles),
    scenarioFile: join(scenario.dir, 'scenario.json'),
  }));
}

/** Whether a profile can serve a need: no images for the major, images not present, or none lacking. */
export type Shortfall = { kind: 'no-major' } | { kind: 'missing'; refs: string[] } | { kind: 'none' };

async function shortfall(engine: Engine, profile: Profile, need: ImageNeed): Promise<Shortfall> {
  if (!imagesFor(profile, need.node)) return { kind: 'no-major' };
  const refs = await missingImages(engine, profile, need.args, need.node);
  return refs.length ? { kind: 'missing', refs } : { kind: 'none' };
}

/**
 * The plain message for a Node major no usable profile can provide on this machine (pure): which scenario.json asks
 * for it, why each profile cannot serve it, and what to do. `tried` holds each profile tried with its shortfall.
 */
export function nodeMajorMessage(need: ImageNeed & { node: number }, tried: Array<{ profile: Profile; shortfall: Shortfall }>): string {
  const why = tried.map(({ profile, shortfall: s }) => {
    if (s.kind === 'no-major') return `the ${profile.name} profile provides Node ${profileMajors(profile).join(', ')} only${profile.nodeNote ? ` (${profile.nodeNote})` : ''}`;
    if (s.kind === 'missing') return `the ${profile.name} profile's Node ${need.node} images are not present (missing ${s.refs.join(', ')})`;
    return `the ${profile.name} profile has them`;
  });
  const pullable = tried.find((t) => t.shortfall.kind === 'missing');
  const todo = [
    `remove "node" from ${need.scenarioFile ?? 'scenario.json'} to build on Node ${defaultMajor(tried[0].profile)}`,
    ...(pullable && pullable.shortfall.kind === 'missing'
      ? [`on a machine that reaches an image registry, pull ${pullable.shortfall.refs.join(' ')} (docker pull) and run with --profile ${pullable.profile.name}`]
      : []),
  ];
  return `${need.scenarioFile ?? 'scenario.json'}: "node": ${need.node} asks for Node.js ${need.node} base images, which this machine cannot provide: ${why.join('; ')}. What to do: ${todo.join('; or ')}.`;
}

export interface ResolvedProfile {
  profile: Profile;
  chosenBy: 'auto' | 'option';
  /** The default major's images, as the engine has them. */
  images: Record<string, { ref: string; id: string; digest: string }>;
  /** Images of the other Node majors the run's scenarios ask for, by major (none when absent). */
  nodeImages?: Record<string, Record<string, { ref: string; id: string; digest: string }>>;
}

async function imageFacts(engine: Engine, refs: Record<string, string>): Promise<Record<string, { ref: string; id: string; digest: string }>> {
  const out: Record<string, { ref: string; id: string; digest: string }> = {};
  for (const [arg, ref] of Object.entries(refs)) {
    const facts = await engine.inspectImage(ref);
    if (facts) out[arg] = { ref, id: facts.id, digest: facts.repoDigests[0] ?? '' };
  }
  return out;
}

/**
 * auto: online when every official image the run needs is present (setup pulls them where a registry answers), else
 * offline when its stand-ins are. A named profile must have them all. A scenario's `node` major needs that major's
 * images: a major no profile defines is bad input (exit 2); one the machine cannot provide, or missing images, exit 3,
 * naming them and what to do.
 */
export async function resolveProfile(engine: Engine, choice: ProfileChoice, needed?: Set<string> | ImageNeed[]): Promise<ResolvedProfile> {
  const needs: ImageNeed[] = needed === undefined ? [{}] : needed instanceof Set ? [{ args: needed }] : needed;
  const all = PROFILE_NAMES.map((name) => loadProfile(name));
  for (const need of needs) {
    if (need.node !== undefined && !all.some((p) => imagesFor(p, need.node))) {
      throw new UsageError(`${need.scenarioFile ?? 'scenario.json'}: "node": ${need.node}: no profile defines Node ${need.node} images (${all.map((p) => `${p.name}: ${profileMajors(p).join(', ')}`).join('; ')}); choose one of those majors, or add a "${need.node}" entry to node_majors in bench/profiles/online.json`);
    }
  }
  const candidates = all.filter((p) => choice === 'auto' || p.name === choice);
  const report: string[] = [];
  const tried = new Map<ImageNeed, Array<{ profile: Profile; shortfall: Shortfall }>>();
  for (const profile of candidates) {
    const falls = await Promise.all(needs.map(async (need) => ({ need, s: await shortfall(engine, profile, need) })));
    for (const { need, s } of falls) tried.set(need, [...(tried.get(need) ?? []), { profile, shortfall: s }]);
    if (falls.every(({ s }) => s.kind === 'none')) {
      const nodeImages: ResolvedProfile['nodeImages'] = {};
      for (const major of new Set(needs.map((n) => n.node).filter((n): n is number => n !== undefined && n !== defaultMajor(profile)))) {
        nodeImages[String(major)] = await imageFacts(engine, imagesFor(profile, major)!);
      }
      return { profile, chosenBy: choice === 'auto' ? 'auto' : 'option', images: await imageFacts(engine, profile.images), nodeImages };
    }
    const refs = [...new Set(falls.flatMap(({ s }) => (s.kind === 'missing' ? s.refs : [])))];
    const majors = [...new Set(falls.flatMap(({ need, s }) => (s.kind === 'no-major' ? [need.node] : [])))];
    report.push(`${profile.name}: ${[...(refs.length ? [`missing ${refs.join(', ')}`] : []), ...(majors.length ? [`no Node ${majors.join(', ')} images`] : [])].join('; ')}`);
  }
  // A Node major the scenario chose is the plainer cause when it is what every profile lacked.
  const unserved = needs.find((n) => n.node !== undefined && (tried.get(n) ?? []).every((t) => t.shortfall.kind !== 'none'));
  if (unserved && unserved.node !== undefined && unserved.node !== defaultMajor(candidates[0])) {
    throw new EnvironmentError(nodeMajorMessage({ ...unserved, node: unserved.node }, tried.get(unserved) ?? []));
  }
  throw new EnvironmentError(
    `the base images ${choice === 'auto' ? 'of no profile' : `of profile '${choice}'`} that the run needs are not all present (${report.join('; ')}). ` +
      "Run 'npm run setup': it pulls the official images, or builds offline stand-ins where no registry answers.",
  );
}
