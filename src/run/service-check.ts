// Before the first sample: every service image the run phase needs is on the engine or pulled now (untimed). A
// scenario whose service image cannot be had (no registry reachable) has its run phase skipped with the reason and
// the command that would measure it: a skip, not failed samples.
import { relative } from 'node:path';
import type { ServiceContainers } from '../sidecars/service-containers.ts';
import type { PhaseName } from '../types.ts';
import type { RunPlanItem } from './runner.ts';

/** run.json's record of a phase the run left out for a scenario, and why. */
export interface SkippedPhase {
  scenario: string;
  phase: PhaseName;
  reason: string;
  /** What to run to measure it once the reason is gone. */
  command: string;
}

/** The command that measures the run phase of a scenario once its images are there. Pure. */
export function measureCommand(images: string[], scenariosDir: string, scenario: string, cwd = process.cwd()): string {
  const rel = relative(cwd, scenariosDir) || '.';
  const dir = rel.startsWith('..') ? scenariosDir : rel;
  const flag = dir === 'scenarios' ? '' : ` --scenarios ${dir}`;
  return `${images.map((i) => `docker pull ${i} && `).join('')}npm run bench --${flag} --scenario ${scenario} --phase run`;
}

/** The plan without the run phase of scenarios whose service images are missing, and what was skipped. */
export async function skipUnavailableServices(
  plan: readonly RunPlanItem[],
  pool: Pick<ServiceContainers, 'imageProblem'>,
  scenariosDir: string,
  note: (line: string) => void,
): Promise<{ plan: RunPlanItem[]; skipped: SkippedPhase[] }> {
  const skipped: SkippedPhase[] = [];
  const out: RunPlanItem[] = [];
  const problems = new Map<string, string | undefined>();
  for (const item of plan) {
    const services = Object.values(item.scenario.run?.services ?? {});
    const measuresRun = item.variants.some((v) => (item.entries[v] ?? []).some((e) => e.phase === 'run'));
    if (services.length === 0 || !measuresRun) {
      out.push(item);
      continue;
    }
    const missing: Array<{ image: string; why: string }> = [];
    for (const image of [...new Set(services.map((s) => s.image))]) {
      if (!problems.has(image)) problems.set(image, await pool.imageProblem(image));
      const why = problems.get(image);
      if (why) missing.push({ image, why });
    }
    if (missing.length === 0) {
      out.push(item);
      continue;
    }
    const reason = `run.services: ${missing.map((m) => m.why).join('; ')}`;
    const command = measureCommand(missing.map((m) => m.image), scenariosDir, item.scenario.name);
    skipped.push({ scenario: item.scenario.name, phase: 'run', reason, command });
    note(`stagebench: ${item.scenario.name}: run phase skipped, not measured: ${reason}. To measure it: ${command}`);
    out.push({ ...item, entries: Object.fromEntries(Object.entries(item.entries).map(([v, es]) => [v, es.filter((e) => e.phase !== 'run')])) });
  }
  return { plan: out, skipped };
}
