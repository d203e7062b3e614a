// stagebench merge RUN_DIR... --out DIR: one run from the shards of a CI matrix.
import { parseCommandArgs } from '../args.ts';
import { EXIT, UsageError } from '../errors.ts';
import { mergeRuns } from '../merge/merge-runs.ts';
import type { Command } from './command.ts';

const HELP = `Usage: stagebench merge RUN_DIR... --out DIR

Merges run folders, typically those of 'stagebench run --shard I/N' on N runners, into one run folder DIR:
samples.csv, steps.csv and findings.csv hold every input's rows (each keeps its run_id), summary.csv is computed
again over all samples, and run.json gets a new run_id and lists the merged runs, their hosts and environments.

Refuses runs of different schemas and a sample (scenario, variant, phase, iteration) that two inputs both hold.
Warns (standard error) when the inputs ran on other engine versions, CPU counts, builders or profiles.
Exit codes: 0 merged, 2 bad usage or input.`;

export const mergeCommand: Command = {
  name: 'merge',
  summary: 'merge the run folders of shards (--shard I/N) into one run',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('merge', argv, { out: { type: 'string' } });
    if (typeof values.out !== 'string' || values.out === '') {
      throw new UsageError("stagebench merge: --out DIR is required (the folder to write the merged run to)\nSee 'stagebench merge --help'.");
    }
    if (positionals.length === 0) {
      throw new UsageError("stagebench merge: give the run folders to merge, e.g. stagebench merge results/shard-1 results/shard-2 --out results/all");
    }
    const merged = mergeRuns(positionals, values.out, { commandLine: ['stagebench', 'merge', ...argv] });
    for (const w of merged.warnings) console.error(`stagebench merge: warning: ${w}`);
    console.log(
      `merged ${positionals.length} run(s), ${merged.samples.length} samples, into ${values.out} (run ${merged.run_id})`,
    );
    return EXIT.ok;
  },
};
