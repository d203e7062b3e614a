import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tuneFindings } from '../../../src/tune/rules.ts';
import { GOOD_DOCKERFILE, input } from './dockerfiles.ts';

const ignoreFindings = (dockerignore: string | null, entries?: string[]) =>
  tuneFindings(input(GOOD_DOCKERFILE, { dockerignore, ...(entries ? { contextEntries: entries } : {}) }))
    .filter((f) => f.rule.startsWith('dockerignore'));

test('dockerignore-missing fires when there is no .dockerignore, and names what the context holds', () => {
  const found = ignoreFindings(null);
  assert.is(found.length, 1);
  assert.is(found[0].rule, 'dockerignore-missing');
  assert.is(found[0].file, '.dockerignore');
  assert.is(found[0].line, null);
  assert.match(found[0].message, /node_modules/);
});

test('dockerignore-leaks names each of node_modules, .git, .env, dist that no pattern excludes', () => {
  const found = ignoreFindings('*.log\n');
  assert.equal(found.map((f) => f.rule), Array(4).fill('dockerignore-leaks'));
  for (const entry of ['node_modules', '.git', '.env', 'dist']) {
    assert.ok(found.some((f) => f.message.includes(`excludes ${entry}:`)), entry);
  }
});

test('a leak of something present in the context is a warning, of something absent an info', () => {
  const found = ignoreFindings('.git\n.env\ndist\n');
  assert.is(found.length, 1);
  assert.is(found[0].severity, 'warning');
  const absent = ignoreFindings('.git\n.env\ndist\n', ['package.json']);
  assert.is(absent[0].severity, 'info');
});

test('follows Docker semantics: a late exception lets node_modules back in, and its line is reported', () => {
  const found = ignoreFindings('node_modules\n.git\n.env\ndist\n# keep the vendored ones\n!node_modules\n');
  assert.is(found.length, 1);
  assert.is(found[0].line, 6);
  assert.match(found[0].message, /!node_modules/);
});

test('follows Docker semantics: `node_modules/*` and `**/.git` keep the folders out', () => {
  assert.equal(ignoreFindings('node_modules/*\n**/.git\n.env\ndist/\n'), []);
});

test('a pattern anchored elsewhere does not count: src/node_modules leaves the root one in', () => {
  const found = ignoreFindings('src/node_modules\n.git\n.env\ndist\n');
  assert.is(found.length, 1);
  assert.match(found[0].message, /excludes node_modules/);
});

test('build output .next and build are checked when the context has them', () => {
  const entries = ['package.json', '.next', 'build'];
  const found = ignoreFindings('node_modules\n.git\n.env\ndist\n', entries);
  assert.equal(found.map((f) => f.message.match(/excludes (\S+):/)?.[1]).sort(), ['.next', 'build']);
  assert.equal(ignoreFindings('node_modules\n.git\n.env\ndist\n', ['package.json']), []);
});

test('dist is checked only when the context has it or the Dockerfile uses it as a path', () => {
  const plain = 'FROM node:20-slim\nCOPY . .\nRUN npm ci && npm run build\nUSER node\nCMD ["node", "server.js"]\n';
  const leaks = (df: string, entries: string[]) => tuneFindings(input(df, { dockerignore: 'node_modules\n.git\n.env\n', contextEntries: entries }))
    .filter((f) => f.rule === 'dockerignore-leaks').map((f) => f.message.match(/excludes (\S+):/)?.[1]);
  assert.equal(leaks(plain, ['package.json']), []);
  assert.equal(leaks(plain, ['package.json', 'dist']), ['dist']);
  assert.equal(leaks(plain.replace('server.js', 'dist/server.js'), ['package.json']), ['dist']);
  assert.equal(leaks(`${plain}COPY --from=b /app/.next/standalone ./\n`, ['package.json']), ['.next']);
});

test.run();
