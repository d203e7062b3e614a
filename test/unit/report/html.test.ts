import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { collectFacts } from '../../../src/report/facts.ts';
import { htmlEscape, renderHtml, scriptJson } from '../../../src/report/html.ts';
import { loadRunData } from '../../../src/report/run-data.ts';
import { fullRun, makeRun, writeRunFolder, type RunFiles } from './run-folder.ts';

const work = mkdtempSync(join(tmpdir(), 'stagebench-html-'));
const LIBRARY = '/* chart library stand-in */ window.Chart = function () {};';
let runs = 0;

function htmlOf(run: RunFiles, library = LIBRARY): string {
  return renderHtml(collectFacts(loadRunData(writeRunFolder(join(work, `run-${runs++}`), run))), library);
}

test('the page carries the chart library, the chart data and the page script inline', () => {
  const html = htmlOf(fullRun());
  assert.ok(html.includes(`<script>${LIBRARY}</script>`));
  const json = html.match(/<script type="application\/json" id="stagebench-charts">(.*?)<\/script>/s);
  assert.ok(json, 'no chart data block');
  const specs = JSON.parse(json![1]) as Array<{ id: string }>;
  for (const s of specs) assert.ok(html.includes(`<canvas id="${s.id}"`), `no canvas for ${s.id}`);
  assert.is((html.match(/<canvas /g) ?? []).length, specs.length);
});

test('the claims open the page, the headlines and monthly worth follow, and the environment closes it', () => {
  const html = htmlOf(fullRun());
  const claims = html.indexOf('id="claims"');
  const worth = html.indexOf('id="worth"');
  assert.ok(claims > 0 && claims < html.indexOf('id="headlines"') && html.indexOf('id="headlines"') < worth && worth < html.indexOf('id="scenario-0"'));
  assert.match(html, /<td class="verdict-confirmed">confirmed<\/td>/);
  const headlines = html.indexOf('id="headlines"');
  const scenario = html.indexOf('id="scenario-0"');
  const environment = html.indexOf('id="environment"');
  assert.ok(headlines > 0 && headlines < scenario && scenario < environment, `${headlines} ${scenario} ${environment}`);
  assert.match(html, /<strong>express-api, multi-stage<\/strong>: 5\.3x smaller \(142\.0 MB vs 751\.0 MB\)\./);
});

test('strings from the data are escaped in the markup and cannot end a script block', () => {
  const hostile = '</script><img src=x onerror=alert(1)>&"\'';
  const html = htmlOf(makeRun([
    { scenario: hostile, variant: 'single', phase: 'run', samples: [100, 'failed: </script><b>x</b>'] },
    { scenario: hostile, variant: 'multi', phase: 'run', samples: [90] },
  ]));
  assert.not.ok(html.includes('<img'));
  assert.not.ok(html.includes('<b>x'));
  assert.ok(html.includes(htmlEscape(hostile)));
  // Only the page's own three scripts end: the data's '</script>' stays inert inside the JSON block.
  assert.is((html.match(/<\/script>/g) ?? []).length, 3);
  assert.ok(scriptJson({ a: '</script><!--' }).includes('\\u003c/script>\\u003c!--'));
});

test('a library text that holds "</script" is made inert rather than ending its block', () => {
  const html = htmlOf(fullRun(), 'var s = "</script>";');
  assert.ok(html.includes('var s = "<\\/script>";'));
  assert.is((html.match(/<\/script>/g) ?? []).length, 3);
});

test.after(() => rmSync(work, { recursive: true, force: true }));

test.run();
