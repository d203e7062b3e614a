// The seeded-mutation suite's app: a tiny two-stage Dockerfile on the offline node:20-slim stand-in, with a RUN that
// stands in for the dependency install (no npm), written into BEFORE and, mutated, into AFTER.
import { chmodSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectEngine } from '../../src/engine/connect.ts';
import type { Engine } from '../../src/engine/engine.ts';
import type { StepWhy } from '../../src/why/analyse.ts';
import { whyBuilds, type WhyOptions } from '../../src/why/run-why.ts';
import type { WhyResult } from '../../src/why/analyse.ts';
import { tempDir } from './temp-dir.ts';

export const BASE = 'stagebench-offline/node:20-slim';

export const DOCKERFILE = `ARG BASE=${BASE}
FROM \${BASE} AS build
ARG GREETING=hello
WORKDIR /app
COPY package.json package-lock.json ./
RUN node -e "console.log(require('./package-lock.json').packages[''].dependencies)" > deps.txt
COPY src ./src
RUN cat src/*.js > bundle.js
FROM \${BASE}
WORKDIR /app
COPY --from=build /app/bundle.js ./
CMD ["node", "bundle.js"]
`;

// New in each test process: an AFTER built by an earlier run of the suite would otherwise come from the cache whole.
export const NONCE = `${process.pid}-${Date.now()}`;
export const PACKAGE = { name: 'why-fixture', version: '1.0.0', description: NONCE, dependencies: { ms: '2.1.3' } };
export const LOCK = { name: 'why-fixture', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'why-fixture', version: '1.0.0', dependencies: { ms: '2.1.3' } }, 'node_modules/ms': { version: '2.1.3' } } };

/** Writes the app into a fresh folder with files at 0644 (a 0022 umask), folders 0755. */
export function writeApp(label: string): string {
  const dir = tempDir(`why-${label}`);
  mkdirSync(join(dir, 'src'));
  const files: Record<string, string> = {
    Dockerfile: DOCKERFILE,
    '.dockerignore': 'node_modules\nsrc/generated.js\n',
    'package.json': `${JSON.stringify(PACKAGE, null, 2)}\n`,
    'package-lock.json': `${JSON.stringify(LOCK, null, 2)}\n`,
    'src/index.js': "console.log('hello');\n",
    'src/util.js': `module.exports = '${NONCE}';\n`,
    'src/NOTES.md': 'notes\n',
    'src/generated.js': `// generated ${Date.now()}\n`,
  };
  for (const [path, text] of Object.entries(files)) {
    writeFileSync(join(dir, path), text);
    chmodSync(join(dir, path), 0o644);
  }
  return dir;
}

/** A copy of a folder, mode bits kept. */
export function copyApp(dir: string, label: string): string {
  const out = tempDir(`why-${label}`);
  cpSync(dir, out, { recursive: true, preserveTimestamps: true });
  return out;
}

let engine: Engine | undefined;

export async function why(beforeDir: string, afterDir: string, extra: Partial<WhyOptions> = {}): Promise<WhyResult> {
  engine ??= await connectEngine();
  const outcome = await whyBuilds(engine, { beforeDir, afterDir, dockerfile: 'Dockerfile', buildArgs: {}, ...extra });
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.result;
}

export function step(r: WhyResult, instruction: string): StepWhy {
  const s = r.steps.find((x) => x.instruction === instruction);
  if (!s) throw new Error(`no step '${instruction}' in ${r.steps.map((x) => x.instruction).join(' | ')}`);
  return s;
}

export async function testEngine(): Promise<Engine> {
  engine ??= await connectEngine();
  return engine;
}
