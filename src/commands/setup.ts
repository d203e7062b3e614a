// stagebench setup: what `npm run setup` does (engine, registry binary, base images), reachable from an installed CLI.
import { join } from 'node:path';
import { parseCommandArgs } from '../args.ts';
import { runAttached } from '../tools/exec.ts';
import { ROOT } from '../version.ts';
import type { Command } from './command.ts';

const HELP = `Usage: stagebench setup

Makes this machine ready for runs, idempotently (quick when everything is there):
  - a Docker engine that answers; on Debian as root, installs docker.io and starts it where none answers
  - the registry binary of the embedded registry (Debian's docker-registry)
  - the base images: the official ones when they can be pulled, else offline stand-ins built from Debian packages
It runs bench/setup.sh of the installed package (the same script as 'npm run setup' in a checkout).

Exit codes: 0 ready; 3 the environment is missing something setup cannot provide (it says what to do).`;

export const setupCommand: Command = {
  name: 'setup',
  summary: 'make the machine ready: Docker engine, registry binary, base images (official or offline stand-ins)',
  help: HELP,
  async run(argv) {
    parseCommandArgs('setup', argv, {}, false);
    return runAttached('bash', [join(ROOT, 'bench', 'setup.sh')], { cwd: ROOT });
  },
};
