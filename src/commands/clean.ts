// stagebench clean: remove what earlier runs left behind when they were killed (kill -9, a crash, a power cut).
import { parseCommandArgs } from '../args.ts';
import { connectEngine } from '../engine/connect.ts';
import { EXIT } from '../errors.ts';
import { cleanLeftovers } from '../run/leftovers.ts';
import type { Command } from './command.ts';

export const cleanCommand: Command = {
  name: 'clean',
  summary: 'remove what killed runs left behind (containers, images, registry, npm proxy, second engine, temp folders)',
  help: `Usage: stagebench clean [--dry-run] [--keep-images]

A run removes everything it starts when it ends, also on Ctrl-C. A run killed outright (kill -9) cannot: this
removes what such runs left: containers and images labelled org.stagebench.run, an embedded registry, npm proxy
or deploy-target engine still running, their private folders and the runs' workspace copies in the temp folder.
Runs still in progress are left alone.
  --dry-run       list what would be removed, remove nothing
  --keep-images   leave the images runs built (kept with 'run --keep-images')`,
  async run(argv) {
    const { values } = parseCommandArgs('clean', argv, { 'dry-run': { type: 'boolean' }, 'keep-images': { type: 'boolean' } }, false);
    const dryRun = values['dry-run'] === true;
    const engine = await connectEngine().catch((err: Error) => {
      console.error(`stagebench clean: ${err.message.split('.')[0]}; cleaning processes and folders only`);
      return undefined;
    });
    const found = await cleanLeftovers(engine, { dryRun, keepImages: values['keep-images'] === true });
    for (const f of found) console.log(`${dryRun ? 'would remove' : 'removed'} ${f.kind} ${f.what}${f.runId ? ` (run ${f.runId})` : ''}`);
    console.log(found.length ? `${found.length} leftover(s) ${dryRun ? 'found' : 'removed'}` : 'nothing left behind');
    return EXIT.ok;
  },
};
