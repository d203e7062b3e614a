// The committed JSON Schema of scenario.json is the loader's schema: an edit to one without the other fails here.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scenarioJsonSchema } from '../../../src/scenario/load.ts';
import { ROOT } from '../../support/cli.ts';

const REGENERATE = `npx tsx -e "import('./src/scenario/load.ts').then(m => process.stdout.write(JSON.stringify(m.scenarioJsonSchema(), null, 2) + '\\\\n'))" > scenarios/scenario.schema.json`;

test('scenarios/scenario.schema.json is what the loader validates against', () => {
  const committed = JSON.parse(readFileSync(join(ROOT, 'scenarios/scenario.schema.json'), 'utf8')) as unknown;
  assert.equal(committed, JSON.parse(JSON.stringify(scenarioJsonSchema())), `out of date; regenerate with:\n${REGENERATE}`);
});

test('the schema lists the required parts and the real-app sections', () => {
  const s = scenarioJsonSchema() as { required: string[]; properties: Record<string, unknown> };
  assert.equal(s.required, ['name', 'description', 'variants', 'smoke', 'changes']);
  for (const k of ['context', 'run', 'build']) assert.ok(k in s.properties, k);
});

test.run();
