// Result rows for tests: a complete, ok samples.csv row that a test changes where it matters.
import { SCHEMA, type SampleRow } from '../../src/types.ts';

export function sampleRow(over: Partial<SampleRow> = {}): SampleRow {
  return {
    schema: SCHEMA, run_id: 'r1', time: '2025-01-01T00:00:00.000Z', scenario: 'express-api', variant: 'multi',
    phase: 'build-cold', iteration: 1, ok: true, error: '', duration_ms: 12345.678, profile: 'offline', builder: 'buildkit',
    image: 'stagebench/express-api:multi', image_id: 'sha256:abc', image_bytes: 233843084, compressed_bytes: null, layers: 9,
    steps: 7, cached_steps: 0, context_bytes: 148480, transfer_bytes: null, vulns_critical: null, vulns_high: null,
    vulns_medium: null, vulns_low: null, packages_os: null, packages_npm: null, scanner: '', engine: '20.10.24',
    host: 'box', commit: 'abc123', context_ms: null, ...over,
  };
}
