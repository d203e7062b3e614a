// compare --format json: the whole result, numbers unrounded, without the run.json bodies.
import { SCHEMA } from '../types.ts';
import type { CompareResult } from './types.ts';

export function formatJson(result: CompareResult): string {
  const side = (s: CompareResult['baseline']) => ({ label: s.label, run_ids: s.run_ids });
  return `${JSON.stringify(
    {
      schema: SCHEMA,
      mode: result.mode,
      timing_gated: result.timing_gated,
      regressed: result.regressed,
      failed: result.failed,
      missing: result.missing,
      not_run: result.not_run,
      options: result.options,
      baseline: side(result.baseline),
      current: side(result.current),
      // JSON has no Infinity: a row that could detect nothing says so with null and pairs.
      timing: result.timing.map((r) => ({ ...r, mdc_pct: r.mdc_pct !== null && Number.isFinite(r.mdc_pct) ? r.mdc_pct : null })),
      sizes: result.sizes,
      warnings: result.warnings,
    },
    null,
    2,
  )}\n`;
}
