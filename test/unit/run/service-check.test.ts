// Before the first sample (issue 31): a scenario whose service image cannot be had loses its run phase, with the
// reason and the command that measures it; other phases and other scenarios stay; each image is asked for once.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { measureCommand, skipUnavailableServices } from '../../../src/run/service-check.ts';
import type { RunPlanItem } from '../../../src/run/runner.ts';
import type { Scenario } from '../../../src/types.ts';

const fixed = { kind: 'fixed', n: 1 } as const;
function item(name: string, image?: string): RunPlanItem {
  const scenario = { name, dir: `/s/${name}`, ...(image ? { run: { services: { db: { image, port: 5432 } } } } : {}) } as unknown as Scenario;
  const entries = [{ phase: 'build-cold', policy: fixed, why: '' }, { phase: 'run', policy: fixed, why: '' }] as RunPlanItem['entries'][string];
  return { scenario, variants: ['single', 'multi'], entries: { single: entries, multi: entries } };
}

test('the run phase of a scenario with a missing image is skipped; the rest of the plan stays', async () => {
  const asked: string[] = [];
  const pool = { imageProblem: async (image: string) => (asked.push(image), image === 'postgres:16' ? 'image postgres:16 is not on the engine and cannot be pulled (no such host)' : undefined) };
  const notes: string[] = [];
  const { plan, skipped } = await skipUnavailableServices([item('a', 'postgres:16'), item('b', 'redis:7'), item('c'), item('d', 'postgres:16')], pool, '/work/scenarios', (l) => notes.push(l));
  assert.equal(asked, ['postgres:16', 'redis:7'], 'each image asked for once');
  assert.equal(plan.map((p) => p.entries.single.map((e) => e.phase)), [['build-cold'], ['build-cold', 'run'], ['build-cold', 'run'], ['build-cold']]);
  assert.equal(skipped.map((k) => k.scenario), ['a', 'd']);
  assert.match(skipped[0].reason, /^run\.services: image postgres:16 is not on the engine/);
  assert.match(skipped[0].command, /^docker pull postgres:16 && npm run bench -- --scenarios \/work\/scenarios --scenario a --phase run$/);
  assert.match(notes[0], /^stagebench: a: run phase skipped, not measured: .* To measure it: docker pull postgres:16/);
});

test('measureCommand: the default scenarios folder needs no flag', () => {
  assert.is(measureCommand(['mongo:7'], '/repo/scenarios', 'x', '/repo'), 'docker pull mongo:7 && npm run bench -- --scenario x --phase run');
});

test.run();
