import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sizeValues } from '../../../src/stats/size-metrics.ts';
import { sampleRow } from '../gate/fixtures.ts';

test('image size comes from the cold build, not the source-changed image', () => {
  const values = sizeValues([
    sampleRow({ phase: 'build-warm-src', image_bytes: 300, compressed_bytes: null }),
    sampleRow({ phase: 'build-cold', iteration: 1, image_bytes: 100, compressed_bytes: null }),
    sampleRow({ phase: 'build-cold', iteration: 2, image_bytes: 120, compressed_bytes: null }),
  ]);
  assert.equal(values, [{ scenario: 'express-api', variant: 'multi', metric: 'image_bytes', phase: 'build-cold', value: 110 }]);
});

test('each metric from the first phase that reports it; failed samples are ignored', () => {
  const values = sizeValues([
    sampleRow({ phase: 'build-cold', image_bytes: 100, compressed_bytes: null }),
    sampleRow({ phase: 'push-cold', image_bytes: null, compressed_bytes: 40 }),
    sampleRow({ phase: 'scan', image_bytes: null, compressed_bytes: null, vulns_critical: 1, vulns_high: 7 }),
    sampleRow({ phase: 'scan', iteration: 2, ok: false, image_bytes: null, compressed_bytes: null, vulns_critical: 50 }),
  ]);
  assert.equal(values.map((v) => `${v.metric}=${v.value}@${v.phase}`), [
    'image_bytes=100@build-cold', 'compressed_bytes=40@push-cold', 'vulns_critical=1@scan', 'vulns_high=7@scan',
  ]);
});

test.run();
