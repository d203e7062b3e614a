// The report's size section opens with the waterfall from single to multi and to distroless (parts adding up to the
// change in file bytes, both sizes labelled), and the size claim carries its split into stages alone and base swap
// where the run scanned the control (multi-stage on single's base); without it, a note says the two are not apart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { collectFacts } from '../../../src/report/facts.ts';
import { renderMarkdown } from '../../../src/report/markdown.ts';
import { loadRunData } from '../../../src/report/run-data.ts';
import { sizeWaterfalls, splitPhrase } from '../../../src/report/size-waterfall.ts';
import { claimsOfRun } from '../../../src/report/team-tables.ts';
import { SIZE_CONTROL_VARIANT } from '../../../src/stats/size-split.ts';
import { COMPOSITION_CATEGORIES } from '../../../src/types.ts';
import { fullComposition, fullRun, makeRun, sampleRows, writeRunFolder, type RunFiles } from './run-folder.ts';

const work = mkdtempSync(join(tmpdir(), 'stagebench-size-waterfall-'));
let runs = 0;
const MB = 1_000_000;

function facts(run: RunFiles) {
  return collectFacts(loadRunData(writeRunFolder(join(work, `run-${runs++}`), run)));
}

/** fullRun with the control scanned: 562 MB, single's runtime and toolchain, multi's dependencies and app. */
function withControl(): RunFiles {
  const run = fullRun();
  const control = makeRun([{ scenario: 'express-api', variant: SIZE_CONTROL_VARIANT, phase: 'scan', samples: [900], image_bytes: 562 * MB, layers: 9 }]);
  const bytes = [420 * MB, 60 * MB, 0, 70 * MB, 7 * MB, 5 * MB, 0];
  return {
    ...run,
    samples: [...run.samples, ...control.samples],
    summary: [...run.summary, ...control.summary],
    composition: [...fullComposition(), ...COMPOSITION_CATEGORIES.map((category, i) => ({ scenario: 'express-api', variant: SIZE_CONTROL_VARIANT, category, bytes: bytes[i] }))],
  };
}

test('single to multi and to distroless: parts add up to the change in file bytes', () => {
  const s = facts(withControl()).scenarios[0];
  const falls = sizeWaterfalls(s);
  assert.equal(falls.map((w) => `${w.from}>${w.to}`), ['single>multi', 'single>distroless']);
  for (const w of falls) assert.is(w.parts.reduce((n, p) => n + p.bytes, 0), w.difference);
  assert.equal(falls[0].parts.map((p) => p.bytes / MB), [-350, -70, -180, -8, -1, 0]);
  assert.is(falls[0].uncompressed.from, 751 * MB);
  assert.is(falls[0].compressed.to, Math.round(142 * MB * 0.38));
});

test('the split: the two factors multiply to the whole, stages against the control, base swap from it', () => {
  const s = facts(withControl()).scenarios[0];
  // 751/142 = 5.29, 751/562 = 1.34, 562/142 = 3.96.
  assert.is(splitPhrase(s, 'multi'), '5.3x smaller: stages alone 1.3x, base swap 4.0x');
  const claim = claimsOfRun(facts(withControl())).find((c) => c.id === 'smaller-images')!;
  assert.ok(claim.evidence.some((e) => e === 'express-api multi-stage 142.0 MB vs 751.0 MB: 5.3x smaller: stages alone 1.3x, base swap 4.0x'), claim.evidence.join('\n'));
  assert.is(splitPhrase(facts(fullRun()).scenarios[0], 'multi'), undefined);
});

test('report.md opens the scenario with the waterfall, before the image size; both sizes labelled; the split noted', () => {
  const md = renderMarkdown(facts(withControl()));
  const section = md.slice(md.indexOf('## express-api'));
  const at = section.indexOf('### Where the size difference comes from');
  assert.ok(at > 0 && at < section.indexOf('### Image size'), 'waterfall first');
  assert.match(section, '| part | single → multi | share | single → distroless | share |');
  assert.match(section, /\| base image smaller runtime \| -350\.0 MB \| 57\.\d% \|/);
  assert.match(section, 'image size, uncompressed (docker images)');
  assert.match(section, 'compressed (as pushed)');
  assert.match(section, `single → multi: 5.3x smaller: stages alone 1.3x, base swap 4.0x (single → ${SIZE_CONTROL_VARIANT} → multi`);
});

test('without the control the report says the stages and the base swap are not told apart; without compositions, no waterfall', () => {
  const md = renderMarkdown(facts({ ...fullRun(), composition: fullComposition() }));
  assert.match(md, `No ${SIZE_CONTROL_VARIANT} variant`);
  assert.match(md, /multi-stage 142\.0 MB vs 751\.0 MB: 5\.3x smaller\b/);
  assert.not.match(renderMarkdown(facts(fullRun())), 'Where the size difference comes from');
});

test.after(() => rmSync(work, { recursive: true, force: true }));

test.run();
