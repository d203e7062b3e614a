import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tuneFindings } from '../../../src/tune/rules.ts';
import { GOOD_DOCKERFILE, input } from './dockerfiles.ts';

test('no rule fires on a well-made multi-stage Dockerfile with a complete .dockerignore', () => {
  assert.equal(tuneFindings(input(GOOD_DOCKERFILE)), []);
});

test('every finding names a rule, a line or null, a message and a fix', () => {
  const bad = 'FROM node:20\nCOPY . .\nRUN npm install\nCMD ["node", "index.js"]\n';
  const findings = tuneFindings(input(bad, { dockerignore: null }));
  assert.ok(findings.length >= 4);
  for (const f of findings) {
    assert.ok(f.message.length > 20, f.message);
    assert.ok(f.fix.length > 10, f.fix);
    assert.ok(f.line === null || (f.line >= 1 && f.line <= 4), `${f.rule} line ${f.line}`);
  }
});

test.run();
