// The .dockerignore phases: build-context-ignored and build-context-full. Both rebuild after a source change from a
// developer's folder (the app with a populated node_modules and a .git beside it, as on a laptop); the first with the
// scenario's .dockerignore, the second without it, so node_modules and .git go to the engine as build context.
// The article says the .dockerignore alone "can cut your build time in half": these two phases measure what it saves.
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Workspace } from '../scenario/workspace.ts';
import { runTool, toolFailure } from '../tools/exec.ts';
import type { PhaseName } from '../types.ts';
import { buildRequest, ensureBuilt, measuredBuild, sourceMarker } from './build.ts';
import { failed, Preparation, type Measured, type PhaseHandler, type RunContext, type SampleSlot } from './phase.ts';

const IGNORE = '.dockerignore';
const PARKED = '.dockerignore.stagebench-off';

// One developer folder per scenario and run, shared by both phases and every sample: made once (npm ci and git
// init take seconds to minutes), beside the run's own workspace so that the run's cleanup removes it.
const devFolders = new Map<string, Promise<Workspace>>();

async function makeDevFolder(ctx: RunContext, slot: SampleSlot): Promise<Workspace> {
  const dev = new Workspace(slot.scenario, join(dirname(slot.workspace.dir), 'developer-folders'));
  if (!existsSync(join(dev.dir, IGNORE))) {
    throw new Error(`${slot.scenario.dir} has no ${IGNORE}: there is nothing to compare a build without one with`);
  }
  if (!existsSync(join(dev.dir, 'package-lock.json'))) {
    throw new Error(`${slot.scenario.dir} has no package-lock.json: the developer folder's node_modules is made with npm ci`);
  }
  ctx.log(`stagebench: ${slot.scenario.name}: making a developer folder (npm ci, git init) for the .dockerignore phases`);
  const npm = await runTool('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dev.dir, signal: ctx.signal, timeoutMs: ctx.timeoutMs });
  if (!npm.ok) throw new Error(toolFailure(`populating node_modules in ${dev.dir}`, npm));
  const git = (...args: string[]) => runTool('git', ['-c', 'user.name=stagebench', '-c', 'user.email=stagebench@localhost', ...args], { cwd: dev.dir, signal: ctx.signal });
  for (const args of [['init', '-q'], ['add', '-A'], ['commit', '-qm', 'the app as a developer has it']]) {
    // node_modules stays out of the history, as a .gitignore would keep it, but stays in the folder.
    if (args[0] === 'add') writeFileSync(join(dev.dir, '.git', 'info', 'exclude'), 'node_modules\n');
    const run = await git(...args);
    if (!run.ok) throw new Error(toolFailure(`git ${args[0]} in ${dev.dir}`, run));
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

/** Puts the .dockerignore in place (ignored) or parks it under another name (full). */
function useIgnoreFile(dir: string, use: boolean): void {
  const [from, to] = use ? [PARKED, IGNORE] : [IGNORE, PARKED];
  if (existsSync(join(dir, from))) renameSync(join(dir, from), join(dir, to));
}

export function contextPhase(ctx: RunContext, slot: SampleSlot, phase: PhaseName): PhaseHandler {
  const withIgnore = phase === 'build-context-ignored';
  const prep = new Preparation(ctx.signal);
  let dev: Workspace | undefined;
  return {
    prepare: (i) => prep.run(async () => {
      dev = await devFolder(ctx, slot);
      dev.restore();
      useIgnoreFile(dev.dir, withIgnore);
      // Built (untimed) from the unchanged developer folder in the same mode, then changed: a warm source rebuild.
      await ensureBuilt(ctx, { ...slot, workspace: dev }, { reuse: false });
      dev.applySourceChange(sourceMarker(ctx.runId, i));
    }),
    measure: async (): Promise<Measured> => {
      if (prep.error || !dev) return failed(prep.error || 'the developer folder was not made');
      const req = buildRequest({ ...ctx, scenario: slot.scenario, variant: slot.variant, contextDir: dev.dir, signal: ctx.signal });
      return measuredBuild(ctx, req, () => '');
    },
    after: async () => {
      if (!dev) return;
      dev.restore();
      useIgnoreFile(dev.dir, true);
    },
  };
}
