// stagebench why BEFORE AFTER: for every step of AFTER's build that missed the cache, the first cause.
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { choiceValue, parseCommandArgs } from '../args.ts';
import { connectEngine } from '../engine/connect.ts';
import { EXIT, UsageError } from '../errors.ts';
import { runTool, toolFailure } from '../tools/exec.ts';
import { whyJson, whyText } from '../why/format.ts';
import { whyBuilds } from '../why/run-why.ts';
import type { Command } from './command.ts';

const HELP = `Usage: stagebench why BEFORE AFTER [options]
       stagebench why --git REPO REV1 REV2 [options]

Why did a step miss the cache? Builds BEFORE (a folder: the build context), then AFTER on the warm cache of the
engine (BuildKit), and for every step of AFTER not served from the cache prints its first cause, in the terms the
builder keys its cache by: files of a COPY/ADD whose content changed, appeared or disappeared, or whose mode alone
changed; files that entered or left the context because .dockerignore changed; a build arg or ENV value; the base
image's digest; the instruction text; or an earlier step that rebuilt (the cascade), with each step's time.
Where none of these explains a miss it says "no input change found" and what it compared. See docs/why.md.

Options:
  --git REPO          BEFORE and AFTER are two revisions (REV1 REV2) of the git repository REPO (a work tree or
                      a bare repository), exported with git archive into temporary folders
  --dockerfile PATH   the Dockerfile, relative to each context (default Dockerfile)
  --target STAGE      build up to this stage
  --build-arg K=V     a build arg for both builds; repeat it for more
  --after-build-arg K=V
                      a build arg for AFTER only, over --build-arg: what changing it rebuilds (BEFORE and AFTER
                      may then be the same folder)
  --format F          text (default) or json
Exit codes: 0 done, 1 a build failed, 2 bad usage or input, 3 no engine.`;

const FORMATS = ['text', 'json'] as const;

/** A repeated option's values as given: a build arg's value may hold a comma. */
function repeated(v: string | boolean | string[] | undefined): string[] {
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

function buildArgsOf(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new UsageError(`stagebench why: --build-arg takes NAME=VALUE, not '${v}'`);
    out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

async function exportRevision(repo: string, rev: string, into: string): Promise<void> {
  const tar = join(into, 'context.tar');
  const archive = await runTool('git', ['-C', repo, 'archive', '--format=tar', '-o', tar, rev]);
  if (!archive.ok) throw new UsageError(`stagebench why: cannot export revision '${rev}' of ${repo}: ${toolFailure('git archive', archive)}`);
  const dir = join(into, 'context');
  mkdirSync(dir);
  const unpack = await runTool('tar', ['-xf', tar, '-C', dir]);
  rmSync(tar, { force: true });
  if (!unpack.ok) throw new Error(toolFailure('unpacking the git archive', unpack));
}

function checkContext(dir: string, dockerfile: string, what: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`stagebench why: ${what} ${dir} is not a folder`);
  if (!existsSync(join(dir, dockerfile))) throw new UsageError(`stagebench why: ${what} has no ${dockerfile} (${join(dir, dockerfile)}); give --dockerfile`);
}

export const whyCommand: Command = {
  name: 'why',
  summary: 'why each rebuilt step missed the cache: the changed file, build arg, ENV, base image or instruction, and the cascade',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('why', argv, {
      git: { type: 'string' }, dockerfile: { type: 'string' }, target: { type: 'string' },
      'build-arg': { type: 'string', multiple: true }, 'after-build-arg': { type: 'string', multiple: true }, format: { type: 'string' },
    });
    const format = choiceValue('why', 'format', values.format, FORMATS, 'text');
    const dockerfile = typeof values.dockerfile === 'string' ? values.dockerfile : 'Dockerfile';
    const target = typeof values.target === 'string' ? values.target : undefined;
    const buildArgs = buildArgsOf(repeated(values['build-arg']));
    const afterBuildArgs = buildArgsOf(repeated(values['after-build-arg']));
    if (positionals.length !== 2) {
      throw new UsageError(`stagebench why takes two ${typeof values.git === 'string' ? 'revisions (REV1 REV2)' : 'folders (BEFORE AFTER)'}, got ${positionals.length}\nSee 'stagebench why --help'.`);
    }
    const temps: string[] = [];
    try {
      let beforeDir: string;
      let afterDir: string;
      let labels: { before: string; after: string };
      if (typeof values.git === 'string') {
        const repo = resolve(values.git);
        if (!existsSync(repo)) throw new UsageError(`stagebench why: --git ${repo} does not exist`);
        const dirs = positionals.map(() => mkdtempSync(join(tmpdir(), 'stagebench-why-')));
        temps.push(...dirs);
        await exportRevision(repo, positionals[0], dirs[0]);
        await exportRevision(repo, positionals[1], dirs[1]);
        beforeDir = join(dirs[0], 'context');
        afterDir = join(dirs[1], 'context');
        labels = { before: `${repo}@${positionals[0]}`, after: `${repo}@${positionals[1]}` };
      } else {
        beforeDir = resolve(positionals[0]);
        afterDir = resolve(positionals[1]);
        labels = { before: beforeDir, after: afterDir };
      }
      checkContext(beforeDir, dockerfile, 'BEFORE');
      checkContext(afterDir, dockerfile, 'AFTER');
      const engine = await connectEngine();
      const outcome = await whyBuilds(engine, { beforeDir, afterDir, dockerfile, buildArgs, afterBuildArgs, ...(target ? { target } : {}) });
      if (!outcome.ok) {
        console.error(`stagebench why: ${outcome.error}`);
        return EXIT.failed;
      }
      if (format === 'json') console.log(whyJson(outcome.result, { before: labels.before, after: labels.after, dockerfile, target: target ?? null, buildArgs, afterBuildArgs }));
      else console.log(`BEFORE ${labels.before}\nAFTER  ${labels.after}\n${whyText(outcome.result)}`);
      return EXIT.ok;
    } finally {
      for (const t of temps) rmSync(t, { recursive: true, force: true });
    }
  },
};
