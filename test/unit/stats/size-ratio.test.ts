import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RATIO_COLUMN, withSizeRatio } from '../../../src/stats/size-ratio.ts';
import type { SummaryRow } from '../../../src/types.ts';

function row(scenario: string, variant: string, image_bytes: number | null): SummaryRow {
  return { scenario, variant, image_bytes, phase: 'build-cold' } as SummaryRow;
}

test('each variant is compared with the single-stage image of its own scenario', () => {
  const out = withSizeRatio([row('a', 'single', 1000), row('a', 'multi', 250), row('b', 'single', 300), row('b', 'distroless', 100)]);
  assert.equal(out.map((r) => r[RATIO_COLUMN]), [1, 4, 1, 3]);
});

test('no single-stage image, or no size, gives an empty ratio rather than a made-up one', () => {
  const out = withSizeRatio([row('a', 'multi', 250), row('b', 'single', 300), row('b', 'multi', null)]);
  assert.equal(out.map((r) => r[RATIO_COLUMN]), [null, 1, null]);
});

test.run();
