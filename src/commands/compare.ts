// stagebench compare BASELINE CURRENT: verdicts per timing and per image figure; exit 1 on a regression.
import { choiceValue, numberValue, parseCommandArgs } from '../args.ts';
import { compareRuns } from '../compare/compare-runs.ts';
import { COMPARE_FORMATS, FORMATTERS } from '../compare/format.ts';
import { loadRun } from '../compare/load-run.ts';
import { sizeSection } from '../compare/size-change.ts';
import { DEFAULT_COMPARE_OPTIONS, SAME_RUN_OPTIONS } from '../compare/types.ts';
import { isInterleavedPair } from '../compare/interleaved.ts';
import { EXIT, UsageError } from '../errors.ts';
import { writeOutput } from '../export/write-output.ts';
import type { Command } from './command.ts';

const HELP = `Usage: stagebench compare BASELINE CURRENT [--threshold PCT] [--size-threshold PCT] [--alpha P] [--allow-missing] [--format table|md|csv|json] [--out FILE]

Compares two runs. BASELINE and CURRENT are run folders (results/RUN_ID) or their samples.csv.

For each scenario, variant and phase: the median durations of the ok samples, the change, and the p-value of a
two-sided Mann-Whitney U test (exact, ties included, whenever the orderings can be counted). The verdict is
'slower' or 'faster' only when p < alpha AND the change exceeds the threshold, else 'same'; 'new' and 'missing'
mark rows measured on one side only. Image sizes and vulnerability counts are exact: 'bigger' or 'smaller' beyond
the size threshold, else 'same'; any increase of critical or high findings is 'bigger'. A failed sample's image
counts when it is bigger.

The gate fails (exit 1) when something is slower or bigger, and also when the current run did not measure what the
baseline measured: a 'missing' row (not run, or every sample failed) or no ok sample at all. Each missing row is
named on standard error with its reason. --allow-missing lets an intentionally narrowed run pass.
A cell that is not what its column says (duration_ms=abc, ok=yes) is exit 2 naming the file, line and column.

Options:
  --threshold PCT   smallest timing change that counts, percent (default ${DEFAULT_COMPARE_OPTIONS.threshold_pct}: two runs of one
                    checkout on one 2-CPU machine drift apart by that much and more; ${SAME_RUN_OPTIONS.threshold_pct} for the two sides
                    of one 'stagebench run --against', which share the run's drift)
  --size-threshold PCT
                    smallest growth of an image size or medium/low finding count that counts, percent
                    (default ${DEFAULT_COMPARE_OPTIONS.size_threshold_pct}; sizes are exact, so there is no drift to cover)
  --alpha P         significance level of the test (default ${DEFAULT_COMPARE_OPTIONS.alpha})
  --allow-missing   rows the current run did not measure do not fail the gate (a narrowed run)
  --format F        table (default), md (GitHub markdown, for a job summary), csv, json
  --out FILE        write the output to FILE instead of standard output

Warnings (other engine version, CPU count, builder or profile; failed samples; too few samples) go to standard error.
Exit codes: 0 no regression, 1 something slower or bigger or not measured, 2 bad usage or input.`;

export const compareCommand: Command = {
  name: 'compare',
  summary: 'compare two runs: faster, slower or same per phase, bigger or smaller per image',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('compare', argv, {
      threshold: { type: 'string' },
      'size-threshold': { type: 'string' },
      alpha: { type: 'string' },
      'allow-missing': { type: 'boolean' },
      format: { type: 'string' },
      out: { type: 'string' },
    });
    if (positionals.length !== 2) {
      throw new UsageError(
        `stagebench compare takes two runs, BASELINE and CURRENT (run folders or samples.csv files); got ${positionals.length}` +
          `${positionals.length > 0 ? `: ${positionals.join(' ')}` : ''}\nSee 'stagebench compare --help'.`,
      );
    }

    const sizeThreshold = numberValue('compare', 'size-threshold', values['size-threshold'], DEFAULT_COMPARE_OPTIONS.size_threshold_pct, 0, 1e6);
    const alpha = numberValue('compare', 'alpha', values.alpha, DEFAULT_COMPARE_OPTIONS.alpha, 0, 1);
    if (alpha === 0) throw new UsageError("stagebench compare: --alpha must be above 0 (e.g. 0.05), not '0'");
    const format = choiceValue('compare', 'format', values.format, COMPARE_FORMATS, 'table');

    const [baseline, current] = positionals.map(loadRun);
    // The two halves of one run --against share its drift: the same-run threshold is the default for them.
    const paired = isInterleavedPair(baseline.info, current.info);
    const threshold = numberValue('compare', 'threshold', values.threshold, paired ? SAME_RUN_OPTIONS.threshold_pct : DEFAULT_COMPARE_OPTIONS.threshold_pct, 0, 1e6);
    const result = compareRuns(baseline.samples, current.samples, { threshold_pct: threshold, size_threshold_pct: sizeThreshold, alpha, allow_missing: values['allow-missing'] === true }, {
      baseline: { label: baseline.label, info: baseline.info },
      current: { label: current.label, info: current.info },
    });
    for (const w of result.warnings) console.error(`stagebench compare: warning: ${w}`);
    const level = result.options.allow_missing ? 'warning' : 'error';
    for (const m of result.missing) {
      console.error(`stagebench compare: ${level}: ${m.name} is in the baseline, not measured by the current run (${m.reason === 'failed' ? 'every sample failed: see the error column of its samples.csv' : 'not run'})`);
    }
    if (result.missing.length > 0 && !result.options.allow_missing) {
      console.error('stagebench compare: the gate fails on rows the current run did not measure; pass --allow-missing for an intentionally narrowed run');
    }
    const text = FORMATTERS[format](result) + sizeSection(format, baseline, current);
    writeOutput('compare', values.out, text);
    return result.failed ? EXIT.failed : EXIT.ok;
  },
};
