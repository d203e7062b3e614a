// stagebench scenarios [list|check]: what scenarios there are, and whether each would build, before any build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { choiceValue, parseCommandArgs } from '../args.ts';
import { EXIT, UsageError } from '../errors.ts';
import { loadProfile } from '../profile/profile.ts';
import { checkScenario, type CheckProblem, type ScenarioCheck } from '../scenario/check.ts';
import { scenarioDirs } from '../scenario/load.ts';
import { PROFILE_NAMES, type Profile } from '../types.ts';
import type { Command } from './command.ts';

const ACTIONS = ['list', 'check'] as const;
const FORMATS = ['text', 'json'] as const;

const HELP = `Usage: stagebench scenarios [list|check] [--scenarios DIR] [--format text|json]

  list (default)  one line per scenario folder: its name, variants and description; a folder that check rejects
                  is listed as INVALID with its first error; a folder without scenario.json is named on stderr
  check           validates every scenario and reports every problem, each with its file (and line), what is wrong
                  and what to do, then a one-line verdict:
                    scenario.json against its schema, and the files it names exist inside the folder
                    each variant's Dockerfile: it parses, has a FROM, its target stage exists, its base images are
                    ARGs that the profiles (bench/profiles/*.json) set, with the online images as defaults
                    package-lock.json in sync with package.json (as npm ci compares them), lockfileVersion 2 or later;
                    the same for the dependency change's replacement manifests
                    a .dockerignore that keeps node_modules and the replacement manifests out of the context
                  Warnings (a "resolved" address in a lockfile, an ARG default that is not the official image, no
                  .dockerignore) are shown but do not fail the check.

Options:
  --scenarios DIR   folder of scenario folders (default ./scenarios)
  --format F        text (default) or json: {"scenarios":[{"name","dir","valid","description","variants",
                    "problems":[{"severity","file","line","message"}]}]}

Exit codes: list 0; check 0 when no scenario has an error, 2 when any has (or DIR holds no scenario folder).`;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** What check decides, errors only: a scenario that check rejects is never listed as fine. */
function listEntry(dir: string, profiles: Profile[]): ScenarioCheck {
  const r = checkScenario(dir, profiles);
  return { ...r, problems: r.problems.filter((p) => p.severity === 'error') };
}

/** Folders in the scenarios folder that are not scenarios (no scenario.json), which a user may have meant to be. */
export function foldersWithoutScenarioJson(root: string): string[] {
  return readdirSync(root)
    .filter((n) => !n.startsWith('.') && statSync(join(root, n)).isDirectory() && !existsSync(join(root, n, 'scenario.json')))
    .sort();
}

export function listText(entries: ScenarioCheck[]): string {
  const nameWidth = Math.max(...entries.map((e) => e.name.length));
  const variantTexts = entries.map((e) => (e.valid ? e.variants.join(', ') : 'INVALID'));
  const variantWidth = Math.max(...variantTexts.map((v) => v.length));
  return entries
    .map((e, i) => {
      const first = e.problems[0];
      const rest = e.valid ? (e.description ?? '') : `${first.file}: ${first.message}${e.problems.length > 1 ? ` (and ${e.problems.length - 1} more: stagebench scenarios check)` : ''}`;
      return `${e.name.padEnd(nameWidth)}  ${variantTexts[i].padEnd(variantWidth)}  ${rest}`.trimEnd();
    })
    .join('\n');
}

function problemLine(p: CheckProblem): string {
  return `  ${p.severity === 'error' ? 'error  ' : 'warning'} ${p.file}${p.line !== undefined ? `:${p.line}` : ''}: ${p.message}`;
}

export function checkText(results: ScenarioCheck[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const errors = r.problems.filter((p) => p.severity === 'error').length;
    const warnings = r.problems.length - errors;
    const status = errors > 0 ? `INVALID: ${plural(errors, 'error')}` : 'ok';
    lines.push(`${r.name} (${r.dir}): ${status}${warnings > 0 ? `, ${plural(warnings, 'warning')}` : ''}`);
    // Errors first: they are what stops a run.
    for (const p of r.problems.filter((q) => q.severity === 'error')) lines.push(problemLine(p));
    for (const p of r.problems.filter((q) => q.severity === 'warning')) lines.push(problemLine(p));
  }
  const errors = results.reduce((n, r) => n + r.problems.filter((p) => p.severity === 'error').length, 0);
  const warnings = results.reduce((n, r) => n + r.problems.length, 0) - errors;
  const invalid = results.filter((r) => !r.valid).length;
  lines.push(
    invalid > 0
      ? `check failed: ${plural(errors, 'error')} in ${invalid} of ${plural(results.length, 'scenario')}, ${plural(warnings, 'warning')}`
      : `check passed: ${plural(results.length, 'scenario')} valid, ${plural(warnings, 'warning')}`,
  );
  return lines.join('\n');
}

export const scenariosCommand: Command = {
  name: 'scenarios',
  summary: 'list the scenarios, or check every one of them (schema, files, Dockerfiles, lockfiles) before a run',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('scenarios', argv, { scenarios: { type: 'string' }, format: { type: 'string' } });
    if (positionals.length > 1) {
      throw new UsageError(`stagebench scenarios takes one action, list or check; got ${positionals.join(' ')}\nSee 'stagebench scenarios --help'.`);
    }
    const action = positionals[0] ?? 'list';
    if (!(ACTIONS as readonly string[]).includes(action)) {
      throw new UsageError(`stagebench scenarios: unknown action '${action}'; it takes list (the default) or check\nSee 'stagebench scenarios --help'.`);
    }
    const format = choiceValue('scenarios', 'format', values.format, FORMATS, 'text');
    const root = typeof values.scenarios === 'string' ? values.scenarios : 'scenarios';
    const dirs = scenarioDirs(root);
    if (dirs.length === 0) {
      const message = `--scenarios ${root}: no scenario folders (folders with a scenario.json) in it`;
      if (action === 'check') throw new UsageError(`${message}: nothing to check`);
      if (format === 'json') console.log(JSON.stringify({ scenarios: [] }, null, 2));
      else console.error(`stagebench scenarios: ${message}`);
      return EXIT.ok;
    }
    if (action === 'list') {
      const profiles = PROFILE_NAMES.map((name) => loadProfile(name));
      const entries = dirs.map((d) => listEntry(d, profiles));
      console.log(format === 'json' ? JSON.stringify({ scenarios: entries }, null, 2) : listText(entries));
      for (const n of foldersWithoutScenarioJson(root)) {
        console.error(`stagebench scenarios: ${join(root, n)} has no scenario.json, so it is not a scenario; 'stagebench init ${root} --from APP_DIR' makes one`);
      }
      return EXIT.ok;
    }
    const profiles = PROFILE_NAMES.map((name) => loadProfile(name));
    const results = dirs.map((dir) => checkScenario(dir, profiles));
    console.log(format === 'json' ? JSON.stringify({ scenarios: results }, null, 2) : checkText(results));
    return results.every((r) => r.valid) ? EXIT.ok : EXIT.usage;
  },
};
