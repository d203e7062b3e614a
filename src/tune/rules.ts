// The tune rules: what in a Dockerfile and its .dockerignore costs build time, image size or safety, each with the
// line to change. Pure: a function of the Dockerfile text, the .dockerignore text and the context's top-level names.
import {
  copiesWholeContext,
  envBefore,
  instructionText,
  parseDockerfile,
  stageChain,
  type DockerfileModel,
  type ModelInstruction,
  type ModelStage,
} from '../dockerfile/dockerfile-model.ts';
import { dockerignoreLeaks } from '../dockerfile/dockerignore.ts';
import { missingCacheMounts } from './cache-mount.ts';
import {
  compilerInstall,
  dependencyInstall,
  isBuildStep,
  isDevPrune,
  isManifestInstall,
  isPackageRemoval,
  simpleCommands,
  type DependencyInstall,
} from './shell-commands.ts';
import { UsageError } from '../errors.ts';
import type { TuneFinding, TuneInput, TuneRule, TuneSeverity } from './types.ts';

export const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json'] as const;

interface Ctx {
  input: TuneInput;
  model: DockerfileModel;
  out: TuneFinding[];
}

function add(ctx: Ctx, rule: TuneRule, severity: TuneSeverity, line: number | null, message: string, fix: string, file?: string): void {
  ctx.out.push({ rule, file: file ?? ctx.input.dockerfilePath, line, severity, message, fix });
}

function quoted(ctx: Ctx, ins: ModelInstruction): string {
  const text = instructionText(ctx.model, ins).replace(/\s*\\\r?\n\s*/g, ' ');
  return `\`${text.length > 70 ? `${text.slice(0, 67)}...` : text}\``;
}

function stageLabel(ctx: Ctx, stage: ModelStage): string {
  if (ctx.model.stages.length === 1) return 'the only stage';
  return stage.name ? `stage '${stage.name}'` : `unnamed stage ${stage.index + 1}`;
}

/** Every dependency install of a RUN, with the other commands of the same RUN. */
function installsOf(ins: ModelInstruction): DependencyInstall[] {
  if (ins.keyword !== 'RUN') return [];
  return simpleCommands(ins.command).map(dependencyInstall).filter((d): d is DependencyInstall => d !== null);
}

/** Stages the image is built from: every stage up to the target (later ones are not built). */
function builtStages(model: DockerfileModel): ModelStage[] {
  return model.stages.slice(0, model.finalIndex + 1);
}

function depsAfterContextCopy(ctx: Ctx): void {
  for (const stage of builtStages(ctx.model)) {
    const chain = stageChain(ctx.model, stage.index);
    const inherited = chain.slice(0, -1).flatMap((s) => s.instructions);
    for (const ins of stage.instructions) {
      if (!installsOf(ins).some(isManifestInstall)) continue;
      const before = [...inherited, ...stage.instructions.filter((i) => i.line < ins.line)];
      const copy = before.find(copiesWholeContext);
      if (!copy) continue;
      add(ctx, 'deps-after-context-copy', 'error', ins.line,
        `${quoted(ctx, ins)} (line ${ins.line}) installs dependencies after ${quoted(ctx, copy)} (line ${copy.line}) copied the whole context in ${stageLabel(ctx, stage)}: every source change invalidates that COPY and reruns the install`,
        `copy only the manifests before the install (COPY package.json package-lock.json ./), then install, then ${quoted(ctx, copy)}; \`stagebench tune\` writes this reorder as Dockerfile.candidate`);
    }
  }
}

function npmInstallWithLockfile(ctx: Ctx): void {
  const lockfile = LOCKFILES.find((f) => ctx.input.contextEntries.includes(f));
  if (!lockfile) return;
  for (const stage of builtStages(ctx.model)) {
    for (const ins of stage.instructions) {
      if (!installsOf(ins).some((d) => d.tool === 'npm' && d.kind === 'install' && isManifestInstall(d))) continue;
      add(ctx, 'npm-install-with-lockfile', 'warning', ins.line,
        `${quoted(ctx, ins)} uses npm install although the context has ${lockfile}: npm install may resolve other versions than the lockfile and rewrite it, so two builds of one commit can differ`,
        `use npm ci (exact lockfile versions, fails when package.json and ${lockfile} disagree), with ${lockfile} copied beside package.json`);
    }
  }
}

/**
 * yarn's and pnpm's counterpart of npm-install-with-lockfile: an install that may rewrite yarn.lock or
 * pnpm-lock.yaml instead of refusing when it disagrees with package.json.
 */
function installNotFrozen(ctx: Ctx): void {
  const entries = ctx.input.contextEntries;
  for (const stage of builtStages(ctx.model)) {
    for (const ins of stage.instructions) {
      for (const d of installsOf(ins)) {
        if (d.tool === 'npm' || d.kind !== 'install' || !isManifestInstall(d)) continue;
        const lockfile = d.tool === 'pnpm' ? 'pnpm-lock.yaml' : 'yarn.lock';
        if (!entries.includes(lockfile)) continue;
        // Which yarn: a berry lockfile is not in the entries' names, so both flags are named for yarn.
        const frozen = d.tool === 'pnpm' ? 'pnpm install --frozen-lockfile' : 'yarn install --frozen-lockfile (yarn 1) or yarn install --immutable (yarn 2+)';
        add(ctx, 'install-not-frozen', 'warning', ins.line,
          `${quoted(ctx, ins)} installs without freezing ${lockfile}: the install may resolve other versions than the lockfile and rewrite it, so two builds of one commit can differ`,
          `use ${frozen}, with ${lockfile} copied beside package.json`);
      }
    }
  }
}

/** A global tool installed at whatever version is newest today: `npm i npm@latest -g` broke a build when npm 12 needed Node 22. */
function unpinnedGlobalInstall(ctx: Ctx): void {
  for (const stage of builtStages(ctx.model)) {
    for (const ins of stage.instructions) {
      for (const d of installsOf(ins)) {
        if (!d.global) continue;
        const loose = d.packages.filter((p) => {
          const at = p.lastIndexOf('@');
          const version = at > 0 ? p.slice(at + 1) : '';
          return version === '' || !/^\d+\.\d+\.\d+/.test(version);
        });
        if (loose.length === 0) continue;
        add(ctx, 'unpinned-global-install', 'warning', ins.line,
          `${quoted(ctx, ins)} installs ${loose.join(', ')} globally without an exact version: the next release reaches the next build unasked (npm@latest once moved builds to an npm that needs a newer Node)`,
          `pin each: ${loose.map((p) => `${p.lastIndexOf('@') > 0 ? p.slice(0, p.lastIndexOf('@')) : p}@X.Y.Z`).join(' ')}; for yarn and pnpm prefer corepack (RUN corepack enable, "packageManager" in package.json)`);
      }
    }
  }
}

function dockerignoreRules(ctx: Ctx): void {
  const { dockerignore, contextEntries } = ctx.input;
  if (dockerignore === null) {
    const present = ['node_modules', '.git', '.env', 'dist'].filter((e) => contextEntries.includes(e));
    add(ctx, 'dockerignore-missing', 'error', null,
      `the context has no .dockerignore: everything in the folder${present.length > 0 ? ` (including ${present.join(', ')})` : ''} is sent to the engine on every build, and any change to it invalidates a whole-context COPY`,
      'add a .dockerignore with at least: node_modules, .git, .env, *.log, dist', '.dockerignore');
    return;
  }
  for (const leak of dockerignoreLeaks(dockerignore, contextEntries, ctx.input.dockerfile)) {
    const present = contextEntries.includes(leak.entry) ? ` (the context has ${leak.entry} now)` : '';
    const how = leak.reincludedAt
      ? `line ${leak.reincludedAt.line} \`${leak.reincludedAt.pattern}\` lets ${leak.entry} back in`
      : `no pattern excludes ${leak.entry}`;
    add(ctx, 'dockerignore-leaks', contextEntries.includes(leak.entry) ? 'warning' : 'info', leak.reincludedAt?.line ?? null,
      `.dockerignore: ${how}: ${leak.why}${present}`,
      leak.reincludedAt ? `remove or narrow line ${leak.reincludedAt.line}` : `add a line \`${leak.entry}\` to .dockerignore`, '.dockerignore');
  }
}

function unnamedStage(ctx: Ctx): void {
  if (ctx.model.stages.length < 2) return;
  for (const stage of ctx.model.stages) {
    if (stage.name !== null) continue;
    add(ctx, 'unnamed-stage', 'info', stage.fromLine,
      `stage ${stage.index + 1} (FROM ${stage.fromRaw}) has no name: COPY --from and --target must use its index, which shifts when a stage is added`,
      `name it: FROM ${stage.fromRaw} AS ${stage.index === ctx.model.finalIndex ? 'runner' : 'builder'}`);
  }
}

/** A full node image (node:20, node:lts, node:20-bookworm) carries gcc, make and python3; -slim and -alpine do not. */
export function isFullNodeImage(ref: string): boolean {
  const noDigest = ref.split('@')[0];
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  const repo = colon > slash ? noDigest.slice(0, colon) : noDigest;
  const tag = colon > slash ? noDigest.slice(colon + 1) : 'latest';
  if (repo.split('/').pop() !== 'node') return false;
  return !/slim|alpine|distroless/.test(tag);
}

function toolchainInFinalStage(ctx: Ctx): void {
  const { model } = ctx;
  if (model.finalIndex < 0) return;
  const chain = stageChain(model, model.finalIndex);
  const root = chain[0];
  const final = model.stages[model.finalIndex];
  if (isFullNodeImage(root.fromResolved)) {
    add(ctx, 'toolchain-in-final-stage', 'warning', root.fromLine,
      `the final image starts FROM ${root.fromRaw}${root.fromRaw !== root.fromResolved ? ` (${root.fromResolved})` : ''}, a full image that ships gcc, make and python3 to production`,
      'build in a full image if you must, but start the final stage FROM a -slim, -alpine or distroless image and COPY --from the build stage');
  }
  const builds: ModelInstruction[] = [];
  let devInstallFound = false;
  for (const stage of chain) {
    for (const ins of stage.instructions) {
      if (ins.keyword !== 'RUN') continue;
      const cmds = simpleCommands(ins.command);
      if (cmds.some(isBuildStep)) builds.push(ins);
      const env = envBefore(chain, stage, ins.line);
      const devInstall = cmds.map(dependencyInstall).find((d) => isManifestInstall(d) && !d.omitsDev);
      if (devInstall && env.NODE_ENV !== 'production' && !cmds.some(isDevPrune)) {
        const laterPrune = chain.flatMap((s) => s.instructions)
          .find((i) => i.keyword === 'RUN' && i.line > ins.line && simpleCommands(i.command).some(isDevPrune));
        const inherited = stage !== final ? ` (inherited from ${stageLabel(ctx, stage)})` : '';
        devInstallFound = true;
        add(ctx, 'toolchain-in-final-stage', 'warning', ins.line,
          `${quoted(ctx, ins)}${inherited} installs devDependencies (compilers, test tools) into the final image${laterPrune ? `; the prune on line ${laterPrune.line} runs in a later layer, so this layer still ships them` : ''}`,
          'in the final stage install with npm ci --omit=dev (or set ENV NODE_ENV=production first), and build in a separate stage');
      }
      const compilers = compilerInstall(cmds.find((c) => compilerInstall(c).length > 0) ?? { words: [], env: {}, text: '' });
      if (compilers.length > 0 && !cmds.some(isPackageRemoval)) {
        add(ctx, 'toolchain-in-final-stage', 'warning', ins.line,
          `${quoted(ctx, ins)} installs ${compilers.join(', ')} into the final image`,
          'install compilers in a build stage and COPY --from it only what they built (node_modules with native addons)');
      }
    }
  }
  if (!devInstallFound) {
    // A build whose RUN prunes devDependencies afterwards leaves no compiler in its layer.
    for (const ins of builds.filter((b) => !simpleCommands(b.command).some(isDevPrune))) {
      add(ctx, 'toolchain-in-final-stage', 'warning', ins.line,
        `${quoted(ctx, ins)} builds in the final stage, so the compiler it needs ships in the image`,
        'run the build in a builder stage and COPY --from=builder only its output');
    }
  }
}

/** The user part of a USER value (`node:node` -> node); root and 0 are root. */
function isRootUser(value: string): boolean {
  const user = value.split(':')[0];
  return user === 'root' || user === '0' || user === '';
}

function noUser(ctx: Ctx): void {
  const { model } = ctx;
  if (model.finalIndex < 0) return;
  const chain = stageChain(model, model.finalIndex);
  const root = chain[0];
  const final = model.stages[model.finalIndex];
  const users = chain.flatMap((s) => s.instructions).filter((i) => i.keyword === 'USER');
  const last = users[users.length - 1];
  if (last && !isRootUser(last.args[0] ?? '')) return;
  if (!last && /distroless/.test(root.fromResolved) && /(^|[:-])nonroot$/.test(root.fromResolved.split(':').pop() ?? '')) return;
  add(ctx, 'no-user', 'warning', last ? last.line : final.fromLine,
    last
      ? `the final stage switches to root (${quoted(ctx, last)}): the app runs as root`
      : `the final stage (FROM ${final.fromRaw}) has no USER: the app runs as root, so a compromised process owns the container`,
    /distroless/.test(root.fromResolved)
      ? 'add USER nonroot (distroless images define it), or use the :nonroot tag'
      : 'add USER node (official node images define it) after the last RUN that needs root');
}

function contextCopyInRunner(ctx: Ctx): void {
  const { model } = ctx;
  if (model.stages.length < 2 || model.finalIndex < 0) return;
  const final = model.stages[model.finalIndex];
  const chain = stageChain(model, model.finalIndex);
  for (const stage of chain) {
    for (const ins of stage.instructions) {
      if (!copiesWholeContext(ins)) continue;
      const inherited = stage !== final ? ` (the final stage starts FROM ${stageLabel(ctx, stage)})` : '';
      add(ctx, 'context-copy-in-runner', 'warning', ins.line,
        `${quoted(ctx, ins)} copies the whole context into the final stage${inherited}: sources, tests and config ship in the image, and any file change rebuilds it`,
        'COPY --from=builder only the build output (dist) and production node_modules into the final stage');
    }
  }
}

/** An install that downloads every package again when a dependency changes, for want of a cache mount. */
function installWithoutCacheMount(ctx: Ctx): void {
  for (const m of missingCacheMounts(ctx.model)) {
    const other = m.otherTargets.length > 0 ? `; its cache mount targets ${m.otherTargets.join(', ')}, not that folder` : '';
    const flag = m.mountFlag ?? `--mount=type=cache,target=${m.cacheDir},uid=UID (the uid of user ${m.user}: BuildKit makes the mount root's)`;
    add(ctx, 'install-without-cache-mount', 'warning', m.ins.line,
      `${quoted(ctx, m.ins)} installs with ${m.tool} without a BuildKit cache mount on ${m.tool}'s cache (${m.cacheDir})${other}: when a dependency changes, the step reruns and downloads every package again, not only the new one`,
      `RUN ${flag} ...: the downloads stay in the engine's build cache between builds. It does not help a fresh CI runner, whose build cache starts empty; \`stagebench tune\` measures both`);
  }
}

export function tuneFindings(input: TuneInput): TuneFinding[] {
  const model = parseDockerfile(input.dockerfile, input.target, input.buildArgs);
  if (input.target !== undefined && model.finalIndex < 0) {
    throw new UsageError(`${input.dockerfilePath} has no stage named '${input.target}' (the variant's target); name a stage with FROM ... AS ${input.target} or fix the target in scenario.json`);
  }
  const ctx: Ctx = { input, model, out: [] };
  if (model.stages.length === 0) return [];
  depsAfterContextCopy(ctx);
  npmInstallWithLockfile(ctx);
  installNotFrozen(ctx);
  unpinnedGlobalInstall(ctx);
  dockerignoreRules(ctx);
  unnamedStage(ctx);
  toolchainInFinalStage(ctx);
  noUser(ctx);
  contextCopyInRunner(ctx);
  installWithoutCacheMount(ctx);
  return ctx.out.sort((a, b) => (a.file === b.file ? (a.line ?? 0) - (b.line ?? 0) : a.file === input.dockerfilePath ? -1 : 1));
}
