// Mount points a stopped or killed dockerd can leave under its folder (its data root is bind-mounted on itself, and
// a daemon that could not shut down cleanly leaves it so): they must go before the folder can.
import { readFileSync } from 'node:fs';
import { runTool } from './exec.ts';

/** Mount points strictly under `folder`, deepest first. Pure over /proc/mounts' text. */
export function mountsUnder(folder: string, procMounts: string): string[] {
  return procMounts
    .split('\n')
    .map((l) => (l.split(' ')[1] ?? '').replace(/\\040/g, ' '))
    .filter((m) => m.startsWith(`${folder}/`))
    .sort((a, b) => b.length - a.length);
}

/** Lazily unmounts everything under `folder`, so that it can be removed. */
export async function unmountUnder(folder: string): Promise<void> {
  let text = '';
  try {
    text = readFileSync('/proc/mounts', 'utf8');
  } catch {
    return;
  }
  for (const m of mountsUnder(folder, text)) await runTool('umount', ['-l', m]);
}
