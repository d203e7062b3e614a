// The labels the harness puts on every image and container it makes, and the names its images get. The clean-up
// (run/leftovers, registry/target-engine, `stagebench clean`) finds what a run left by these labels alone.

export const LABEL_RUN = 'org.stagebench.run';
export const LABEL_SCENARIO = 'org.stagebench.scenario';
export const LABEL_VARIANT = 'org.stagebench.variant';
/** On a service container of the run phase (scenario.json run.services): the service's name. */
export const LABEL_SERVICE = 'org.stagebench.service';

export function imageRef(scenario: string, variant: string): { repo: string; tag: string; ref: string } {
  const repo = `stagebench/${scenario}`;
  return { repo, tag: variant, ref: `${repo}:${variant}` };
}
