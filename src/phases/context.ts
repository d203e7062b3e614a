// The .dockerignore phases: build-context-ignored and build-context-full. Both rebuild after a source change from a
// developer's folder (the app with a populated node_modules and a .git beside it, as on a laptop); the first with the
// scenario's .dockerignore, the second without it, so node_modules and .git go to the engine as build context.
// The article says the .dockerignore alone "can cut your build time in half": these two phases measure what it saves.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { contextOf, contextSubfolder } from '../scenario/build-context.ts';
import { privateCopy, userRegistryConfig, yarnReleaseVersion } from '../scenario/host-install.ts';
import { corepackHint, detectPackageManager, type PackageManager, type PackageManagerName } from '../scenario/package-manager.ts';
import { Workspace } from '../scenario/workspace.ts';
import { runTool, toolFailure } from '../tools/exec.ts';
import type { PhaseName } from '../types.ts';
import { buildRequest, ensureBuilt, measuredBuild, sourceMarker } from './build.ts';
import { ChangeCauses } from '../why/in-run.ts';
import { failed, Preparation, withCauses, type Measured, type PhaseHandler, type RunContext, type SampleSlot } from './phase.ts';

const IGNORE = '.dockerignore';
const PARKED = '.dockerignore.stagebench-off';

// One developer folder per scenario and run, shared by both phases and every sample: made once (the app's frozen
// install and git init take seconds to minutes), beside the run's own workspace so that the run's cleanup removes it.
const devFolders = new Map<string, Promise<Workspace>>();

/** The frozen install that populates a developer folder's node_modules, with the app's own package manager. */
export function developerInstall(appDir: string, hint = ''): { pm: PackageManager; lockfile: string; args: string[]; manager: PackageManagerName } {
  const view = { has: (rel: string) => existsSync(join(appDir, rel)), read: (rel: string) => readFileSync(join(appDir, rel), 'utf8') };
  const pkg = view.has('package.json') ? (JSON.parse(view.read('package.json')) as Record<string, unknown>) : {};
  const detected = detectPackageManager(view, pkg, hint);
  if (!detected.lockfile) {
    throw new Error(`${appDir} has no lockfile (package-lock.json, yarn.lock or pnpm-lock.yaml): the developer folder's node_modules is made with a frozen install (${detected.manager.frozenInstall}); commit the app's lockfile`);
  }
  return { pm: detected.manager, lockfile: detected.lockfile, args: detected.manager.frozenInstallNoScripts, manager: detected.manager.name };
}

async function makeDevFolder(ctx: RunContext, slot: SampleSlot): Promise<Workspace> {
  const dev = new Workspace(slot.scenario, join(dirname(slot.workspace.dir), 'developer-folders'));
  // The build context (scenario.json's `context` subfolder, else the folder) holds the app, its lockfile and the
  // .dockerignore the engine reads.
  const app = contextOf(slot.scenario, dev.dir, slot.scenario.variants[slot.variant].dockerfile).contextDir;
  if (!existsSync(join(app, IGNORE))) {
    throw new Error(`${join(slot.scenario.dir, contextSubfolder(slot.scenario))} has no ${IGNORE}: there is nothing to compare a build without one with`);
  }
  const dockerfile = readFileSync(join(dev.dir, slot.scenario.variants[slot.variant].dockerfile), 'utf8');
  const install = developerInstall(app, dockerfile);
  // The scenario's own .git (its config can name an fsmonitor program, its hooks run on commit) never takes part.
  for (const d of new Set([dev.dir, app])) rmSync(join(d, '.git'), { recursive: true, force: true });
  // The install runs on a private copy of the manifest and lockfile, the manager's project config neutralised
  // (docs/trust.md); its node_modules then moves into the developer folder.
  const copy = privateCopy(app, ['package.json', install.lockfile], dirname(dev.dir));
  try {
    const version = install.manager === 'yarn-berry' ? yarnReleaseVersion(app, readFileSync(join(app, 'package.json'), 'utf8')) : undefined;
    const cmd = copy.command(install.pm, install.args, await userRegistryConfig(ctx.signal), version);
    ctx.log(`stagebench: ${slot.scenario.name}: making a developer folder (${[cmd.file, ...cmd.args].join(' ')} on a private copy of package.json and ${install.lockfile}, git init) for the .dockerignore phases`);
    const run = await runTool(cmd.file, cmd.args, { cwd: copy.dir, signal: ctx.signal, timeoutMs: ctx.timeoutMs, env: cmd.env });
    if (!run.ok) {
      const corepack = cmd.file === 'corepack'
        ? `\nyarn and pnpm come through corepack (it ships with Node.js)${corepackHint(run.stderr) ? `; ${corepackHint(run.stderr)}` : ''}`
        : '';
      throw new Error(`${toolFailure(`populating node_modules for ${app} (${install.manager})`, run)}${corepack}`);
    }
    rmSync(join(app, 'node_modules'), { recursive: true, force: true });
    if (existsSync(join(copy.dir, 'node_modules'))) renameSync(join(copy.dir, 'node_modules'), join(app, 'node_modules'));
  } finally {
    copy.remove();
  }
  // Hooks and fsmonitor off: git runs nothing on the host, whatever a config it reads says.
  const git = (...args: string[]) => runTool('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false', '-c', 'user.name=stagebench', '-c', 'user.email=stagebench@localhost', ...args], { cwd: dev.dir, signal: ctx.signal });
  for (const args of [['init', '-q'], ['add', '-A'], ['commit', '-qm', 'the app as a developer has it']]) {
    // node_modules stays out of the history, as a .gitignore would keep it, but stays in the folder.
    if (args[0] === 'add') writeFileSync(join(dev.dir, '.git', 'info', 'exclude'), 'node_modules\n');
    const r = await git(...args);
    if (!r.ok) throw new Error(toolFailure(`git ${args[0]} in ${dev.dir}`, r));
  }
  return dev;
}

function devFolder(ctx: RunContext, slot: SampleSlot): Promise<Workspace> {
  const key = slot.workspace.dir;
  let made = devFolders.get(key);
  if (!made) {
    made = makeDevFolder(ctx, slot);
    devFolders.set(key, made);
    // A failed attempt is not cached: the next sample tries again and reports its own reason.
    made.catch(() => devFolders.delete(key));
  }
  return made;
}

/** Puts the .dockerignore in place (ignored) or parks it under another name (full), in the build context `dir`. */
function useIgnoreFile(dir: string, use: boolean): void {
  const [from, to] = use ? [PARKED, IGNORE] : [IGNORE, PARKED];
  if (existsSync(join(dir, from))) renameSync(join(dir, from), join(dir, to));
}

export function contextPhase(ctx: RunContext, slot: SampleSlot, phase: PhaseName): PhaseHandler {
  const withIgnore = phase === 'build-context-ignored';
  const prep = new Preparation(ctx.signal);
  let dev: Workspace | undefined;
  const request = () => buildRequest({ ...ctx, scenario: slot.scenario, variant: slot.variant, contextDir: dev!.dir, signal: ctx.signal });
  const causes = new ChangeCauses(request);
  return {
    prepare: (i) => prep.run(async () => {
      dev = await devFolder(ctx, slot);
      dev.restore();
      useIgnoreFile(contextOf(slot.scenario, dev.dir, '.').contextDir, withIgnore);
      // Built (untimed) from the unchanged developer folder in the same mode, then changed: a warm source rebuild.
      await ensureBuilt(ctx, { ...slot, workspace: dev }, { reuse: false });
      causes.beforeChange();
      dev.applySourceChange(sourceMarker(ctx.runId, i));
      causes.afterChange();
    }),
    measure: async (): Promise<Measured> => {
      if (prep.error || !dev) return failed(prep.error || 'the developer folder was not made');
      return withCauses(await measuredBuild(ctx, request(), () => ''), causes, ctx.log);
    },
    after: async () => {
      if (!dev) return;
      dev.restore();
      useIgnoreFile(contextOf(slot.scenario, dev.dir, '.').contextDir, true);
    },
  };
}
