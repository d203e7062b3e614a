// Differences between the machines of two runs that make their timings hard to compare.
import type { RunInfo } from '../types.ts';

interface Checked {
  what: string;
  get: (info: RunInfo) => unknown;
}

const CHECKED: Checked[] = [
  { what: 'engine version', get: (i) => i.environment?.engine_version },
  { what: 'CPU count', get: (i) => i.environment?.cpus },
  { what: 'builder', get: (i) => i.environment?.builder },
  { what: 'profile', get: (i) => i.profile?.name },
  // A cold build through a warmed local proxy measures the Dockerfile; a direct one adds the internet's latency.
  // A run older than --npm-registry fetched directly.
  { what: 'npm registry', get: (i) => i.npm_registry?.kind ?? 'direct' },
];

/** One warning per differing property; labels name the two sides (e.g. their paths). */
export function environmentWarnings(
  a: { label: string; info?: RunInfo },
  b: { label: string; info?: RunInfo },
): string[] {
  const missing = [a, b].filter((s) => s.info === undefined);
  if (missing.length > 0) {
    return missing.map((s) => `${s.label} has no run.json beside its samples: its engine, CPUs, builder, profile and npm registry are not checked`);
  }
  const warnings: string[] = [];
  for (const { what, get } of CHECKED) {
    const va = get(a.info as RunInfo);
    const vb = get(b.info as RunInfo);
    if (va !== vb) {
      warnings.push(`${what} differs: ${String(va)} in ${a.label}, ${String(vb)} in ${b.label}; timings may differ for that reason alone`);
    }
  }
  return warnings;
}
