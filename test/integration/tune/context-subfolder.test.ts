// `stagebench tune` on a scenario whose build context is a subfolder (scenario.json `context`, issue 16), on the real
// engine through the CLI: it builds from the subfolder as a run does, the candidate sits in that context, a source
// change of app/app.js is one the Dockerfile's `COPY . .` reads (no sample discarded), and the results folder holds
// tune.json and Dockerfile.candidate, with --static too.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runCli } from '../../support/cli.ts';
import { uniqueToken } from '../../support/scenario-folder.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

const PREFIX = 'stagebench-dev-tunectx';
const token = uniqueToken();
const name = `mono-${token}`;

test.after(removeTempDirs);

/** scenarios/NAME/ with the app in app/ (its Dockerfile installs after COPY . .) and a file outside the context. */
function scenarios(): string {
  const root = tempDir('tune-context');
  const files: Record<string, string> = {
    'scenario.json': JSON.stringify({
      name, description: 'an app in a subfolder of a monorepo',
      context: 'app',
      variants: { single: { dockerfile: 'app/Dockerfile' } },
      smoke: { path: '/health', status: 200, contains: `ok ${token}`, timeout_ms: 20000 },
      changes: {
        source: { file: 'app/app.js', append: '\n// changed\n' },
        dependency: { replace: { 'app/package.json': 'bench-changes/package.json' }, description: 'a new field' },
      },
    }),
    'app/Dockerfile': [
      'ARG NODE_SLIM_IMAGE=node:20-slim', 'FROM ${NODE_SLIM_IMAGE}', `RUN echo ${token} > /token`, 'WORKDIR /app', 'COPY . .',
      'RUN npm install --no-audit --no-fund', 'CMD ["node", "app.js"]', '',
    ].join('\n'),
    'app/app.js': `require('http').createServer((q, s) => s.end('ok ${token}')).listen(process.env.PORT || 3000, process.env.HOST || '0.0.0.0');\n`,
    'app/package.json': '{"name":"app","version":"1.0.0","private":true}\n',
    'app/.dockerignore': 'node_modules\n.git\n',
    'bench-changes/package.json': '{"name":"app","version":"1.0.1","private":true}\n',
    // Outside the context: tune must neither send nor count it (nor report the scenario folder's missing .dockerignore).
    'big-file-outside.bin': 'z'.repeat(300_000),
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name, rel)), { recursive: true });
    writeFileSync(join(root, name, rel), text);
  }
  return root;
}

test('tune --static: the context is the subfolder; the folder holds tune.json and Dockerfile.candidate', async () => {
  const root = scenarios();
  const out = tempDir('tune-out');
  const r = await runCli(['tune', name, '--static', '--scenarios', root, '--out', out, '--format', 'json']);
  assert.is(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.is(j.context.dir, 'app');
  assert.ok(j.context.without_dockerignore_bytes < 300_000, String(j.context.without_dockerignore_bytes));
  assert.not.ok(j.findings.some((f: { rule: string }) => f.rule === 'dockerignore-missing'));
  const folder = join(out, `tune-${name}-single-static`);
  assert.is(j.results_dir, folder);
  // The install without a cache mount gives a second candidate too (README: the results folder).
  assert.equal(readdirSync(folder).sort(), ['Dockerfile.cache-mount', 'Dockerfile.candidate', 'tune.json']);
  assert.equal(JSON.parse(readFileSync(join(folder, 'tune.json'), 'utf8')), j);
});

test('tune on the engine: builds from the subfolder, smoke-tests both, a source change reruns the original\'s install only', async () => {
  const root = scenarios();
  const out = tempDir('tune-out');
  const r = await runCli(['tune', name, '--scenarios', root, '--out', out, '--iterations', '1', '--format', 'json', '--name-prefix', PREFIX]);
  assert.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
  const j = JSON.parse(r.stdout);
  assert.equal(j.errors, []);
  assert.is(j.smoke.original.ok, true);
  assert.is(j.smoke.candidate.ok, true);
  assert.is(j.discarded_samples, 0, 'a change of app/app.js is one COPY . . reads: nothing rebuilt that it cannot reach');
  const installs = (c: { rebuilt: Array<{ instruction: string }> }) => c.rebuilt.filter((s) => /npm (install|ci)/.test(s.instruction)).length;
  assert.is(installs(j.steps_rebuilt.source.original), 1, JSON.stringify(j.steps_rebuilt.source.original));
  assert.is(installs(j.steps_rebuilt.source.candidate), 0, JSON.stringify(j.steps_rebuilt.source.candidate));
  assert.ok(existsSync(join(j.results_dir, 'tune.json')));
  assert.ok(existsSync(join(j.results_dir, 'Dockerfile.candidate')));
});

test.run();
