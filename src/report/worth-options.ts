// The command-line options that set the monthly-worth assumptions, shared by report and export.
import { numberValue, type OptionSpec } from '../args.ts';
import { DEFAULT_WORTH, type WorthAssumptions } from './worth.ts';
import { replayMonthly, summarizeReplay, type ReplayRow } from '../replay/plan.ts';
import { readReplayCsv } from '../results/replay-csv.ts';

export const WORTH_OPTIONS: OptionSpec = {
  'deploys-per-day': { type: 'string' },
  'pipeline-builds-per-day': { type: 'string' },
  'runner-cost-per-minute': { type: 'string' },
  'egress-cost-per-gb': { type: 'string' },
  replay: { type: 'string' },
};

export const WORTH_HELP = `  --deploys-per-day N           deploys a day, each pulling the image (default ${DEFAULT_WORTH.deploysPerDay}, the article's figure)
  --pipeline-builds-per-day N   pipeline runs a day that build and push it (default: as many as deploys)
  --runner-cost-per-minute X    what a CI runner minute costs (default ${DEFAULT_WORTH.runnerCostPerMinute})
  --egress-cost-per-gb X        what a GB of registry egress costs (default ${DEFAULT_WORTH.egressCostPerGb})
  --replay DIR                  a folder stagebench replay wrote: CI build minutes from the real mean build per commit`;

export function worthAssumptions(command: string, values: Record<string, unknown>): WorthAssumptions {
  const deploysPerDay = numberValue(command, 'deploys-per-day', values['deploys-per-day'], DEFAULT_WORTH.deploysPerDay, 0, 1e6);
  return {
    deploysPerDay,
    pipelineBuildsPerDay: numberValue(command, 'pipeline-builds-per-day', values['pipeline-builds-per-day'], deploysPerDay, 0, 1e6),
    runnerCostPerMinute: numberValue(command, 'runner-cost-per-minute', values['runner-cost-per-minute'], DEFAULT_WORTH.runnerCostPerMinute, 0, 1e6),
    egressCostPerGb: numberValue(command, 'egress-cost-per-gb', values['egress-cost-per-gb'], DEFAULT_WORTH.egressCostPerGb, 0, 1e6),
    daysPerMonth: DEFAULT_WORTH.daysPerMonth,
    ...(typeof values.replay === 'string' ? { replay: replayCosts(values.replay) } : {}),
  };
}

/** Per scenario and variant, the mean build per commit of a replay (round 1, or the mean total across rounds). */
function replayCosts(dir: string): NonNullable<WorthAssumptions['replay']> {
  const rows = readReplayCsv(dir) as ReplayRow[];
  const mode = rows[0]?.mode === 'fresh-runner' ? 'fresh-runner' : 'warm';
  return [...new Set(rows.map((r) => String(r.scenario)))].flatMap((scenario) => replayMonthly(summarizeReplay(rows.filter((r) => r.scenario === scenario), mode), 1, 1)
    .map((m) => ({ scenario, variant: m.variant, perCommitMs: m.perCommitMs, commits: summarizeReplay(rows.filter((r) => r.scenario === scenario), mode).commits })));
}
