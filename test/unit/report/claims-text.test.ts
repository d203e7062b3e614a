// The claims as a terminal prints them at the end of a run: verdict first, evidence and the missing command below.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { claimsText } from '../../../src/report/claims-text.ts';

test('verdicts are aligned, evidence and commands indented under their claim', () => {
  const text = claimsText([
    { id: 'smaller-images', claim: 'Smaller images', verdict: 'confirmed', evidence: ['app multi-stage 1 MB vs 3 MB: 3.0x smaller'], command: '' },
    { id: 'faster-pulls', claim: 'Faster pulls', verdict: 'not measured', evidence: [], command: 'npm run bench -- --phase pull-cold' },
  ]);
  assert.is(text, [
    "The article's claims, checked:",
    '  confirmed     Smaller images',
    '                  app multi-stage 1 MB vs 3 MB: 3.0x smaller',
    '  not measured  Faster pulls',
    '                  to measure: npm run bench -- --phase pull-cold',
  ].join('\n'));
});

test.run();
