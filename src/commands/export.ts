// stagebench export RUN_DIR --format F: a run's results in another tool's format.
import { choiceValue, parseCommandArgs } from '../args.ts';
import { EXIT, UsageError } from '../errors.ts';
import { EXPORT_FORMATS, EXPORTERS } from '../export/formats.ts';
import { readSamples } from '../results/read.ts';
import { writeOutput } from '../export/write-output.ts';
import { loadRunData } from '../report/run-data.ts';
import { WORTH_HELP, WORTH_OPTIONS, worthAssumptions } from '../report/worth-options.ts';
import { teamJson } from '../export/team-json.ts';
import type { Command } from './command.ts';

const HELP = `Usage: stagebench export RUN_DIR --format github-action-benchmark|json|team [--out FILE]

Exports a run (a run folder or its samples.csv), computed from its ok samples:
  github-action-benchmark  JSON for benchmark-action/github-action-benchmark with tool 'customSmallerIsBetter':
                           one entry per scenario/variant/phase (median ms, range ± stddev, extra n=N) and one
                           per image size (bytes)
  json                     the summary rows (the columns of summary.csv) as a JSON array
  team                     the article's claims with verdicts and evidence, and what each variant is worth in a
                           month (CI minutes, pull minutes, egress) with the assumptions: one JSON object

Options:
  --format F   required, one of the above
  --out FILE   write to FILE instead of standard output
Assumptions of --format team:
${WORTH_HELP}
Exit codes: 0 done, 2 bad usage or input.`;

export const exportCommand: Command = {
  name: 'export',
  summary: 'export a run for other tools: github-action-benchmark JSON, summary JSON',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('export', argv, { format: { type: 'string' }, out: { type: 'string' }, ...WORTH_OPTIONS });
    if (positionals.length !== 1) {
      throw new UsageError(`stagebench export takes one run folder (or samples.csv); got ${positionals.length}\nSee 'stagebench export --help'.`);
    }
    if (values.format === undefined) {
      throw new UsageError(`stagebench export: --format is required: one of ${[...EXPORT_FORMATS, 'team'].join(', ')}`);
    }
    const format = choiceValue('export', 'format', values.format, [...EXPORT_FORMATS, 'team'] as const, 'json');
    // The team view needs the whole run folder (run.json, findings); the other formats only its samples.
    const text = format === 'team'
      ? teamJson(loadRunData(positionals[0]), worthAssumptions('export', values))
      : EXPORTERS[format](readSamples(positionals[0]));
    writeOutput('export', values.out, text);
    return EXIT.ok;
  },
};
