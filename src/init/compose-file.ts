// Finding and reading an app's compose file for `stagebench init` (the reading itself is compose.ts, pure): the first
// of compose's file names in the app folder, its .env for interpolation, env_file files inside the folder only.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isOutside } from '../scenario/load.ts';
import { COMPOSE_FILES, parseDotenv, readCompose, type ComposeRun } from './compose.ts';

function fileIn(appDir: string, rel: string): string | undefined {
  const abs = resolve(appDir, rel);
  if (!existsSync(abs) || !statSync(abs).isFile() || isOutside(realpathSync(appDir), realpathSync(abs))) return undefined;
  return readFileSync(abs, 'utf8');
}

/** The app's compose file read into a run section, undefined when it has none; a broken file's error is returned. */
export function composeRun(appDir: string): { file: string; run?: ComposeRun; error?: string } | undefined {
  const file = COMPOSE_FILES.find((f) => existsSync(join(appDir, f)));
  if (!file) return undefined;
  const text = fileIn(appDir, file);
  if (text === undefined) return { file, error: `${file}: not a regular file inside the app folder` };
  const dotenv = parseDotenv(fileIn(appDir, '.env') ?? '');
  try {
    return { file, run: readCompose(text, file, dotenv, (rel) => fileIn(appDir, rel)) };
  } catch (err) {
    return { file, error: (err as Error).message };
  }
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
