import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { githubActionBenchmark } from '../../../src/export/github-action-benchmark.ts';
import { sampleRow } from '../gate/fixtures.ts';

test('one ms entry per scenario/variant/phase median, then one bytes entry per image size', () => {
  const entries = githubActionBenchmark([
    sampleRow({ iteration: 1, duration_ms: 1000, image_bytes: 100, compressed_bytes: 40 }),
    sampleRow({ iteration: 2, duration_ms: 1200, image_bytes: 100, compressed_bytes: 40 }),
    sampleRow({ iteration: 3, duration_ms: 1400, image_bytes: 100, compressed_bytes: 40 }),
    sampleRow({ iteration: 4, ok: false, error: 'cached step', duration_ms: 10 }),
    sampleRow({ phase: 'scan', duration_ms: 3000.12345, image_bytes: null, compressed_bytes: null, vulns_high: 2 }),
  ]);
  assert.equal(entries, [
    { name: 'express-api/multi/build-cold', unit: 'ms', value: 1200, range: '± 200', extra: 'n=3, failed=1' },
    // One sample: its spread is unknown, so no range (benchmark-action would read '± 0' as certainty).
    { name: 'express-api/multi/scan', unit: 'ms', value: 3000.123, extra: 'n=1' },
    { name: 'express-api/multi/image_bytes', unit: 'bytes', value: 100, extra: 'from build-cold' },
    { name: 'express-api/multi/compressed_bytes', unit: 'bytes', value: 40, extra: 'from build-cold' },
  ]);
});

test('a phase with no ok sample has no entry', () => {
  assert.equal(githubActionBenchmark([sampleRow({ ok: false, error: 'x', image_bytes: null, compressed_bytes: null })]), []);
});

test.run();
