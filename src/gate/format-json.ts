// compare --format json: the whole result, numbers unrounded, without the run.json bodies.
import { SCHEMA } from '../types.ts';
import type { CompareResult } from './types.ts';

export function formatJson(result: CompareResult): string {
  const side = (s: CompareResult['baseline']) => ({ label: s.label, run_ids: s.run_ids });
  return `${JSON.stringify(
    {
      schema: SCHEMA,
      regressed: result.regressed,
      failed: result.failed,
      missing: result.missing,
      options: result.options,
      baseline: side(result.baseline),
      current: side(result.current),
      timing: result.timing,
      sizes: result.sizes,
      warnings: result.warnings,
    },
    null,
    2,
  )}\n`;
}
