// The engine's own command line (/usr/bin/docker: the 20.10 CLI that does BuildKit builds), for what a user does by
// hand beside stagebench: build an image, list images by label, remove the images a test tagged.
import { spawnCaptured, type CommandResult } from './spawn.ts';

export type { CommandResult };

export const DOCKER = '/usr/bin/docker';

/** Runs a shell command line (e.g. the docker_build line of run.json) with the docker CLI above first on PATH. */
export function shell(commandLine: string): Promise<CommandResult> {
  return spawnCaptured('sh', ['-c', commandLine], { env: { ...process.env, PATH: `/usr/bin:${process.env.PATH ?? ''}` } });
}

function docker(args: string[]): Promise<CommandResult> {
  return spawnCaptured(DOCKER, args);
}

/** Ids of the images (all, also untagged) that carry label=value. */
export async function imagesWithLabel(label: string, value: string): Promise<string[]> {
  const r = await docker(['images', '--all', '--quiet', '--no-trunc', '--filter', `label=${label}=${value}`]);
  if (r.code !== 0) throw new Error(`docker images failed: ${r.stderr}`);
  return [...new Set(r.stdout.split('\n').map((s) => s.trim()).filter(Boolean))];
}

/** Removes images a test tagged by hand; a missing one is fine. */
export async function removeImages(...refs: string[]): Promise<void> {
  if (refs.length === 0) return;
  const r = await docker(['rmi', '--force', ...refs]);
  if (r.code !== 0 && !/No such image/.test(r.stderr)) throw new Error(`docker rmi ${refs.join(' ')} failed: ${r.stderr}`);
}

/**
 * Removes every image carrying label=value, also when a run that made them crashed before its own clean-up. Tagged
 * images go first: removing one removes its untagged parents, which a legacy build labels too and which cannot be
 * removed while a child is there.
 */
export async function removeLabelledImages(label: string, value: string): Promise<void> {
  const tagged = await docker(['images', '--quiet', '--no-trunc', '--filter', `label=${label}=${value}`]);
  for (const id of new Set(tagged.stdout.split('\n').map((s) => s.trim()).filter(Boolean))) await docker(['rmi', '--force', id]);
  for (let round = 0; round < 5; round += 1) {
    const left = await imagesWithLabel(label, value);
    if (left.length === 0) return;
    for (const id of left) await docker(['rmi', '--force', id]);
  }
}
