// Dependency installs that download every package again when a dependency changes: a RUN that installs with npm,
// yarn or pnpm without a BuildKit cache mount on the package manager's cache folder, and the candidate Dockerfile
// that adds the mount. Pure: Dockerfile text in, the installs without a mount and the edited text out.
import { envBefore, parseDockerfile, stageChain, type DockerfileModel, type ModelInstruction, type ModelStage } from '../dockerfile/dockerfile-model.ts';
import { dependencyInstall, simpleCommands, type DependencyInstall } from './shell-commands.ts';
import type { Candidate, CandidateEdit, TuneInput } from './types.ts';

export interface MissingCacheMount {
  stage: ModelStage;
  ins: ModelInstruction;
  tool: DependencyInstall['tool'];
  /** The folder the package manager keeps its downloads in, for the user and environment the RUN has. */
  cacheDir: string;
  /** The user the RUN runs as: the last USER before it, root without one. */
  user: string;
  /** Targets of the cache mounts the RUN has on other folders. */
  otherTargets: string[];
  /** The --mount flag that adds the cache; null when the user's uid is not known (a named user other than node). */
  mountFlag: string | null;
}

/** Folder of a mount target, without a trailing slash. */
function folder(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** Targets of the RUN's `--mount=type=cache,...` flags (target=, dst= or destination=). */
export function cacheMountTargets(ins: ModelInstruction): string[] {
  const out: string[] = [];
  for (const flag of ins.flagTexts) {
    if (!flag.startsWith('--mount=')) continue;
    const fields = new Map(flag.slice('--mount='.length).split(',').map((kv) => {
      const eq = kv.indexOf('=');
      return eq < 0 ? [kv, ''] : [kv.slice(0, eq), kv.slice(eq + 1)];
    }));
    const target = fields.get('target') ?? fields.get('dst') ?? fields.get('destination');
    if (fields.get('type') === 'cache' && target) out.push(folder(target));
  }
  return out;
}

/** The user part of the last USER before the line; root without one. */
function userBefore(chain: ModelStage[], stage: ModelStage, line: number): string {
  let user = 'root';
  for (const s of chain) {
    for (const ins of s.instructions) {
      if (s === stage && ins.line >= line) return user;
      if (ins.keyword === 'USER' && ins.args[0]) user = ins.args[0].split(':')[0];
    }
  }
  return user;
}

const isRoot = (user: string) => user === 'root' || user === '0';

/** Where npm, yarn 1 and pnpm keep downloaded packages by default, and the settings that move it. */
export function packageCacheDir(tool: DependencyInstall['tool'], user: string, env: Record<string, string>): string {
  const home = env.HOME ?? (isRoot(user) ? '/root' : `/home/${user}`);
  if (tool === 'npm') return folder(env.npm_config_cache ?? env.NPM_CONFIG_CACHE ?? `${home}/.npm`);
  if (tool === 'yarn') {
    // yarn 1 keeps root's cache outside /root.
    return folder(env.YARN_CACHE_FOLDER ?? (isRoot(user) ? '/usr/local/share/.cache/yarn' : `${env.XDG_CACHE_HOME ?? `${home}/.cache`}/yarn`));
  }
  return folder(env.npm_config_store_dir ?? (env.PNPM_HOME ? `${env.PNPM_HOME}/store` : `${env.XDG_DATA_HOME ?? `${home}/.local/share`}/pnpm/store`));
}

/** The uid= a cache mount needs so that a non-root user can write it (BuildKit makes it root's otherwise). */
function ownerFields(user: string): string | null {
  if (isRoot(user)) return '';
  if (/^\d+$/.test(user)) return `,uid=${user}`;
  // The official node images' user.
  if (user === 'node') return ',uid=1000,gid=1000';
  return null;
}

/** Every dependency install of the built stages whose RUN has no cache mount on the package manager's cache. */
export function missingCacheMounts(model: DockerfileModel): MissingCacheMount[] {
  const out: MissingCacheMount[] = [];
  for (const stage of model.stages.slice(0, model.finalIndex + 1)) {
    const chain = stageChain(model, stage.index);
    for (const ins of stage.instructions) {
      if (ins.keyword !== 'RUN') continue;
      const targets = cacheMountTargets(ins);
      const seen = new Set<string>();
      for (const cmd of simpleCommands(ins.command)) {
        const d = dependencyInstall(cmd);
        if (d === null || d.global) continue;
        const user = userBefore(chain, stage, ins.line);
        const cacheDir = packageCacheDir(d.tool, user, { ...envBefore(chain, stage, ins.line), ...cmd.env });
        if (targets.includes(cacheDir) || seen.has(cacheDir)) continue;
        seen.add(cacheDir);
        const owner = ownerFields(user);
        out.push({
          stage, ins, tool: d.tool, cacheDir, user, otherTargets: targets,
          mountFlag: owner === null ? null : `--mount=type=cache,target=${cacheDir}${owner}`,
        });
      }
    }
  }
  return out;
}

/** The Dockerfile with a cache mount added to each install that lacks one (where the user's uid is known). */
export function cacheMountCandidate(input: TuneInput): Candidate {
  const model = parseDockerfile(input.dockerfile, input.target, input.buildArgs);
  const byLine = new Map<number, MissingCacheMount[]>();
  for (const m of missingCacheMounts(model)) {
    if (m.mountFlag !== null) byLine.set(m.ins.line, [...(byLine.get(m.ins.line) ?? []), m]);
  }
  const lines = [...model.lines];
  const edits: CandidateEdit[] = [];
  for (const [line, mounts] of byLine) {
    const flags = mounts.map((m) => m.mountFlag).join(' ');
    const edited = lines[line - 1].replace(/^(\s*RUN)(\s+)/i, `$1 ${flags}$2`);
    // A RUN keyword alone on its line (`RUN \`) is left as written.
    if (edited === lines[line - 1]) continue;
    lines[line - 1] = edited;
    for (const m of mounts) {
      edits.push({
        kind: 'cache-mount',
        line,
        description: `line ${line}: ${m.mountFlag} added: ${m.tool}'s downloads (${m.cacheDir}) stay in the engine's build cache, so a dependency change downloads only what is new`,
      });
    }
  }
  return { text: lines.join('\n'), edits: edits.sort((a, b) => a.line - b.line) };
}
