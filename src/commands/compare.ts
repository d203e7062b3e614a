// stagebench compare BASELINE CURRENT: verdicts per timing and per image figure; exit 1 on a regression.
import { choiceValue, numberValue, parseCommandArgs } from '../args.ts';
import { compareRuns } from '../gate/compare-runs.ts';
import { COMPARE_FORMATS, FORMATTERS } from '../gate/format.ts';
import { loadRun } from '../gate/load-run.ts';
import { sizeSection } from '../gate/size-change.ts';
import { DEFAULT_COMPARE_OPTIONS, SAME_RUN_OPTIONS } from '../gate/types.ts';
import { isInterleavedPair, warmupRounds } from '../gate/interleaved.ts';
import { EXIT, UsageError } from '../errors.ts';
import { writeOutput } from '../export/write-output.ts';
import type { Command } from './command.ts';

const HELP = `Usage: stagebench compare BASELINE CURRENT [--threshold PCT] [--size-threshold PCT] [--alpha P] [--gate-timings] [--whole-baseline] [--allow-missing] [--format table|md|csv|json] [--out FILE]

Compares two runs. BASELINE and CURRENT are run folders (results/RUN_ID) or their samples.csv. The rule in full:
docs/gate.md.

Exact metrics come first: image and compressed bytes, layers, the steps each change rebuilds (build-warm-src,
build-warm-deps, build-ci-src, ...), the bytes warm pushes and pulls move, findings counts. They do not vary from
sample to sample, so any two runs compare them without a test: 'bigger' beyond the size threshold; one more rebuilt
step, critical or high finding is 'bigger' whatever the threshold. Findings with no vulnerability database are
'not checked', never failed.

Timings of the two sides of one 'stagebench run --against' are paired by round: the median ratio current/baseline
(Hodges-Lehmann, exact 95% interval), a one-sided Wilcoxon signed-rank test of 'slower', Holm-corrected across the
rows so the whole run has the false-alarm rate alpha, and the smallest slowdown each row could have detected. They
gate. Between separate runs timings are indicative only (a shared machine drifts between runs): shown, not in the
exit code, unless --gate-timings.

The gate fails (exit 1) when an exact metric is bigger; when the current side failed (a sample failed or timed out)
where the baseline's did not; when a gated timing is slower; or when the current run has no ok sample. Baseline rows
outside the current run's plan are said once per phase and fail only with --whole-baseline.
A cell that is not what its column says (duration_ms=abc, ok=yes) is exit 2 naming the file, line and column.

Options:
  --threshold PCT   smallest timing change that counts, percent (default ${DEFAULT_COMPARE_OPTIONS.threshold_pct} between separate runs: two runs
                    of one checkout on one 2-CPU machine drift apart by that much and more; ${SAME_RUN_OPTIONS.threshold_pct} for the two
                    sides of one 'stagebench run --against', which share the run's drift)
  --size-threshold PCT
                    smallest growth of an image size, transfer or medium/low finding count that counts, percent
                    (default ${DEFAULT_COMPARE_OPTIONS.size_threshold_pct}; these are exact, so there is no drift to cover)
  --alpha P         significance level (default ${DEFAULT_COMPARE_OPTIONS.alpha}; for a paired run, of the whole run)
  --gate-timings    between separate runs, slower timings fail the gate too
  --whole-baseline  baseline rows the current run did not plan fail the gate
  --allow-missing   rows whose current samples all failed do not fail the gate (a run narrowed on purpose)
  --format F        table (default), md (GitHub markdown, for a job summary), csv, json
  --out FILE        write the output to FILE instead of standard output

Warnings (other engine version, CPU count, builder or profile; failed samples; too few samples) go to standard error.
Exit codes: 0 no regression; 1 regression (exact metric bigger, current side failed, gated timing slower, nothing
measured); 2 bad usage or input.`;

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
      'gate-timings': { type: 'boolean' },
      'whole-baseline': { type: 'boolean' },
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
    const paired = isInterleavedPair(baseline.info, current.info) ? { warmup_rounds: warmupRounds(current.info) } : undefined;
    const threshold = numberValue('compare', 'threshold', values.threshold, paired ? SAME_RUN_OPTIONS.threshold_pct : DEFAULT_COMPARE_OPTIONS.threshold_pct, 0, 1e6);
    const result = compareRuns(baseline.samples, current.samples, {
      threshold_pct: threshold, size_threshold_pct: sizeThreshold, alpha, allow_missing: values['allow-missing'] === true,
      whole_baseline: values['whole-baseline'] === true, gate_timings: values['gate-timings'] === true, paired,
    }, {
      baseline: { label: baseline.label, info: baseline.info },
      current: { label: current.label, info: current.info },
    });
    for (const w of result.warnings) console.error(`stagebench compare: warning: ${w}`);
    for (const m of result.missing.filter((x) => x.reason === 'failed' || result.options.whole_baseline)) {
      const level = m.reason === 'failed' ? (result.options.allow_missing ? 'warning' : 'error') : 'error';
      console.error(`stagebench compare: ${level}: ${m.name} is in the baseline, not measured by the current run (${m.reason === 'failed' ? 'every sample failed: see the error column of its samples.csv' : 'not run'})`);
    }
    for (const r of result.timing.filter((t) => t.verdict === 'failed')) {
      console.error(`stagebench compare: error: ${r.scenario}/${r.variant}/${r.phase}: ${r.current_failed} current sample(s) failed where the baseline's did not (see the error column of its samples.csv)`);
    }
    const text = FORMATTERS[format](result) + sizeSection(format, baseline, current);
    writeOutput('compare', values.out, text);
    return result.failed ? EXIT.failed : EXIT.ok;
  },
};
