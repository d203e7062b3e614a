// Finding and reading an app's compose file for `stagebench init` (the reading itself is compose.ts, pure): the first
// of compose's file names in the app folder, its .env for interpolation, env_file files inside the folder only.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { isOutside } from '../scenario/load.ts';
import { COMPOSE_FILES, parseDotenv, readCompose, type ComposeRun } from './compose.ts';

function fileIn(dir: string, rel: string): string | undefined {
  const abs = resolve(dir, rel);
  if (!existsSync(abs) || !statSync(abs).isFile() || isOutside(realpathSync(dir), realpathSync(abs))) return undefined;
  return readFileSync(abs, 'utf8');
}

/**
 * The app's compose file read into a run section, undefined when it has none; a broken file's error is returned. The
 * app's own folder first, then its parent (a repository whose compose file builds ./app); .env and env_file are read
 * from the compose file's folder, as compose does, and never from outside it.
 */
export function composeRun(appDir: string): { file: string; run?: ComposeRun; error?: string } | undefined {
  for (const dir of [appDir, dirname(appDir)]) {
    const name = COMPOSE_FILES.find((f) => existsSync(join(dir, f)));
    if (!name) continue;
    const file = relative(appDir, join(dir, name)) || name;
    const text = fileIn(dir, name);
    if (text === undefined) return { file, error: `${file}: not a regular file` };
    const dotenv = parseDotenv(fileIn(dir, '.env') ?? '');
    try {
      return { file, run: readCompose(text, file, dotenv, (rel) => fileIn(dir, rel), relative(dir, appDir).split(sep).join('/') || '.') };
    } catch (err) {
      // A compose file in the parent that builds other apps is not this app's.
      if (dir !== appDir) return undefined;
      return { file, error: (err as Error).message };
    }
  }
  return undefined;
}

/** scenario.json's run section with what the compose file gave (env and services), or as it was. Pure. */
export function runWithCompose(run: Record<string, unknown> | undefined, compose: ReturnType<typeof composeRun>): Record<string, unknown> | undefined {
  const c = compose?.run;
  if (!c || (Object.keys(c.services).length === 0 && Object.keys(c.env).length === 0)) return run;
  return { ...run, ...(Object.keys(c.env).length ? { env: c.env } : {}), ...(Object.keys(c.services).length ? { services: c.services } : {}) };
}

/** What init prints about the compose file: what it took, what it left out, or why it could not read it. Pure. */
export function composeLines(compose: ReturnType<typeof composeRun>): string[] {
  if (!compose) return [];
  if (compose.error) return [`compose: ${compose.error}; run.services not written (docs/services.md says how to write them)`];
  const c = compose.run!;
  return [...c.took.map((l) => `compose: took ${l}`), ...c.leftOut.map((l) => `compose: left out ${l}`)];
}
