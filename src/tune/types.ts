// Types of `stagebench tune`: the findings of the Dockerfile rules, the candidate's edits, the context size.

export const TUNE_RULES = [
  'deps-after-context-copy',
  'npm-install-with-lockfile',
  'install-not-frozen',
  'unpinned-global-install',
  'dockerignore-missing',
  'dockerignore-leaks',
  'unnamed-stage',
  'toolchain-in-final-stage',
  'no-user',
  'context-copy-in-runner',
  'install-without-cache-mount',
] as const;
export type TuneRule = (typeof TUNE_RULES)[number];

/** error: costs time on every build; warning: costs size, safety, or time on some builds; info: readability. */
export type TuneSeverity = 'error' | 'warning' | 'info';

export interface TuneFinding {
  rule: TuneRule;
  /** The file the line belongs to: the Dockerfile's path relative to the context, or '.dockerignore'. */
  file: string;
  /** 1-based line in `file`; null when the finding is about something absent (no .dockerignore). */
  line: number | null;
  severity: TuneSeverity;
  message: string;
  fix: string;
}

/** What the rules read: everything is data, so that they run without a filesystem. */
export interface TuneInput {
  /** The Dockerfile's path relative to the context folder, for messages. */
  dockerfilePath: string;
  dockerfile: string;
  /** Text of the context's .dockerignore, or null when there is none. */
  dockerignore: string | null;
  /** Names of the entries at the top of the build context (files and folders). */
  contextEntries: string[];
  /** The build context: scenario.json's `context` subfolder, relative to the scenario folder; '.' for the folder itself. */
  context?: string;
  /** Build stage the image stops at (docker build --target); the last stage when absent. */
  target?: string;
  /** Build args given to the build; they override the defaults of the ARGs before the first FROM. */
  buildArgs?: Record<string, string>;
}

export type CandidateEditKind = 'copy-manifests' | 'move-context-copy' | 'split-run' | 'npm-ci' | 'cache-mount';

export interface CandidateEdit {
  kind: CandidateEditKind;
  /** 1-based line of the original Dockerfile the edit is about. */
  line: number;
  description: string;
}

export interface Candidate {
  text: string;
  edits: CandidateEdit[];
}

export type { ContextSize, ContextTally } from '../dockerfile/context-size.ts';
