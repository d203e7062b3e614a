// Which of a scenario's build.secrets the user allows. A scenario folder is untrusted input (docs/trust.md): on its
// own it may hand a build only files inside itself; a host file elsewhere needs the folder named with --secret-dir,
// an environment variable its name given with --secret-env. Pure but for resolving links in paths.
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { UsageError } from '../errors.ts';
import type { Scenario } from '../types.ts';

export interface SecretsAllowed {
  /** Folders (absolute) whose files a build secret may read, besides the scenario folder. */
  dirs: readonly string[];
  /** Environment variables a build secret may read. */
  env: readonly string[];
}

export const SECRET_OPTIONS_HELP = `  --secret-dir DIR         a folder outside the scenario whose files scenario.json's build.secrets may read (repeatable)
  --secret-env NAME        an environment variable scenario.json's build.secrets may read (repeatable)`;

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function inside(base: string, target: string): boolean {
  const rel = relative(base, target);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** What the scenario's build.secrets read that the user did not allow, each with the option that allows it. */
export function secretRefusals(scenario: Scenario, allowed: SecretsAllowed): string[] {
  const out: string[] = [];
  const own = real(scenario.dir);
  const dirs = allowed.dirs.map(real);
  for (const [id, s] of Object.entries(scenario.build?.secrets ?? {})) {
    if (s.file !== undefined) {
      const target = real(isAbsolute(s.file) ? s.file : resolve(scenario.dir, s.file));
      if (!inside(own, target) && !dirs.some((d) => inside(d, target))) {
        out.push(`build.secrets.${id}.file '${s.file}' reads ${target}, outside the scenario folder; a scenario reads host files only from folders you name: run with --secret-dir ${dirname(target)} to allow it`);
      }
    } else if (s.env !== undefined && !allowed.env.includes(s.env)) {
      out.push(`build.secrets.${id}.env reads the environment variable ${s.env}; a scenario reads only those you name: run with --secret-env ${s.env} to allow it`);
    }
  }
  return out;
}

/** A UsageError (exit 2) listing every secret of `scenarios` the user did not allow. */
export function checkSecretsAllowed(scenarios: readonly Scenario[], allowed: SecretsAllowed, command: string): void {
  const lines = scenarios.flatMap((s) => secretRefusals(s, allowed).map((r) => `  ${s.dir}/scenario.json: ${r}`));
  if (lines.length > 0) throw new UsageError(`stagebench ${command}: build secrets not allowed:\n${lines.join('\n')}`);
}

/** The allowed folders and names from parsed --secret-dir and --secret-env values, folders resolved from `cwd`. */
export function secretsAllowed(dirs: unknown, env: unknown, cwd = process.cwd()): SecretsAllowed {
  const list = (v: unknown) => (Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : []).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
  for (const name of list(env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`--secret-env '${name}': an environment variable name (letters, digits and _)`);
  }
  return { dirs: list(dirs).map((d) => resolve(cwd, d)), env: list(env) };
}
