// scenario.json for real apps, on the real engine and CLI: run.env reaches the container, run.port is asked instead
// of a PORT the harness chose, build.args reach the build, a BuildKit secret is mounted by id and never written into
// the results (also when it is asked for well into the build), and `context` builds from a subfolder.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSamples } from '../../../src/results/read.ts';
import type { SampleRow } from '../../../src/types.ts';
import { runCli, type CliResult } from '../../support/cli.ts';
import { makeScenario, scenarioJson, uniqueToken } from '../../support/scenario-folder.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';
import { setupBefore, cleanupAfter } from '../../support/setup.ts';

const token = uniqueToken();
const name = `real-app-${token}`;
const secretValue = `s3cret-${uniqueToken()}`;
// Exits without DATABASE_URL, as the app did; listens on a fixed port whatever PORT says; answers with what
// the build baked in (the build arg and a digest of the secret, never the secret itself).
const APP = `const url = process.env.DATABASE_URL;
if (!url) { console.error('DATABASE_URL is not set'); process.exit(1); }
const baked = require('fs').readFileSync('/baked.txt', 'utf8').trim();
require('http').createServer((q, s) => s.end('ok ' + url + ' ' + baked)).listen(FIXED_PORT, '127.0.0.1');
`;
let cli: CliResult;
let out: string;
let rows: SampleRow[];
let port: number;

setupBefore(test, async () => {
  const root = tempDir('real-app');
  port = 20000 + Math.floor(Math.random() * 20000);
  const secretFile = join(root, 'npmrc-secret');
  writeFileSync(secretFile, secretValue);
  const dockerfile = [
    'ARG NODE_SLIM_IMAGE=node:20-slim',
    'FROM ${NODE_SLIM_IMAGE}',
    'ARG GREETING',
    // The secret is asked for 20 s into the build: BuildKit closes a session that does not answer its health checks
    // (about 10 s), after which the mount failed with "no active session".
    'RUN sleep 20',
    `RUN --mount=type=secret,id=npmrc echo "${token} $GREETING $(sha256sum < /run/secrets/npmrc | cut -c1-12)" > /baked.txt`,
    'WORKDIR /app',
    'COPY app.js ./',
    'CMD ["node", "app.js"]',
    '',
  ].join('\n');
  const json: Record<string, unknown> = {
    ...scenarioJson(name, { single: { dockerfile: 'app/Dockerfile' } }),
    context: 'app',
    run: { env: { DATABASE_URL: 'postgres://db.invalid/x' }, port },
    build: { args: { GREETING: `hello-${token}` }, secrets: { npmrc: { file: secretFile } } },
  };
  (json.changes as { source: { file: string } }).source.file = 'app/app.js';
  // The smoke test passes only if the env, the build arg and the secret all arrived.
  const digest = createHash('sha256').update(secretValue).digest('hex').slice(0, 12);
  (json.smoke as { contains: string }).contains = `ok postgres://db.invalid/x ${token} hello-${token} ${digest}`;
  makeScenario(root, name, { variants: {}, json, files: { 'app/Dockerfile': dockerfile, 'app/app.js': APP.replace('FIXED_PORT', String(port)) } });
  out = join(root, 'out');
  cli = await runCli(['run', '--scenarios', root, '--scenario', name, '--phase', 'build-cold,run', '--iterations', '1', '--profile', 'auto', '--scanner', 'none', '--secret-dir', root, '--out', out]);
  rows = readSamples(out);
});

cleanupAfter(test, removeTempDirs);

test('the build and the run sample pass: env, build arg and secret reached the app, asked on its fixed port', () => {
  assert.is(cli.code, 0, `${cli.stdout}\n${cli.stderr}`);
  assert.equal(rows.map((r) => [r.phase, r.ok]), [['build-cold', true], ['run', true]], JSON.stringify(rows));
});

test('the secret value is nowhere in the results or the output; run.json names its source', () => {
  for (const f of readdirSync(out)) assert.not.ok(readFileSync(join(out, f), 'utf8').includes(secretValue), f);
  assert.not.ok(cli.stdout.includes(secretValue) || cli.stderr.includes(secretValue));
  const runJson = readFileSync(join(out, 'run.json'), 'utf8');
  assert.match(runJson, /--secret id=npmrc,src=/);
  assert.match(runJson, new RegExp(`GREETING=hello-${token}`));
  assert.match(runJson, /\/app\/Dockerfile/);
});

test.run();
