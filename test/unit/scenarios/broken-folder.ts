// A copy of the shipped express-api scenario (without node_modules) that a test breaks in one place, and the check
// run on it as the command runs it: with the project's own profiles.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProfile } from '../../../src/profile/profile.ts';
import { checkScenario, type CheckProblem, type ScenarioCheck } from '../../../src/scenario/check.ts';
import { PROFILE_NAMES } from '../../../src/types.ts';
import { tempDir } from '../../support/temp-dir.ts';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SHIPPED = join(ROOT, 'scenarios');

const BASE = 'express-api';
const BASE_FILES = [
  'scenario.json', 'Dockerfile.single', 'Dockerfile.multi', 'Dockerfile.distroless', 'Dockerfile.single-bad-order', 'Dockerfile.multi-same-base',
  'package.json', 'package-lock.json', 'bench-changes/package.json', 'bench-changes/package-lock.json', '.dockerignore',
  'src/server.ts',
];

/** ROOT/express-api/ in a fresh temp folder with the files scenario.json names; returns [root, scenario folder]. */
export function baseScenario(): { root: string; dir: string } {
  const root = tempDir('scenarios-check');
  const dir = join(root, BASE);
  for (const f of BASE_FILES) cpSync(join(SHIPPED, BASE, f), join(dir, f));
  return { root, dir };
}

export function editText(dir: string, rel: string, change: (text: string) => string): void {
  const file = join(dir, rel);
  writeFileSync(file, change(readFileSync(file, 'utf8')));
}

export function editJson(dir: string, rel: string, change: (json: any) => void): void {
  editText(dir, rel, (text) => {
    const json = JSON.parse(text);
    change(json);
    return `${JSON.stringify(json, null, 2)}\n`;
  });
}

export function check(dir: string): ScenarioCheck {
  return checkScenario(dir, PROFILE_NAMES.map((name) => loadProfile(name)));
}

export function errors(r: ScenarioCheck): CheckProblem[] {
  return r.problems.filter((p) => p.severity === 'error');
}

export function warnings(r: ScenarioCheck): CheckProblem[] {
  return r.problems.filter((p) => p.severity === 'warning');
}

/** For assertion messages: every problem on a line. */
export function shown(r: ScenarioCheck): string {
  return r.problems.map((p) => `${p.severity} ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`).join('\n') || '(no problems)';
}
