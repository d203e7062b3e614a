// Tiny scenario folders for tests: a scenario.json in the format the loader validates, Dockerfiles on the slim
// base image (an ARG, as every scenario's), a source file and the dependency change's manifests.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A token that makes a Dockerfile step new to every build cache on the engine. */
export function uniqueToken(): string {
  return randomBytes(6).toString('hex');
}

/**
 * A Dockerfile on ${NODE_SLIM_IMAGE} whose first steps are RUN steps with the given shell commands, then the app.
 * The RUN steps come first so that a token in them makes every later step new to the cache too: a `WORKDIR /app`
 * right after FROM is a step that other builds on the same engine share.
 */
export function slimDockerfile(...runs: string[]): string {
  return ['ARG NODE_SLIM_IMAGE=node:20-slim', 'FROM ${NODE_SLIM_IMAGE}', ...runs.map((r) => `RUN ${r}`), 'WORKDIR /app', 'COPY app.js ./', 'CMD ["node", "app.js"]', ''].join('\n');
}

export interface TinyVariant {
  /** Dockerfile text. */
  dockerfile: string;
  /** File name inside the folder (default Dockerfile.NAME). */
  file?: string;
  target?: string;
}

/** The scenario.json object of a tiny scenario (tests change it to make it invalid). */
export function scenarioJson(name: string, variants: Record<string, { dockerfile: string; target?: string }>): Record<string, unknown> {
  return {
    name,
    description: `test scenario ${name}`,
    variants: Object.fromEntries(Object.entries(variants).map(([v, spec]) => [v, { ...spec, description: `variant ${v}` }])),
    smoke: { method: 'GET', path: '/health', status: 200, contains: 'ok', timeout_ms: 10000 },
    changes: {
      source: { file: 'app.js', append: '\n// source change made by stagebench\n' },
      dependency: {
        replace: { 'package.json': 'bench-changes/package.json' },
        description: 'adds a dependency field',
      },
    },
  };
}

export const APP_JS = "require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT || 3000, process.env.HOST || '0.0.0.0');\n";

/**
 * Writes ROOT/NAME/ with scenario.json, the variants' Dockerfiles, app.js, package.json, bench-changes/ and a
 * .dockerignore; `json` replaces the scenario.json object (or text, for invalid JSON); `files` adds or overwrites files.
 * Returns the folder.
 */
export function makeScenario(
  root: string,
  name: string,
  options: { variants?: Record<string, TinyVariant>; json?: Record<string, unknown> | string; files?: Record<string, string> } = {},
): string {
  const dir = join(root, name);
  const variants = options.variants ?? { single: { dockerfile: slimDockerfile(`echo ${uniqueToken()} > /token.txt`) } };
  const files: Record<string, string> = {
    'app.js': APP_JS,
    'package.json': `${JSON.stringify({ name, version: '1.0.0', private: true }, null, 2)}\n`,
    'bench-changes/package.json': `${JSON.stringify({ name, version: '1.0.0', private: true, dependencies: {} }, null, 2)}\n`,
    '.dockerignore': 'bench-changes\nnode_modules\n',
  };
  const specs: Record<string, { dockerfile: string; target?: string }> = {};
  for (const [v, spec] of Object.entries(variants)) {
    const file = spec.file ?? `Dockerfile.${v}`;
    files[file] = spec.dockerfile;
    specs[v] = { dockerfile: file, ...(spec.target ? { target: spec.target } : {}) };
  }
  const json = options.json ?? scenarioJson(name, specs);
  files['scenario.json'] = typeof json === 'string' ? json : `${JSON.stringify(json, null, 2)}\n`;
  Object.assign(files, options.files);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

/**
 * A copy of a shipped scenario under another name, in ROOT/NAME (without node_modules, dist or .git): a run of it
 * labels its images with that name, so a concurrent run of the shipped scenario leaves them alone.
 */
export function copyShippedScenario(repoRoot: string, shipped: string, root: string, name: string): string {
  const dir = join(root, name);
  const source = join(repoRoot, 'scenarios', shipped);
  cpSync(source, dir, { recursive: true, filter: (src) => !/\/(node_modules|dist|\.git)(\/|$)/.test(src.slice(source.length)) });
  const spec = JSON.parse(readFileSync(join(dir, 'scenario.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'scenario.json'), JSON.stringify({ ...spec, name }, null, 2));
  return dir;
}
