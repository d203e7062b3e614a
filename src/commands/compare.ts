// stagebench compare BASELINE CURRENT: verdicts per timing and per image figure; exit 1 on a regression.
import { choiceValue, numberValue, parseCommandArgs } from '../cli/args.ts';
import { compareRuns } from '../compare/compare-runs.ts';
import { COMPARE_FORMATS, FORMATTERS } from '../compare/format.ts';
import { loadRun } from '../compare/load-run.ts';
import { DEFAULT_COMPARE_OPTIONS } from '../compare/types.ts';
import { EXIT, UsageError } from '../errors.ts';
import { writeOutput } from '../export/write-output.ts';
import type { Command } from './command.ts';

const HELP = `Usage: stagebench compare BASELINE CURRENT [--threshold PCT] [--alpha P] [--format table|md|csv|json] [--out FILE]

Compares two runs. BASELINE and CURRENT are run folders (results/RUN_ID) or their samples.csv.

For each scenario, variant and phase: the median durations of the ok samples, the change, and the p-value of a
two-sided Mann-Whitney U test. The verdict is 'slower' or 'faster' only when p < alpha AND the change exceeds the
threshold, else 'same'; 'new' and 'missing' mark rows measured on one side only. Image sizes and vulnerability
counts are exact: 'bigger' or 'smaller' beyond the threshold, else 'same'.

Options:
  --threshold PCT   smallest change that counts, percent (default ${DEFAULT_COMPARE_OPTIONS.threshold_pct})
  --alpha P         significance level of the test (default ${DEFAULT_COMPARE_OPTIONS.alpha})
  --format F        table (default), md (GitHub markdown, for a job summary), csv, json
  --out FILE        write the output to FILE instead of standard output

Warnings (other engine version, CPU count, builder or profile; failed samples; too few samples) go to standard error.
Exit codes: 0 no regression, 1 something slower or bigger, 2 bad usage or input.`;

export const compareCommand: Command = {
  name: 'compare',
  summary: 'compare two runs: faster, slower or same per phase, bigger or smaller per image',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('compare', argv, {
      threshold: { type: 'string' },
      alpha: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
    });
    if (positionals.length !== 2) {
      throw new UsageError(
        `stagebench compare takes two runs, BASELINE and CURRENT (run folders or samples.csv files); got ${positionals.length}` +
          `${positionals.length > 0 ? `: ${positionals.join(' ')}` : ''}\nSee 'stagebench compare --help'.`,
      );
    }
    const threshold = numberValue('compare', 'threshold', values.threshold, DEFAULT_COMPARE_OPTIONS.threshold_pct, 0, 1e6);
    const alpha = numberValue('compare', 'alpha', values.alpha, DEFAULT_COMPARE_OPTIONS.alpha, 0, 1);
    if (alpha === 0) throw new UsageError("stagebench compare: --alpha must be above 0 (e.g. 0.05), not '0'");
    const format = choiceValue('compare', 'format', values.format, COMPARE_FORMATS, 'table');

    const [baseline, current] = positionals.map(loadRun);
    const result = compareRuns(baseline.samples, current.samples, { threshold_pct: threshold, alpha }, {
      baseline: { label: baseline.label, info: baseline.info },
      current: { label: current.label, info: current.info },
    });
    for (const w of result.warnings) console.error(`stagebench compare: warning: ${w}`);
    const text = FORMATTERS[format](result);
    writeOutput('compare', values.out, text);
    return result.regressed ? EXIT.failed : EXIT.ok;
  },
};
