// The table printed at the end of a run: per scenario and variant, medians and spread per phase, image size, and
// the size ratio to the single-stage variant. Pure.
import { phaseInfo, REFERENCE_VARIANT, type PhaseName, type SummaryRow } from '../types.ts';
import { alignTable, formatBytes, formatMs, ratio } from './units.ts';

const SHORT = (p: PhaseName): string => phaseInfo(p).short;

function cell(r: SummaryRow | undefined): string {
  if (!r) return '';
  if (r.n === 0) return `failed ${r.failed}/${r.failed}`;
  const spread = r.n > 1 && r.min_ms !== null && r.max_ms !== null ? ` (${formatMs(r.min_ms)}–${formatMs(r.max_ms)})` : '';
  return `${formatMs(r.median_ms)}${spread}${r.failed ? ` ${r.failed} failed` : ''}`;
}

export function runTable(rows: SummaryRow[]): string {
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
    const single = size(REFERENCE_VARIANT);
    const header = ['variant', 'image', 'layers', 'vs single', ...phases.map((p) => SHORT(p))];
    const body = variants.map((v) => [
      v,
      formatBytes(size(v)),
      layers(v) === null ? '-' : String(layers(v)),
      v === REFERENCE_VARIANT ? '1x' : single && size(v) ? `${ratio(single, size(v))} smaller` : '-',
      ...phases.map((p) => cell(mine.find((r) => r.variant === v && r.phase === p))),
    ]);
    out.push(`${scenario}\n${alignTable([header, ...body])}`);
  }
  out.push('Times are medians, (min–max) over the samples; "vs single" is how many times smaller than the single-stage image.');
  return out.join('\n\n');
}
