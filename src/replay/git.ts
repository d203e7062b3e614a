// The git a replay reads: the commits of a range (first parent), the files each changed, and each commit's tree
// written into a folder through a private index (the repository's own index and work tree are never touched, and
// nothing of the repository runs). Through the execa adapter.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import { runTool, toolFailure } from '../tools/exec.ts';
import type { CommitSpec, ReplayCommit } from './plan.ts';

async function git(repo: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const r = await runTool('git', ['-C', repo, '-c', 'core.hooksPath=/dev/null', ...args], { env, timeoutMs: 120_000 });
  if (!r.ok) throw new UsageError(toolFailure(`stagebench replay: git ${args[0]} in ${repo} failed`, r));
  return r.stdout;
}

/** The base commit (built untimed, to warm the cache) and the commits to replay, oldest first. */
export async function listCommits(repo: string, spec: CommitSpec): Promise<{ base: string | null; commits: ReplayCommit[] }> {
  const revs = spec.kind === 'last'
    ? (await git(repo, ['rev-list', '--first-parent', `--max-count=${spec.n + 1}`, spec.ref])).split('\n').filter(Boolean).reverse()
    : [(await git(repo, ['rev-parse', '--verify', `${spec.from}^{commit}`])).trim(), ...(await git(repo, ['rev-list', '--first-parent', '--reverse', `${spec.from}..${spec.to}`])).split('\n').filter(Boolean)];
  // With --commits N and a history of N commits or fewer, the first commit is the base: there is nothing before it.
  const base = spec.kind === 'last' && revs.length <= spec.n ? null : revs[0];
  const replayed = base === null ? revs : revs.slice(1);
  const commits: ReplayCommit[] = [];
  for (const sha of replayed) {
    const subject = (await git(repo, ['log', '-1', '--format=%s', sha])).trim();
    // Against the first parent only: a merge's changes are those it brought into the branch (diff-tree -m would list
    // its diff against every parent).
    const parent = (await git(repo, ['rev-list', '--parents', '-n', '1', sha])).trim().split(/\s+/)[1];
    const diff = parent ? ['diff', '--name-only', '--no-renames', parent, sha] : ['diff-tree', '--no-commit-id', '--name-only', '-r', '--root', sha];
    const files = (await git(repo, diff)).split('\n').filter(Boolean);
    commits.push({ sha, subject, files: [...new Set(files)] });
  }
  return { base, commits };
}

/** Writes the tree of `sha` into `dir` (emptied first), as a CI checkout without .git. */
export async function checkout(repo: string, sha: string, dir: string, indexFile: string): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const env = { GIT_INDEX_FILE: indexFile };
  await git(repo, ['read-tree', sha], env);
  await git(repo, ['checkout-index', '-a', '-f', `--prefix=${join(dir, '/')}`], env);
}

/** The short form of a commit id for tables. */
export const short = (sha: string) => sha.slice(0, 8);
