// Visual regression of report.html: the charts of a fixed run, screenshotted in headless Chromium, against a
// committed reference image, pixel by pixel with a tolerance for anti-aliasing. A chart that stops drawing, or draws
// something else, fails; the same page without its chart library is shown to fail, so the check can fail at all.
// STAGEBENCH_UPDATE_REFERENCE=1 writes the reference anew (look at it before committing it).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pixelmatch from 'pixelmatch';
import type { BrowserContext } from 'playwright-core';
import { PNG } from 'pngjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readChartLibrary } from '../../src/report/chart-library.ts';
import { collectFacts } from '../../src/report/facts.ts';
import { renderHtml } from '../../src/report/html.ts';
import { loadRunData } from '../../src/report/run-data.ts';
import { launchChromium } from '../support/browser.ts';
import { fullRun, writeRunFolder } from '../unit/report/run-folder.ts';

const REFERENCE = join(dirname(fileURLToPath(import.meta.url)), 'reference', 'express-api-charts.png');
/** Share of pixels that may differ (font anti-aliasing, sub-pixel placement) before the picture counts as changed. */
const TOLERANCE = 0.01;

const work = mkdtempSync(join(tmpdir(), 'stagebench-visual-'));
let context: BrowserContext | undefined;

async function chartsScreenshot(name: string, chartLibrary: string): Promise<PNG> {
  const facts = collectFacts(loadRunData(writeRunFolder(join(work, name), fullRun('express-api'))));
  const file = join(work, `${name}.html`);
  writeFileSync(file, renderHtml(facts, chartLibrary));
  context ??= await launchChromium(join(work, 'profile'));
  const page = await context.newPage();
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const shot = await page.locator('#scenario-0 .charts').screenshot({ animations: 'disabled' });
  await page.close();
  return PNG.sync.read(shot);
}

function differingShare(a: PNG, b: PNG): number {
  if (a.width !== b.width || a.height !== b.height) return 1;
  const diff = new PNG({ width: a.width, height: a.height });
  const n = pixelmatch(a.data, b.data, diff.data, a.width, a.height, { threshold: 0.1 });
  writeFileSync(join(work, 'diff.png'), PNG.sync.write(diff));
  return n / (a.width * a.height);
}

test('the charts of a fixed run look like the committed reference', async () => {
  const shot = await chartsScreenshot('drawn', readChartLibrary());
  if (process.env.STAGEBENCH_UPDATE_REFERENCE === '1') {
    mkdirSync(dirname(REFERENCE), { recursive: true });
    writeFileSync(REFERENCE, PNG.sync.write(shot));
  }
  assert.ok(existsSync(REFERENCE), `no reference image ${REFERENCE}: make it with STAGEBENCH_UPDATE_REFERENCE=1 and look at it`);
  const reference = PNG.sync.read(readFileSync(REFERENCE));
  assert.equal([shot.width, shot.height], [reference.width, reference.height], 'the charts area changed size');
  const share = differingShare(shot, reference);
  writeFileSync(join(work, 'drawn.png'), PNG.sync.write(shot));
  assert.ok(share <= TOLERANCE, `${(share * 100).toFixed(2)}% of the pixels differ from ${REFERENCE} (at most ${TOLERANCE * 100}%): see ${work}/drawn.png and diff.png`);
});

test('a page whose charts do not draw differs from the reference far beyond the tolerance', async () => {
  const shot = await chartsScreenshot('undrawn', '/* no chart library */');
  const share = differingShare(shot, PNG.sync.read(readFileSync(REFERENCE)));
  assert.ok(share > 5 * TOLERANCE, `only ${(share * 100).toFixed(2)}% of the pixels differ`);
});

test.after(async () => {
  await context?.close();
  // The pictures stay for a person to look at when the check fails; the runs and the browser profile go.
  for (const dir of ['profile', 'drawn', 'undrawn']) rmSync(join(work, dir), { recursive: true, force: true });
});

test.run();
