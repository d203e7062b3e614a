// What a month is worth: medians times the assumptions, with the saving against single-stage.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { collectFacts } from '../../../src/report/facts.ts';
import { loadRunData } from '../../../src/report/run-data.ts';
import { DEFAULT_WORTH, describeAssumptions, monthlyWorth } from '../../../src/report/worth.ts';
import { makeRun, writeRunFolder, type Measure } from './run-folder.ts';

const work = mkdtempSync(join(tmpdir(), 'stagebench-worth-'));
const m = (variant: string, phase: Measure['phase'], samples: number[], extra: Partial<Measure> = {}): Measure =>
  ({ scenario: 'app', variant, phase, samples, ...extra });

const run = makeRun([
  m('single', 'build-warm-src', [60_000]),
  m('single', 'push-warm', [6_000]),
  m('single', 'pull-cold', [12_000], { transfer_bytes: 400_000_000 }),
  m('multi', 'build-warm-src', [30_000]),
  m('multi', 'push-warm', [6_000]),
  m('multi', 'pull-cold', [3_000], { transfer_bytes: 100_000_000 }),
  m('multi', 'build-cold', [999_000]),
]);
const data = loadRunData(writeRunFolder(join(work, 'run'), run));
const facts = collectFacts(data);

test('defaults: 50 builds and deploys a day for 30 days, from the preferred phases', () => {
  const [single, multi] = monthlyWorth(facts, data.samples);
  assert.is(single.build?.phase, 'build-warm-src');
  assert.is(multi.build?.phase, 'build-warm-src', 'a source-change rebuild is preferred to a cold build');
  assert.is(single.ciMinutes, 1500 * 66_000 / 60_000);
  assert.ok(Math.abs((single.ciCost as number) - 1650 * 0.008) < 1e-9);
  assert.is(single.pullMinutes, 1500 * 12_000 / 60_000);
  assert.is(single.egressGb, 600);
  assert.ok(Math.abs((single.egressCost as number) - 54) < 1e-9);
  assert.is(single.saving, null, 'the reference saves nothing against itself');
  assert.is(multi.saving?.ciMinutes, 1650 - 900);
  assert.is(multi.saving?.egressGb, 450);
});

test('assumptions change the figures and are said in words', () => {
  const a = { ...DEFAULT_WORTH, deploysPerDay: 10, pipelineBuildsPerDay: 20, daysPerMonth: 20 };
  const [single] = monthlyWorth(facts, data.samples, a);
  assert.is(single.ciMinutes, 400 * 66_000 / 60_000);
  assert.is(single.egressGb, 200 * 0.4);
  assert.match(describeAssumptions(a), /^20 pipeline builds and 10 deploys a day, 20 days a month/);
  assert.match(describeAssumptions({ ...a, deploysPerDay: 1, pipelineBuildsPerDay: 1 }), /^1 pipeline build and 1 deploy a day/);
});

test('a variant without a push or pull has no figure for it, and no saving', () => {
  const only = makeRun([m('single', 'build-cold', [1000]), m('multi', 'build-cold', [500])]);
  const d = loadRunData(writeRunFolder(join(work, 'run2'), only));
  const [single, multi] = monthlyWorth(collectFacts(d), d.samples);
  assert.is(single.ciMinutes, null);
  assert.is(multi.saving?.ciMinutes, null);
  assert.is(multi.egressGb, null);
});

test.after(() => rmSync(work, { recursive: true, force: true }));

test.run();
