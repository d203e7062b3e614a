// report.html in a real headless Chromium (Debian's, installed by bench/ensure-chromium.sh): the page loads from
// file:// with no network, every chart is drawn by Chart.js, the headlines are there, data cannot inject markup,
// and nothing is logged as an error. A screenshot is left in a temp folder for a person to look at.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { reportCommand } from '../../src/commands/report.ts';
import { collectFacts } from '../../src/report/facts.ts';
import { headlines } from '../../src/report/headlines.ts';
import { loadRunData } from '../../src/report/run-data.ts';
import { launchChromium } from '../support/browser.ts';
import { fullComposition, fullRun, makeRun, writeRunFolder, type Measure } from '../unit/report/run-folder.ts';

const HOSTILE = 'evil<img src=x onerror="window.__injected=1"></script><script>window.__injected=2</script>';

interface Loaded {
  page: Page;
  context: BrowserContext;
  consoleErrors: string[];
  pageErrors: string[];
  requests: string[];
}

const work = mkdtempSync(join(tmpdir(), 'stagebench-report-browser-'));
let loaded: Loaded | undefined;

/** A run of a real-looking scenario, plus one whose name tries to inject markup and whose phases partly failed. */
function writeRun(): string {
  const full = fullRun('express-api');
  const hostile: Measure[] = [
    { scenario: HOSTILE, variant: 'single', phase: 'build-cold', samples: [9000, 9400, 'build-cold had 2 cached steps <b>x</b>'], image_bytes: 300e6 },
    { scenario: HOSTILE, variant: 'multi', phase: 'build-cold', samples: ['error from the stream: </script>', 'daemon said no'], image_bytes: 90e6 },
    { scenario: HOSTILE, variant: 'multi', phase: 'run', samples: [250, 260] },
    { scenario: HOSTILE, variant: 'single', phase: 'run', samples: [300, 320] },
  ];
  const extra = makeRun(hostile);
  return writeRunFolder(join(work, 'run'), {
    ...full,
    samples: [...full.samples, ...extra.samples],
    summary: [...full.summary, ...extra.summary],
    composition: fullComposition('express-api'),
  });
}

async function open(): Promise<Loaded> {
  if (loaded) return loaded;
  const runDir = writeRun();
  const log = console.log;
  console.log = () => {};
  try {
    assert.is(await reportCommand.run([runDir]), 0);
  } finally {
    console.log = log;
  }
  const context = await launchChromium(join(work, 'profile'));
  const page = context.pages()[0] ?? (await context.newPage());
  const result: Loaded = { page, context, consoleErrors: [], pageErrors: [], requests: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') result.consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => result.pageErrors.push(err.message));
  // The report must be self-contained: any request that is not the file itself is recorded and refused.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    result.requests.push(url);
    return route.abort();
  });
  await page.goto(pathToFileURL(join(runDir, 'report.html')).href, { waitUntil: 'load' });
  loaded = result;
  return result;
}

test('the page loads from file:// without errors in the console, page errors or network requests', async () => {
  const { page, consoleErrors, pageErrors, requests } = await open();
  assert.match(await page.title(), /stagebench report/);
  assert.equal(pageErrors, []);
  assert.equal(consoleErrors, []);
  assert.equal(requests, []);
});

test('every chart canvas exists and Chart.js drew it', async () => {
  const { page } = await open();
  const specs = JSON.parse(readFileSync(join(work, 'run', 'report.html'), 'utf8').match(
    /<script type="application\/json" id="stagebench-charts">(.*?)<\/script>/s,
  )![1]) as Array<{ id: string }>;
  assert.ok(specs.length >= 8, `expected the charts of two scenarios, found ${specs.length}`);
  const canvases = await page.evaluate(() => {
    const Chart = (window as unknown as { Chart: { getChart(c: HTMLCanvasElement): unknown } }).Chart;
    return [...document.querySelectorAll('canvas')].map((c) => {
      const ctx = c.getContext('2d')!;
      const pixels = ctx.getImageData(0, 0, c.width, c.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted += 1;
      return { id: c.id, chart: Chart.getChart(c) !== undefined, width: c.width, height: c.height, painted };
    });
  });
  assert.equal(canvases.map((c) => c.id).sort(), specs.map((s) => s.id).sort());
  for (const c of canvases) {
    assert.ok(c.chart, `${c.id}: no Chart instance`);
    assert.ok(c.width > 0 && c.height > 0, `${c.id}: empty canvas ${c.width}x${c.height}`);
    assert.ok(c.painted > 500, `${c.id}: only ${c.painted} painted pixels`);
  }
  assert.is(await page.getAttribute('html', 'data-charts-drawn'), String(specs.length));
});

test('where the bytes go: a stacked bar per variant, seven categories, each bar as tall as the variant\'s bytes', async () => {
  const { page } = await open();
  // Only express-api has composition rows (the hostile scenario has none): one such chart on the page.
  assert.is(await page.locator('canvas[id$="-composition"]').count(), 1);
  assert.is(await page.locator('figure:has(canvas[id$="-composition"]) h3').innerText(), 'Where the bytes go');
  const drawn = await page.evaluate(() => {
    type Bar = { y: number; base: number };
    type Drawn = {
      data: { labels: string[]; datasets: Array<{ label: string; data: number[]; stack: string }> };
      options: { scales: { x: { stacked: boolean }; y: { stacked: boolean } } };
      legend: { legendItems: Array<{ text: string }> };
      scales: { y: { getValueForPixel(p: number): number } };
      getDatasetMeta(i: number): { data: Bar[] };
    };
    const Chart = (window as unknown as { Chart: { getChart(c: HTMLCanvasElement): Drawn | undefined } }).Chart;
    const chart = Chart.getChart(document.querySelector('canvas[id$="-composition"]') as HTMLCanvasElement)!;
    const bars = chart.data.datasets.map((_, i) => chart.getDatasetMeta(i).data);
    // The top of each variant's stack, read back through the drawn y axis.
    const tops = chart.data.labels.map((_, j) => chart.scales.y.getValueForPixel(Math.min(...bars.map((b) => b[j].y))));
    return {
      labels: chart.data.labels,
      series: chart.data.datasets.map((d) => ({ label: d.label, stack: d.stack, data: d.data })),
      stacked: [chart.options.scales.x.stacked, chart.options.scales.y.stacked],
      legend: chart.legend.legendItems.map((i) => i.text),
      tops,
    };
  });
  assert.equal(drawn.labels, ['single', 'multi', 'distroless']);
  assert.equal(drawn.stacked, [true, true]);
  const categories = ['runtime', 'production dependencies', 'devDependencies', 'toolchain', 'caches', 'app', 'wasted'];
  assert.equal(drawn.series.map((d) => d.label), categories);
  assert.equal(drawn.legend, categories);
  assert.ok(drawn.series.every((d) => d.stack === 'bytes'));
  assert.equal(drawn.series.find((d) => d.label === 'devDependencies')!.data, [180, 0, 0]);
  // fixture: 751, 142 and 118 MB; a pixel is about 3 MB on this axis.
  [751, 142, 118].forEach((mb, j) => assert.ok(Math.abs(drawn.tops[j] - mb) < 6, `bar ${j} drawn up to ${drawn.tops[j]} MB, not ${mb}`));
  const table = await page.locator('.block-composition').innerText();
  assert.match(table, /devDependencies\s+180\.0 MB\s+0 B\s+0 B/);
});

test('the claims open the page, the headlines computed from the data follow', async () => {
  const { page } = await open();
  const expected = headlines(collectFacts(loadRunData(join(work, 'run'))));
  assert.ok(expected.length >= 2);
  const shown = await page.locator('#headlines li').allInnerTexts();
  assert.is(shown.length, expected.length);
  for (const h of expected) assert.ok(shown.some((s) => s.includes(h.claims[0])), `missing headline: ${h.text}`);
  assert.ok(shown.some((s) => s.includes('5.3x smaller (142.0 MB vs 751.0 MB)')));
  const sections = await page.evaluate(() => [...document.querySelectorAll('main > section')].slice(0, 2).map((s) => s.id));
  assert.equal(sections, ['claims', 'headlines']);
  assert.match(await page.locator('#claims').innerText(), /Multi-stage and distroless images are much smaller\s+confirmed/);
});

test('names and errors from the data show as text and run no markup', async () => {
  const { page } = await open();
  assert.is(await page.evaluate(() => (window as unknown as { __injected?: number }).__injected), undefined);
  assert.is(await page.locator('img').count(), 0);
  const body = await page.locator('body').innerText();
  assert.ok(body.includes(HOSTILE), 'the hostile scenario name is not shown as text');
  assert.ok(body.includes('error from the stream: </script>'));
});

test('the environment closes the page', async () => {
  const { page } = await open();
  const lastSection = await page.evaluate(() => [...document.querySelectorAll('main > section')].at(-1)?.id);
  assert.is(lastSection, 'environment');
  assert.match(await page.locator('#environment').innerText(), /Docker 20\.10\.24/);
});

test('a full-page screenshot is taken for a person to look at', async () => {
  const { page } = await open();
  const file = join(work, 'report.png');
  await page.screenshot({ path: file, fullPage: true });
  assert.ok(readFileSync(file).length > 10_000);
  console.log(`  screenshot: ${file}`);
});

// The screenshot stays for a person to look at; the run folder and the browser profile go.
test.after(async () => {
  await loaded?.context.close();
  for (const dir of ['run', 'profile']) rmSync(join(work, dir), { recursive: true, force: true });
});

test.run();
