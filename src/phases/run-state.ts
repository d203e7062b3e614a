// What one run's phases remember between samples, scoped to that run's context (not to the module), so that two runs
// in one process (the two sides of a comparison) never share it.
import type { Workspace } from '../scenario/workspace.ts';
import { ChangedImages } from './changed-images.ts';

export interface RunState {
  /** Per workspace and variant, the image last built from the unchanged files (build.ts: ensureBuilt). */
  pristineBuilds: WeakMap<Workspace, Map<string, string>>;
  /** Source-changed images one phase made and a later phase of the same variant can use (changed-images.ts). */
  changedImages: ChangedImages;
  /** One developer folder per workspace, made once for the .dockerignore phases (context.ts). */
  devFolders: Map<string, Promise<Workspace>>;
}

export function newRunState(): RunState {
  return { pristineBuilds: new WeakMap(), changedImages: new ChangedImages(), devFolders: new Map() };
}
