// A Dockerfile as stages of instructions, built on instructions.ts's reading: what the tune rules and the candidate,
// the profiles' base images, the npm route and the engine's trace reader work on.
import { readDockerfile, type WrittenInstruction } from './instructions.ts';

export interface ModelInstruction {
  keyword: string;
  /** 1-based first and last line (an instruction may continue over several lines). */
  line: number;
  endLine: number;
  /** Flags without their dashes: --from=builder -> { from: 'builder' }. */
  flags: Record<string, string | null>;
  /** The flags as written, in order (RUN may repeat --mount). */
  flagTexts: string[];
  /** Arguments as the builder sees them: JSON form unpacked, flags left out. */
  args: string[];
  /** Shell-form command text of a RUN (line continuations joined); the joined argv of an exec-form RUN. */
  command: string;
  /** True when the instruction was written in JSON (exec) form. */
  jsonForm: boolean;
}

export interface ModelStage {
  index: number;
  /** The `AS name`, lower-cased as the builder treats it; null when unnamed. */
  name: string | null;
  /** The image reference as written (`${NODE_IMAGE}`). */
  fromRaw: string;
  /** The reference with the ARGs before the first FROM substituted. */
  fromResolved: string;
  /** Index of the earlier stage this one starts from (`FROM builder`), or null for an image. */
  parent: number | null;
  fromLine: number;
  /** Instructions after the FROM, up to the next FROM. */
  instructions: ModelInstruction[];
}

export interface DockerfileModel {
  /** ARG defaults before the first FROM, overridden by the build args given. */
  globalArgs: Record<string, string>;
  stages: ModelStage[];
  /** Index of the stage the build stops at: the target, else the last. -1 for a Dockerfile without FROM. */
  finalIndex: number;
  lines: string[];
}

function parseJsonArray(text: string): string[] | null {
  const t = text.trim();
  if (!t.startsWith('[')) return null;
  try {
    const v: unknown = JSON.parse(t);
    return Array.isArray(v) && v.every((s) => typeof s === 'string') ? (v as string[]) : null;
  } catch {
    return null;
  }
}

/** The body of a RUN heredoc (`RUN <<EOF ... EOF`), which is the script the shell runs. */
function heredocBody(content: string): string | null {
  const m = /^<<-?\s*["']?([A-Za-z_][A-Za-z0-9_]*)["']?[^\n]*\n([\s\S]*?)\n\s*\1\s*$/.exec(content.trim());
  return m ? m[2] : null;
}

function modelInstruction(ins: WrittenInstruction): ModelInstruction {
  const { flags, keyword, content } = ins;
  const json = keyword === 'RUN' || keyword === 'COPY' || keyword === 'ADD' || keyword === 'CMD' || keyword === 'ENTRYPOINT'
    ? parseJsonArray(content)
    : null;
  let command = '';
  if (keyword === 'RUN') {
    if (json) command = json[0] === 'sh' || json[0] === '/bin/sh' || json[0] === 'bash' || json[0] === '/bin/bash'
      ? (json[json.indexOf('-c') + 1] ?? json.join(' '))
      : json.join(' ');
    else command = heredocBody(content) ?? content;
  }
  return {
    keyword,
    line: ins.line,
    endLine: ins.endLine,
    flags: Object.fromEntries(flags.map((f) => [f.name.toLowerCase(), f.value])),
    flagTexts: flags.map((f) => (f.value === null ? `--${f.name}` : `--${f.name}=${f.value}`)),
    args: json ?? ins.args,
    command,
    jsonForm: json !== null,
  };
}

/** Substitutes $VAR, ${VAR}, ${VAR:-default} and ${VAR:+alt} as the builder does in FROM. */
export function substituteArgs(text: string, vars: Record<string, string>): string {
  return text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_m, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
      const name = braced ?? bare ?? '';
      const value = vars[name];
      if (op === '-') return value ? value : (word ?? '');
      if (op === '+') return value ? (word ?? '') : '';
      return value ?? '';
    });
}

function unquote(v: string): string {
  return /^(["']).*\1$/.test(v) ? v.slice(1, -1) : v;
}

export function parseDockerfile(text: string, target?: string, buildArgs: Record<string, string> = {}): DockerfileModel {
  const written = readDockerfile(text);
  const instructions = written.instructions;
  const firstFrom = instructions.findIndex((i) => i.keyword === 'FROM');
  const globalArgs: Record<string, string> = {};
  for (const ins of instructions.slice(0, firstFrom < 0 ? instructions.length : firstFrom)) {
    if (ins.keyword !== 'ARG') continue;
    for (const a of ins.args) {
      const [name, ...rest] = a.split('=');
      globalArgs[name] = name in buildArgs ? buildArgs[name] : unquote(rest.join('='));
    }
  }
  const stages: ModelStage[] = [];
  let current: ModelStage | null = null;
  for (const ins of instructions.slice(firstFrom < 0 ? instructions.length : firstFrom)) {
    if (ins.keyword === 'FROM') {
      const from = written.froms.find((f) => f.line === ins.line);
      const raw = from?.image ?? ins.args[0] ?? '';
      const resolved = substituteArgs(raw, globalArgs);
      const parent = stages.findIndex((s) => s.name !== null && s.name === resolved.toLowerCase());
      current = {
        index: stages.length,
        name: from?.stage?.toLowerCase() ?? null,
        fromRaw: raw,
        fromResolved: resolved,
        parent: parent >= 0 ? parent : null,
        fromLine: ins.line,
        instructions: [],
      };
      stages.push(current);
    } else if (current !== null) {
      current.instructions.push(modelInstruction(ins));
    }
  }
  const finalIndex = target === undefined
    ? stages.length - 1
    : stages.findIndex((s) => s.name === target.toLowerCase());
  return { globalArgs, stages, finalIndex, lines: text.split('\n') };
}

/** Build-arg names that FROM lines use as the whole base image (`FROM ${NODE_IMAGE}`): the base images a build needs. */
export function baseImageArgNames(model: DockerfileModel): string[] {
  return model.stages.flatMap((s) => /^\$\{?(\w+)\}?/.exec(s.fromRaw)?.[1] ?? []);
}

/** The stage and the stages it starts from, root first: what ends up in its image. */
export function stageChain(model: DockerfileModel, index: number): ModelStage[] {
  const chain: ModelStage[] = [];
  let i: number | null = index;
  while (i !== null && i >= 0 && !chain.some((s) => s.index === i)) {
    const stage: ModelStage = model.stages[i];
    chain.unshift(stage);
    i = stage.parent;
  }
  return chain;
}

/** Sources of a COPY or ADD (every argument but the destination). */
export function copySources(ins: ModelInstruction): string[] {
  return ins.args.slice(0, -1);
}

export function copyDestination(ins: ModelInstruction): string {
  return ins.args[ins.args.length - 1] ?? '.';
}

function globRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

/** Does a COPY source (as written, relative to the context) take this context-relative file? */
export function sourceIncludes(source: string, file: string): boolean {
  const s = source.replace(/^\.\//, '').replace(/\/+$/, '');
  if (s === '' || s === '.' || s === '/') return true;
  const parts = file.split('/');
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  if (/[*?[]/.test(s)) return prefixes.some((p) => globRegExp(s).test(p));
  return prefixes.includes(s);
}

const WHOLE_CONTEXT = new Set(['.', './', '*', './*', '/']);

/** A COPY/ADD that takes the whole build context (`COPY . .`), so any changed file invalidates it. */
export function copiesWholeContext(ins: ModelInstruction): boolean {
  if (ins.keyword !== 'COPY' && ins.keyword !== 'ADD') return false;
  if (ins.flags.from !== undefined) return false;
  return copySources(ins).some((s) => WHOLE_CONTEXT.has(s));
}

/** The line span of an instruction as written, for messages: `COPY . .`. */
export function instructionText(model: DockerfileModel, ins: ModelInstruction): string {
  return model.lines.slice(ins.line - 1, ins.endLine).join('\n');
}

/** `$NAME` and `${NAME}` replaced by the values set so far, as the builder expands ENV and ARG values. */
function expand(value: string, env: Record<string, string>): string {
  return value.replace(/\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))/g, (_m, a: string | undefined, b: string | undefined) => env[(a ?? b)!] ?? '');
}

/**
 * ENV and ARG values set in a chain of stages before a line (NODE_ENV=production makes installs skip devDependencies),
 * each expanded with the values before it: `ARG NODE_ENV=production` then `ENV NODE_ENV $NODE_ENV` is production.
 */
export function envBefore(chain: ModelStage[], stage: ModelStage, line: number): Record<string, string> {
  const env: Record<string, string> = {};
  for (const s of chain) {
    for (const ins of s.instructions) {
      if (s === stage && ins.line >= line) break;
      if (ins.keyword !== 'ENV' && ins.keyword !== 'ARG') continue;
      const args = ins.args;
      // Legacy `ENV KEY value` form: one key, the rest is the value.
      if (ins.keyword === 'ENV' && args.length >= 2 && !args[0].includes('=')) {
        env[args[0]] = expand(args.slice(1).join(' '), env);
        continue;
      }
      for (const a of args) {
        const eq = a.indexOf('=');
        if (eq > 0) env[a.slice(0, eq)] = expand(a.slice(eq + 1).replace(/^(["'])(.*)\1$/, '$2'), env);
      }
    }
  }
  return env;
}
