import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ciRunnerBlock, ciRunnerText } from '../../../src/report/ci-runner.ts';
import { collectFacts } from '../../../src/report/facts.ts';
import { renderHtml } from '../../../src/report/html.ts';
import { renderMarkdown } from '../../../src/report/markdown.ts';
import { makeRun, stepRow, type Measure, type RunFiles } from './run-folder.ts';

const m = (variant: string, phase: Measure['phase'], samples: Measure['samples']): Measure => ({ scenario: 'app', variant, phase, samples });

/** single: every step from the registry; multi: the builder stage rebuilt in sample 0, fewer steps served in sample 1. */
function ciRun(): RunFiles {
  const run = makeRun([
    m('single', 'build-cold', [20_000, 22_000]), m('multi', 'build-cold', [30_000, 31_000]),
    m('single', 'build-ci', [2_000, 2_400]), m('multi', 'build-ci', [18_000, 19_000]),
    m('single', 'build-ci-src', [6_000, 6_600]), m('multi', 'build-ci-src', [21_000, 'not a fresh runner: the engine held 3 build cache records']),
    m('single', 'build-warm-src', [4_000, 4_200]), m('multi', 'build-warm-src', [5_000, 5_100]),
  ], {
    steps: [
      stepRow('app', 'single', 'build-ci', 0, '[2/4]', 'RUN npm ci', 10, true),
      stepRow('app', 'single', 'build-ci', 0, '[3/4]', 'COPY . .', 10, true),
      stepRow('app', 'multi', 'build-ci', 0, '[builder 3/5]', 'RUN npm ci', 9_000, false),
      stepRow('app', 'multi', 'build-ci', 0, '[builder 5/5]', 'RUN npm run build', 4_000, false),
      stepRow('app', 'multi', 'build-ci', 0, '[runner 3/4]', 'COPY --from=builder /app/dist ./dist', 10, true),
    ],
  });
  const counts: Record<string, [number, number]> = {
    'single/build-ci/0': [3, 3], 'single/build-ci/1': [3, 3], 'multi/build-ci/0': [1, 3], 'multi/build-ci/1': [2, 3],
  };
  for (const r of run.samples) {
    const c = counts[`${r.variant}/${r.phase}/${r.iteration}`];
    if (c) [r.cached_steps, r.steps] = c;
  }
  return run;
}

const factsOf = (run: RunFiles) => collectFacts({ runId: 'r', info: run.info, samples: run.samples, summary: run.summary, summaryRecomputed: false, steps: run.steps });

test('the four phases side by side per variant, with the steps the imported cache served', () => {
  const facts = factsOf(ciRun());
  const block = ciRunnerBlock(facts, facts.scenarios[0])!;
  assert.is(block.title, 'On a fresh CI runner');
  assert.equal(block.table!.columns, ['variant', 'build-cold', 'build-ci', 'build-ci-src', 'build-warm-src', 'build-ci from the registry', 'build-ci-src from the registry']);
  assert.equal(block.table!.rows, [
    ['single', '21.0 s', '2.20 s', '6.30 s', '4.10 s', '3 of 3', '—'],
    ['multi', '30.5 s', '18.5 s', '21.0 s', '5.05 s', '1–2 of 3', '—'],
  ]);
});

test('the notes say what each phase is, that the inline cache holds the final stage only, and what each sample rebuilt', () => {
  const facts = factsOf(ciRun());
  const notes = ciRunnerBlock(facts, facts.scenarios[0])!.notes;
  assert.match(notes[0], /build-ci: a fresh runner \(no local build cache\) importing the previous build's cache from the registry/);
  assert.match(notes[1], /inline cache \(min mode\): it carries the final stage's layers only/);
  assert.ok(notes.includes('single, build-ci sample 0: every step came from the imported cache.'), notes.join('\n'));
  assert.ok(notes.includes('multi, build-ci sample 0: rebuilt 2 of 3 steps: [builder 3/5] RUN npm ci; [builder 5/5] RUN npm run build.'), notes.join('\n'));
});

test('a run without a CI-runner phase has no such section, in the report or at the end of the run', () => {
  const facts = factsOf(makeRun([m('single', 'build-cold', [20_000]), m('single', 'build-warm-src', [4_000])]));
  assert.is(ciRunnerBlock(facts, facts.scenarios[0]), undefined);
  assert.is(ciRunnerText(facts), '');
  assert.not.match(renderMarkdown(facts), /On a fresh CI runner/);
});

test('the end-of-run text and both reports carry the section', () => {
  const facts = factsOf(ciRun());
  const text = ciRunnerText(facts);
  assert.match(text, /^On a fresh CI runner: app\nvariant +build-cold +build-ci +build-ci-src +build-warm-src/);
  assert.match(text, /\nmulti +30\.5 s +18\.5 s +21\.0 s +5\.05 s +1–2 of 3 +—\n/);
  const md = renderMarkdown(facts);
  assert.match(md, /### On a fresh CI runner\n\n\| variant \| build-cold \| build-ci \|/);
  assert.ok(md.indexOf('### Build times') < md.indexOf('### On a fresh CI runner'));
  assert.match(renderHtml(facts, ''), /<h3>On a fresh CI runner<\/h3>/);
});

test.run();
