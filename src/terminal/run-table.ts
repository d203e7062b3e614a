// The table printed at the end of a run: per scenario and variant, medians and spread per phase, image size, and
// the size ratio to the scenario's reference variant (single unless scenario.json names another). Pure.
import { phaseInfo, referenceOf, type PhaseName, type SummaryRow } from '../types.ts';
import { formatBytes, formatDuration, ratio } from '../units.ts';
import { alignTable } from './align-table.ts';

const SHORT = (p: PhaseName): string => phaseInfo(p).short;

function cell(r: SummaryRow | undefined): string {
  if (!r) return '';
  if (r.n === 0) return `failed ${r.failed}/${r.failed}`;
  const spread = r.n > 1 && r.min_ms !== null && r.max_ms !== null ? ` (${formatDuration(r.min_ms)}–${formatDuration(r.max_ms)})` : '';
  return `${formatDuration(r.median_ms)}${spread}${r.failed ? ` ${r.failed} failed` : ''}`;
}

/** `references`: each scenario's reference variant, as run.json records them. */
export function runTable(rows: SummaryRow[], references?: Readonly<Record<string, string>>): string {
  const out: string[] = [];
  const scenarios = [...new Set(rows.map((r) => r.scenario))];
  for (const scenario of scenarios) {
    const mine = rows.filter((r) => r.scenario === scenario);
    const phases = [...new Set(mine.map((r) => r.phase))];
    const variants = [...new Set(mine.map((r) => r.variant))];
    const size = (v: string) => {
      const withSize = mine.filter((r) => r.variant === v && r.image_bytes !== null);
      return withSize.length ? withSize[0].image_bytes : null;
    };
    const layers = (v: string) => mine.find((r) => r.variant === v && r.layers !== null)?.layers ?? null;
    const reference = referenceOf(references, scenario);
    const single = size(reference);
    const header = ['variant', 'image', 'layers', `vs ${reference}`, ...phases.map((p) => SHORT(p))];
    const body = variants.map((v) => [
      v,
      formatBytes(size(v)),
      layers(v) === null ? '-' : String(layers(v)),
      v === reference ? '1x' : single && size(v) ? `${ratio(single, size(v))} smaller` : '-',
      ...phases.map((p) => cell(mine.find((r) => r.variant === v && r.phase === p))),
    ]);
    out.push(`${scenario}\n${alignTable([header, ...body])}`);
  }
  out.push('Times are medians, (min–max) over the samples; "vs single" is how many times smaller than the single-stage image (the variant scenario.json names as its reference, where it names one).');
  return out.join('\n\n');
}
