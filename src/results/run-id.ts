// Run ids: the name of a run's folder under results/ and the label on everything the run makes. One format for
// runs, tunes and merges, so that `clean` recognises the leftovers of each and --resume the folder of a run.

/** YYYYMMDD-HHMMSS in UTC. */
export function runStamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** A run: its start time and four random hex digits, so that two runs started in one second differ. */
export function newRunId(now = new Date()): string {
  return `${runStamp(now)}-${Math.random().toString(16).slice(2, 6).padEnd(4, '0')}`;
}

/** A tune of one variant. */
export function tuneRunId(scenario: string, variant: string, now = new Date()): string {
  return `tune-${scenario}-${variant}-${runStamp(now)}`;
}

/** The run that merge writes. */
export function mergedRunId(now: Date): string {
  return `${runStamp(now)}-merged`;
}

/** The ids newRunId and tuneRunId make, as a regular expression source (for names that embed one). */
export const MADE_RUN_ID = '(?:\\d{8}-\\d{6}-[0-9a-f]{4}|tune-[a-z0-9._-]+-\\d{8}-\\d{6})';

/** What --resume accepts as a run id read back from run.json: a folder name and a label value, nothing more. */
export const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
