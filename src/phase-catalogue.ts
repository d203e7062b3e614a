// Every phase stagebench measures, described once: its name, group, whether it gets warm-up samples, which handler in
// src/phases measures it, its labels on screen and in the report, its chart colour, and where it stands in the order
// sizes are taken from. PHASES, PHASE_GROUPS, the handler table, the run table, the report and the charts read this;
// a new phase is one entry here plus its handler (docs/ARCHITECTURE.md, "Adding a phase"). Pure data.

/** Which handler factory in src/phases measures a phase (phases/index.ts maps each to its function). */
export type PhaseHandlerKind = 'build' | 'registry' | 'scan' | 'start' | 'context';

export interface PhaseInfo {
  name: string;
  /** The --phase group the phase belongs to, if any. */
  group?: 'build' | 'push' | 'pull' | 'context';
  /** Whether warm-up samples run before the timed ones (a cold phase's first sample is the cold one: no warm-up). */
  warmups: boolean;
  handler: PhaseHandlerKind;
  /** The run table's column header (terminal). */
  short: string;
  /** The report's description. */
  label: string;
  /** Chart colour; phases with no time chart have none. */
  colour?: string;
  /**
   * Rank when sizes (image bytes, compressed bytes, vulnerabilities) are taken from the first phase that reports
   * them: images built from the scenario as it is come first; build-warm-src and build-warm-deps images carry a
   * changed file or dependency, and push-warm/pull-warm move those images.
   */
  sizeRank: number;
}

export const PHASE_CATALOGUE = [
  { name: 'build-cold', group: 'build', warmups: false, handler: 'build', short: 'cold', label: 'cold build', colour: '#2f6db5', sizeRank: 0 },
  { name: 'build-warm', group: 'build', warmups: true, handler: 'build', short: 'warm', label: 'warm rebuild, nothing changed', colour: '#8db8e8', sizeRank: 1 },
  { name: 'build-warm-src', group: 'build', warmups: true, handler: 'build', short: 'src', label: 'rebuild after a source change', colour: '#e39b2d', sizeRank: 6 },
  { name: 'build-warm-deps', group: 'build', warmups: true, handler: 'build', short: 'deps', label: 'rebuild after a dependency change', colour: '#b8473f', sizeRank: 7 },
  { name: 'push-cold', group: 'push', warmups: false, handler: 'registry', short: 'push', label: 'push to an empty registry', colour: '#2f6db5', sizeRank: 2 },
  { name: 'push-warm', group: 'push', warmups: true, handler: 'registry', short: 'push-w', label: 'push of the source-changed image', colour: '#8db8e8', sizeRank: 8 },
  { name: 'pull-cold', group: 'pull', warmups: false, handler: 'registry', short: 'pull', label: 'pull into an empty engine', colour: '#2e8b57', sizeRank: 3 },
  { name: 'pull-warm', group: 'pull', warmups: true, handler: 'registry', short: 'pull-w', label: 'pull of the source-changed image', colour: '#93cfa9', sizeRank: 9 },
  { name: 'scan', warmups: true, handler: 'scan', short: 'scan', label: 'scan', sizeRank: 4 },
  { name: 'run', warmups: true, handler: 'start', short: 'start', label: 'start-up until the smoke request answers', colour: '#6a55c2', sizeRank: 5 },
  {
    name: 'build-context-ignored', group: 'context', warmups: true, handler: 'context', short: 'ctx-ign', colour: '#2e8b57', sizeRank: 10,
    label: 'rebuild after a source change, node_modules and .git in the folder, .dockerignore applied',
  },
  {
    name: 'build-context-full', group: 'context', warmups: true, handler: 'context', short: 'ctx-full', colour: '#b8473f', sizeRank: 11,
    label: 'the same rebuild without the .dockerignore: node_modules and .git sent as context',
  },
] as const satisfies readonly PhaseInfo[];

export type PhaseName = (typeof PHASE_CATALOGUE)[number]['name'];

/** The catalogue entry of a phase. */
export function phaseInfo(name: PhaseName): PhaseInfo {
  return PHASE_CATALOGUE.find((p) => p.name === name)!;
}

/** Phases in the order the size metrics are taken from (sizeRank). */
export const SIZE_SOURCE_ORDER: readonly PhaseName[] = [...PHASE_CATALOGUE].sort((a, b) => a.sizeRank - b.sizeRank).map((p) => p.name);
