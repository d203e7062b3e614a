// stagebench report RUN_DIR: report.md and a self-contained report.html made from one run folder.
import { existsSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../tools/write-file.ts';
import { dirname, join } from 'node:path';
import { parseCommandArgs } from '../args.ts';
import { UsageError } from '../errors.ts';
import { readChartLibrary } from '../report/chart-library.ts';
import { collectFacts } from '../report/facts.ts';
import { renderHtml } from '../report/html.ts';
import { renderMarkdown } from '../report/markdown.ts';
import { loadRunData } from '../report/run-data.ts';
import { WORTH_HELP, WORTH_OPTIONS, worthAssumptions } from '../report/worth-options.ts';
import type { Command } from './command.ts';

const HELP = `Usage: stagebench report RUN_DIR [--md FILE] [--html FILE] [ASSUMPTIONS]

Writes a report of one run for the team: first the article's claims, each with a verdict (confirmed, refuted,
mixed, not significant, not measured), the numbers behind it and the command that measures what is missing; one
headline sentence per variant against the single-stage one; what each variant is worth in a month; then per scenario image sizes, build, push, pull and start-up times with their spread, scan
findings and the slowest build steps, then the environment of the run.

  RUN_DIR        a run folder (results/RUN_ID) holding samples.csv, summary.csv and run.json (a missing
                 summary.csv, as an interrupted run leaves, is computed from samples.csv)
  --md FILE      where to write the Markdown report (default RUN_DIR/report.md)
  --html FILE    where to write the HTML report (default RUN_DIR/report.html): one self-contained file with its
                 charts (Chart.js inline), opened from disk with no network
Assumptions of the monthly figures (shown beside them):
${WORTH_HELP}

Prints the paths it wrote.`;

function write(file: string, text: string, flag: string): void {
  writeFileAtomic(file, text, `stagebench report ${flag}`);
}

export const reportCommand: Command = {
  name: 'report',
  summary: 'write report.md and a self-contained report.html (charts) for a run',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('report', argv, { md: { type: 'string' }, html: { type: 'string' }, ...WORTH_OPTIONS });
    if (positionals.length !== 1) {
      throw new UsageError(`stagebench report takes one RUN_DIR, not ${positionals.length === 0 ? 'none' : positionals.join(' ')}\nSee 'stagebench report --help'.`);
    }
    const runDir = positionals[0];
    if (!existsSync(runDir) || !statSync(runDir).isDirectory()) {
      throw new UsageError(`stagebench report: RUN_DIR ${runDir} is not a folder; give a run folder such as results/RUN_ID`);
    }
    if (!existsSync(join(runDir, 'samples.csv'))) {
      throw new UsageError(`stagebench report: RUN_DIR ${runDir} has no samples.csv: is it a stagebench run folder (results/RUN_ID)?`);
    }
    const worth = worthAssumptions('report', values);
    const facts = collectFacts(loadRunData(runDir));
    const mdFile = typeof values.md === 'string' ? values.md : join(runDir, 'report.md');
    const htmlFile = typeof values.html === 'string' ? values.html : join(runDir, 'report.html');
    const markdown = renderMarkdown(facts, worth);
    const html = renderHtml(facts, readChartLibrary(), worth);
    write(mdFile, markdown, '--md');
    write(htmlFile, html, '--html');
    console.log(mdFile);
    console.log(htmlFile);
    return 0;
  },
};
