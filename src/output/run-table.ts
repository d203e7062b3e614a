// The table printed at the end of a run: per scenario and variant, medians and spread per phase, image size, and
// the size ratio to the single-stage variant. Pure.
import type { PhaseName, SummaryRow } from '../types.ts';
import { alignTable, formatBytes, formatMs, ratio } from './units.ts';

const SHORT: Record<PhaseName, string> = {
  'build-cold': 'cold', 'build-warm': 'warm', 'build-warm-src': 'src', 'build-warm-deps': 'deps',
  'push-cold': 'push', 'push-warm': 'push-w', 'pull-cold': 'pull', 'pull-warm': 'pull-w', scan: 'scan', run: 'start',
  'build-context-ignored': 'ctx-ign', 'build-context-full': 'ctx-full', 'build-ci': 'ci', 'build-ci-src': 'ci-src',
};

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
    const single = size('single');
    const header = ['variant', 'image', 'layers', 'vs single', ...phases.map((p) => SHORT[p] ?? p)];
    const body = variants.map((v) => [
      v,
      formatBytes(size(v)),
      layers(v) === null ? '-' : String(layers(v)),
      v === 'single' ? '1x' : single && size(v) ? `${ratio(single, size(v))} smaller` : '-',
      ...phases.map((p) => cell(mine.find((r) => r.variant === v && r.phase === p))),
    ]);
    out.push(`${scenario}\n${alignTable([header, ...body])}`);
  }
  out.push('Times are medians, (min–max) over the samples; "vs single" is how many times smaller than the single-stage image.');
  return out.join('\n\n');
}
