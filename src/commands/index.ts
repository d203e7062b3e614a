// The subcommands, loaded on demand so that `stagebench compare` never loads dockerode.
import type { Command } from './command.ts';

export const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  run: { summary: 'measure phases of scenarios and variants into results/RUN_ID/', load: async () => (await import('./run.ts')).runCommand },
  compare: { summary: 'compare two runs: faster, slower or same per phase, bigger or smaller per image', load: async () => (await import('./compare.ts')).compareCommand },
  report: { summary: 'write report.md and a self-contained report.html (charts) for a run', load: async () => (await import('./report.ts')).reportCommand },
  merge: { summary: 'merge the run folders of shards (--shard I/N) into one run', load: async () => (await import('./merge.ts')).mergeCommand },
  export: { summary: 'export a run for other tools: github-action-benchmark JSON, summary JSON', load: async () => (await import('./export.ts')).exportCommand },
  explain: { summary: 'where every byte of an image comes from: layers, folders, dependencies, toolchain, caches, wasted; a verdict', load: async () => (await import('./explain.ts')).explainCommand },
  tune: { summary: 'find the instruction that throws the layer cache away, and measure what the reorder saves', load: async () => (await import('./tune.ts')).tuneCommand },
  why: { summary: 'why each rebuilt step missed the cache: the changed file, build arg, ENV, base image or instruction, and the cascade', load: async () => (await import('./why.ts')).whyCommand },
  init: { summary: 'make a scenario folder from an existing app: Dockerfiles, scenario.json, dependency change, then check it', load: async () => (await import('./init.ts')).initCommand },
  scenarios: { summary: 'list the scenarios, or check every one of them (schema, files, Dockerfiles, lockfiles) before a run', load: async () => (await import('./scenarios.ts')).scenariosCommand },
  setup: { summary: 'make the machine ready: Docker engine, registry binary, base images (official or offline stand-ins)', load: async () => (await import('./setup.ts')).setupCommand },
  doctor: { summary: 'check the engine, BuildKit, base images, registry binary and scanners', load: async () => (await import('./doctor.ts')).doctorCommand },
  clean: { summary: 'remove what killed runs left behind (containers, images, registry, second engine, temp folders)', load: async () => (await import('./clean.ts')).cleanCommand },
};
