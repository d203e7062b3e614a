// The Chart.js browser build that report.html carries inline, read from the installed chart.js package.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { EnvironmentError } from '../errors.ts';

const BUILDS = ['chart.umd.min.js', 'chart.umd.js'];

export function readChartLibrary(): string {
  let dist: string;
  try {
    // The package's entry point sits in its dist folder, beside the browser (UMD) builds.
    dist = dirname(createRequire(import.meta.url).resolve('chart.js'));
  } catch (err) {
    throw new EnvironmentError("the chart.js package is not installed: run 'npm run setup' (or 'npm ci') in the stagebench folder", { cause: err });
  }
  const file = BUILDS.map((b) => join(dist, b)).find((f) => existsSync(f));
  if (!file) throw new EnvironmentError(`chart.js in ${dist} has no browser build (${BUILDS.join(' or ')}): reinstall it with 'npm ci'`);
  return readFileSync(file, 'utf8');
}
