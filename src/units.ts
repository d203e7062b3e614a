// How a figure reads to a person, one rule per unit, for every place that prints one: the terminal, the report (its
// text and its charts' labels), compare's table and markdown, tune, explain. Pure. The rules are in
// docs/ARCHITECTURE.md ("Units"); machine formats (CSV, JSON, export) keep the raw numbers.

/** What an unknown figure (null, undefined, NaN, infinite) reads as. */
export const UNKNOWN = '-';

function known(x: number | null | undefined): x is number {
  return x !== null && x !== undefined && Number.isFinite(x);
}

/**
 * Sizes in powers of 1000, as `docker images` prints them: "512 B", "148.5 kB", "233.8 MB", "1.52 GB". Gigabytes keep
 * two decimals: "1.0 GB" would hide the 1.02 GB that a table beside it shows as 1021.0 MB.
 */
export function formatBytes(bytes: number | null | undefined): string {
  if (!known(bytes)) return UNKNOWN;
  const units: Array<[number, string, number]> = [[1e9, 'GB', 2], [1e6, 'MB', 1], [1e3, 'kB', 1]];
  for (const [size, unit, decimals] of units) {
    if (Math.abs(bytes) >= size) return `${(bytes / size).toFixed(decimals)} ${unit}`;
  }
  return `${bytes} B`;
}

/**
 * Durations with three significant figures up to a minute, then minutes and seconds: "206 ms", "1.23 s", "26.7 s",
 * "2m05s". A negative duration (a saving) keeps its sign: "-1.23 s".
 */
export function formatDuration(ms: number | null | undefined): string {
  if (!known(ms)) return UNKNOWN;
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`;
  if (ms < 9995) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/** Percentages with one decimal: "12.3%", "0.4%"; `signed` for a change: "+25.0%", "-3.1%". */
export function formatPercent(pct: number | null | undefined, signed = false): string {
  if (!known(pct)) return UNKNOWN;
  return `${signed && pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;
}

/** How many times one figure is of another: "4.2x"; whole from 10 ("16x"); two decimals under 1 ("0.50x"). */
export function formatRatio(r: number | null | undefined): string {
  if (!known(r) || r <= 0) return UNKNOWN;
  return r >= 9.95 ? `${r.toFixed(0)}x` : `${r.toFixed(r >= 0.995 ? 1 : 2)}x`;
}

/** formatRatio of a / b; unknown when either is unknown or zero. */
export function ratio(a: number | null | undefined, b: number | null | undefined): string {
  if (!known(a) || !known(b) || a === 0 || b === 0) return UNKNOWN;
  return formatRatio(a / b);
}
