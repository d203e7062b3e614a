// Whether a yarn.lock (classic or berry) or a pnpm-lock.yaml is in sync with package.json, as the frozen installs
// (`yarn install --frozen-lockfile` / `--immutable`, `pnpm install --frozen-lockfile`) judge it: every dependency
// package.json declares must be locked under the same range. Pure; returns what is out of sync, one line each.
import { parse as parseYaml } from 'yaml';

const KINDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

type Json = Record<string, unknown>;

function objectAt(v: unknown): Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}

function declared(pkg: Json): Array<{ kind: string; name: string; spec: string }> {
  return KINDS.flatMap((kind) => Object.entries(objectAt(pkg[kind])).map(([name, spec]) => ({ kind, name, spec: String(spec) })));
}

/** The descriptors (`name@range`) a yarn lockfile locks, classic or berry. */
export function yarnDescriptors(lock: string): Set<string> {
  const keys = new Set<string>();
  for (const line of lock.split('\n')) {
    if (line === '' || line.startsWith(' ') || line.startsWith('#') || !line.endsWith(':')) continue;
    for (const part of line.slice(0, -1).split(',')) {
      const key = part.trim().replace(/^"|"$/g, '');
      if (key && key !== '__metadata') keys.add(key);
    }
  }
  return keys;
}

/** package.json dependencies a yarn lockfile does not lock at their declared range. */
export function yarnLockProblems(pkg: Json, lock: string, berry: boolean): string[] {
  const keys = yarnDescriptors(lock);
  const fix = 'run yarn install and keep the new yarn.lock';
  const refusal = berry ? 'yarn install --immutable would refuse' : 'yarn install --frozen-lockfile would refuse';
  const problems: string[] = [];
  for (const { kind, name, spec } of declared(pkg)) {
    // Berry records a plain range with its protocol (name@npm:^1.0.0); both forms are accepted for either flavour.
    const forms = [`${name}@${spec}`, `${name}@npm:${spec}`];
    if (!forms.some((f) => keys.has(f))) problems.push(`package.json has ${kind} ${name}@${spec}, yarn.lock does not lock that range: ${refusal} (out of sync); ${fix}`);
  }
  return problems;
}

/** The specifiers of the root project in a pnpm lockfile, any format from 5 to 9. */
function pnpmSpecifiers(lock: Json): Map<string, string> | string {
  const out = new Map<string, string>();
  const version = String(lock.lockfileVersion ?? '');
  const root = objectAt(objectAt(lock.importers)['.']);
  const holder = Object.keys(root).length > 0 ? root : lock;
  if (Number.parseFloat(version) < 6) {
    // Format 5: a flat map of specifiers beside the resolved versions.
    for (const [name, spec] of Object.entries(objectAt(holder.specifiers))) out.set(name, String(spec));
    return out;
  }
  for (const kind of KINDS) {
    for (const [name, entry] of Object.entries(objectAt(holder[kind]))) {
      const spec = objectAt(entry).specifier;
      if (typeof spec !== 'string') return `dependency ${name} has no specifier: lockfileVersion ${version} is not one stagebench reads`;
      out.set(name, spec);
    }
  }
  return out;
}

/** package.json dependencies a pnpm lockfile does not record with the same specifier, and entries it has extra. */
export function pnpmLockProblems(pkg: Json, lockText: string): string[] {
  let lock: Json;
  try {
    lock = objectAt(parseYaml(lockText));
  } catch (err) {
    return [`not valid YAML: ${(err as Error).message.split('\n')[0]}`];
  }
  const fix = 'run pnpm install and keep the new pnpm-lock.yaml';
  const specs = pnpmSpecifiers(lock);
  if (typeof specs === 'string') return [`${specs}; ${fix}`];
  const problems: string[] = [];
  const wanted = declared(pkg);
  for (const { kind, name, spec } of wanted) {
    const locked = specs.get(name);
    if (locked === undefined) problems.push(`package.json has ${kind} ${name}@${spec}, pnpm-lock.yaml does not: pnpm install --frozen-lockfile would refuse (ERR_PNPM_OUTDATED_LOCKFILE); ${fix}`);
    else if (locked !== spec) problems.push(`package.json has ${kind} ${name}@${spec}, pnpm-lock.yaml ${name}@${locked}: out of sync, pnpm install --frozen-lockfile would refuse; ${fix}`);
  }
  const names = new Set(wanted.map((w) => w.name));
  for (const [name, spec] of specs) {
    if (!names.has(name)) problems.push(`pnpm-lock.yaml has ${name}@${spec}, package.json does not: out of sync, pnpm install --frozen-lockfile would refuse; ${fix}`);
  }
  return problems;
}
