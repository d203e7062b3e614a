// The report's "Why steps rebuilt": per variant and change, the first cause and its cascade, from steps.csv.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { collectFacts } from '../../../src/report/facts.ts';
import { renderMarkdown } from '../../../src/report/markdown.ts';
import { loadRunData } from '../../../src/report/run-data.ts';
import { makeRun, stepRow, writeRunFolder } from './run-folder.ts';

const work = mkdtempSync(join(tmpdir(), 'stagebench-causes-'));
test.after(() => rmSync(work, { recursive: true, force: true }));

const caused = (iteration: number, step: string, instruction: string, ms: number, kind: string, cause: string, origin: string) =>
  ({ ...stepRow('app', 'multi', 'build-warm-src', iteration, step, instruction, ms), cause_kind: kind, cause, cause_origin: origin });

test('the first cause of a change, its cascade with times, and the cost; only the first successful sample', () => {
  const run = makeRun([{ scenario: 'app', variant: 'multi', phase: 'build-warm-src', samples: [3_000, 3_100] }], {
    steps: [
      stepRow('app', 'multi', 'build-warm-src', 0, '[builder 2/5]', 'COPY package*.json ./', 0, true),
      caused(0, '[builder 4/5]', 'COPY . .', 300, 'files', '1 file it copies changed: src/server.ts (content)', '[builder 4/5]'),
      caused(0, '[builder 5/5]', 'RUN npm run build', 2_000, 'cascade', 'rebuilt because [builder 4/5] rebuilt', '[builder 4/5]'),
      caused(1, '[builder 4/5]', 'COPY . .', 310, 'files', 'another sample', '[builder 4/5]'),
    ],
  });
  const md = renderMarkdown(collectFacts(loadRunData(writeRunFolder(join(work, 'run'), run))));
  assert.match(md, /### Why steps rebuilt/);
  const why = md.slice(md.indexOf('### Why steps rebuilt'));
  const row = why.split('\n').find((l) => l.startsWith('| multi | build-warm-src |'));
  assert.ok(row, md);
  assert.match(row!, /COPY \. \. \| 1 file it copies changed: src\/server\.ts \(content\) \| \\\[builder 5\/5\\\] 2\.00 s \| 2\.30 s \|$/);
  assert.not.match(md, /another sample/);
});

test('a run without causes has no such block', () => {
  const run = makeRun([{ scenario: 'app', variant: 'multi', phase: 'build-warm', samples: [100] }], {
    steps: [stepRow('app', 'multi', 'build-warm', 0, '[2/3]', 'COPY . .', 0, true)],
  });
  assert.not.match(renderMarkdown(collectFacts(loadRunData(writeRunFolder(join(work, 'plain'), run)))), /Why steps rebuilt/);
});

test.run();
