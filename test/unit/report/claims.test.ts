// The claims table: a timing is called faster or slower only where compare's test finds it significant; sizes and
// counts are exact; a claim the run did not measure says so and names the command that measures it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkClaims, spread, timingDifference, verdictOf, type Claim, type ClaimId } from '../../../src/report/claims.ts';
import { collectFacts } from '../../../src/report/facts.ts';
import { loadRunData } from '../../../src/report/run-data.ts';
import { finding, fullRun, makeRun, writeRunFolder, type Measure, type RunFiles } from './run-folder.ts';

const work = mkdtempSync(join(tmpdir(), 'stagebench-claims-'));
let runs = 0;

function claimsOf(run: RunFiles): Claim[] {
  const data = loadRunData(writeRunFolder(join(work, `run-${runs++}`), run));
  return checkClaims({ facts: collectFacts(data), samples: data.samples });
}

function get(claims: Claim[], id: ClaimId): Claim {
  const c = claims.find((x) => x.id === id);
  assert.ok(c, `claim ${id} in ${claims.map((x) => x.id).join(', ')}`);
  return c as Claim;
}

const m = (variant: string, phase: Measure['phase'], samples: Measure['samples'], extra: Partial<Measure> = {}): Measure =>
  ({ scenario: 'app', variant, phase, samples, ...extra });

test('timingDifference: 3 vs 3 fully separated samples cannot reach p < 0.05, so the verdict is about the same', () => {
  const d = timingDifference([1000, 1010, 1020], [2000, 2010, 2020]);
  assert.is(d.direction, 'same');
  assert.ok(d.underpowered);
  assert.match(d.text, /^about the same \(p = 0\.10; 3 vs 3 samples cannot reach p < 0\.05\)$/);
});

test('timingDifference: 5 vs 5 fully separated samples are significantly faster, with the ratio', () => {
  const d = timingDifference([1000, 1010, 1020, 1030, 1040], [2000, 2010, 2020, 2030, 2040]);
  assert.is(d.direction, 'faster');
  assert.is(d.text, '2.0x faster (p = 0.008)');
});

test('timingDifference: a significant change below the 5% threshold is about the same', () => {
  const d = timingDifference([1000, 1001, 1002, 1003, 1004], [1020, 1021, 1022, 1023, 1024]);
  assert.is(d.direction, 'same');
  assert.match(d.text, /^about the same \(p = 0\.008\)$/);
});

test('spread: median, relative margin of error and n; one sample has no spread', () => {
  assert.is(spread([1000, 1100, 1200]), '1.10 s ±22.6% (n=3)');
  assert.is(spread([1500]), '1.50 s (n=1)');
});

test('a full run: smaller images confirmed with exact sizes; 3-sample timings are not significant', () => {
  const claims = claimsOf(fullRun('express-api'));
  const size = get(claims, 'smaller-images');
  assert.is(size.verdict, 'confirmed');
  assert.ok(size.evidence.includes('express-api multi-stage 142.0 MB vs 751.0 MB: 5.3x smaller'), size.evidence.join(' / '));
  assert.is(size.command, '');
  const pushes = get(claims, 'faster-pushes');
  assert.is(pushes.verdict, 'not significant');
  assert.match(pushes.evidence[0], /about the same \(p = 0\.10; 3 vs 3 samples/);
  // Too few samples to tell: the command that measures enough of them is given.
  assert.match(pushes.command, /--phase push-cold --iterations 4$/);
});

test('five samples a side make a push claim confirmed, and a slower variant refutes it', () => {
  const fast = [1000, 1010, 1020, 1030, 1040];
  const slow = [3000, 3010, 3020, 3030, 3040];
  const claims = claimsOf(makeRun([m('single', 'push-cold', slow), m('multi', 'push-cold', fast), m('distroless', 'push-cold', fast)]));
  assert.is(get(claims, 'faster-pushes').verdict, 'confirmed');
  const refuted = claimsOf(makeRun([m('single', 'push-cold', fast), m('multi', 'push-cold', slow)]));
  assert.is(get(refuted, 'faster-pushes').verdict, 'refuted');
  const mixed = claimsOf(makeRun([m('single', 'push-cold', [2000, 2010, 2020, 2030, 2040]), m('multi', 'push-cold', fast), m('distroless', 'push-cold', slow)]));
  assert.is(get(mixed, 'faster-pushes').verdict, 'mixed');
});

test('a claim whose phase the run lacks is not measured, with the command that measures it', () => {
  const claims = claimsOf(makeRun([m('single', 'build-cold', [1000]), m('multi', 'build-cold', [900])]));
  const pulls = get(claims, 'faster-pulls');
  assert.is(pulls.verdict, 'not measured');
  assert.is(pulls.evidence.length, 0);
  assert.is(pulls.command, 'npm run bench -- --scenario app --variant single,multi,distroless --phase pull-cold --iterations 4');
});

test('in a run of several scenarios the commands for what is missing name the first one: a deep timing, not every scenario', () => {
  const claims = claimsOf(makeRun([
    m('single', 'push-cold', [3000]), m('multi', 'push-cold', [1000]),
    { ...m('single', 'build-cold', [1000]), scenario: 'other' }, { ...m('multi', 'build-cold', [900]), scenario: 'other' },
  ]));
  assert.is(get(claims, 'faster-pushes').command, 'npm run bench -- --scenario app --variant single,multi,distroless --phase push-cold --iterations 4');
  // Not in the default plan: --iterations makes the command run instead of stopping with "measures none of the phases".
  assert.is(get(claims, 'dockerignore').command, 'npm run bench -- --scenario app --variant single --phase context --iterations 4');
  // An exact figure needs one build of every scenario: no scenario named.
  assert.is(get(claims, 'scan-noise').command, 'npm run bench -- --variant single,multi,distroless --phase scan');
});

test('the commands keep the run\'s --scenarios folder (a scenario made by init outside the repository)', () => {
  const run = makeRun([m('single', 'build-cold', [1000]), m('multi', 'build-cold', [900])]);
  run.info = { ...run.info!, command_line: ['stagebench', 'run', '--scenarios', '/work/apps/scen', '--scenario', 'app', '--quick'] };
  const claims = claimsOf(run);
  assert.is(get(claims, 'faster-pulls').command, 'npm run bench -- --scenarios /work/apps/scen --scenario app --variant single,multi,distroless --phase pull-cold --iterations 4');
  assert.match(get(claims, 'npm-ci').command, /^npm run stagebench -- tune app --scenarios \/work\/apps\/scen --variant single --static/);
  const eq = makeRun([m('single', 'build-cold', [1000]), m('multi', 'build-cold', [900])]);
  eq.info = { ...eq.info!, command_line: ['stagebench', 'run', '--scenarios=/x/y', '--quick'] };
  assert.match(get(claimsOf(eq), 'faster-pulls').command, /^npm run bench -- --scenarios \/x\/y --scenario app /);
});

test('failed samples are no evidence: a push phase whose samples all failed is not measured', () => {
  const claims = claimsOf(makeRun([m('single', 'push-cold', ['registry down']), m('multi', 'push-cold', [900])]));
  assert.is(get(claims, 'faster-pushes').verdict, 'not measured');
});

test('layer order: the manifest-first variant against its -bad-order twin after a source change', () => {
  const claims = claimsOf(makeRun([
    m('single', 'build-warm-src', [1400, 1410, 1420, 1430, 1440]),
    m('single-bad-order', 'build-warm-src', [8700, 8710, 8720, 8730, 8740]),
  ]));
  const c = get(claims, 'layer-order');
  assert.is(c.verdict, 'confirmed');
  assert.match(c.evidence[0], /^app: manifest first 1\.4\d s ±\S+ \(n=5\) vs sources first 8\.7\d s ±\S+ \(n=5\) after a source change: 6\.1x faster \(p = 0\.008\) \(sequential: /);
  const none = claimsOf(makeRun([m('single', 'build-cold', [1])]));
  assert.is(get(none, 'layer-order').verdict, 'not measured');
  assert.match(get(none, 'layer-order').command, /--variant single,single-bad-order --phase build-warm-src/);
});

test('scan noise and the distroless shell come from the scan counts and hygiene findings', () => {
  const scan = (variant: string, os: number, vulns: [number, number, number, number]) => m(variant, 'scan', [900], { packages_os: os, vulns });
  const run = makeRun([scan('single', 180, [1, 5, 9, 30]), scan('multi', 88, [0, 2, 4, 10]), scan('distroless', 4, [0, 0, 0, 1])], {
    findings: [finding('app', 'single', 'hygiene', 'shell'), finding('app', 'multi', 'hygiene', 'shell'), finding('app', 'distroless', 'hygiene', 'source-map')],
  });
  const claims = claimsOf(run);
  const noise = get(claims, 'scan-noise');
  assert.is(noise.verdict, 'confirmed');
  assert.ok(noise.evidence.includes('app distroless: OS packages 4 vs 180, critical+high vulnerabilities 0 vs 6, hygiene findings 1 vs 1'), noise.evidence.join(' / '));
  const shell = get(claims, 'distroless-no-shell');
  assert.is(shell.verdict, 'confirmed');
  assert.equal(shell.evidence, ['app distroless: no shell found by the scan']);
  const withShell = claimsOf(makeRun([scan('single', 180, [0, 0, 0, 0]), scan('distroless', 4, [0, 0, 0, 0])], {
    findings: [finding('app', 'distroless', 'hygiene', 'shell')],
  }));
  assert.is(get(withShell, 'distroless-no-shell').verdict, 'refuted');
});

test('npm ci is never claimed from timings: not measured, with the static check to run', () => {
  const c = get(claimsOf(fullRun('express-api')), 'npm-ci');
  assert.is(c.verdict, 'not measured');
  assert.match(c.command, /tune express-api --variant single --static/);
});

test('the .dockerignore claim compares the rebuild with and without it, and says whether it halved', () => {
  const run = makeRun([
    m('single', 'build-context-ignored', [1000, 1010, 1020, 1030, 1040], { context_bytes: 148_480 }),
    m('single', 'build-context-full', [1500, 1510, 1520, 1530, 1540], { context_bytes: 75_578_880 }),
  ]);
  const c = get(claimsOf(run), 'dockerignore');
  assert.is(c.verdict, 'confirmed');
  assert.match(c.evidence[0], /^app single-stage: context 148\.5 kB vs 75\.6 MB; rebuild /);
  assert.match(c.evidence[0], /1\.5x faster \(paired by turn, 5 pairs, one-sided p = 0\.03\), less than half saved$/);
});

test('a claim is confirmed only when most of its pairs support it: one pair of six is not significant', () => {
  const support = { outcome: 'supports' as const, text: '' };
  const none = { outcome: 'inconclusive' as const, text: '' };
  const against = { outcome: 'contradicts' as const, text: '' };
  assert.is(verdictOf([support, none, none, none, none, none]), 'not significant');
  assert.is(verdictOf([support, support, support, support, none, none]), 'confirmed');
  assert.is(verdictOf([support, against, none]), 'mixed');
  assert.is(verdictOf([against, against, none]), 'refuted');
});

test.after(() => rmSync(work, { recursive: true, force: true }));

test.run();
