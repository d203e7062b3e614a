// The smoke judgement the run phase and tune share.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkSmoke } from '../../../src/phases/smoke.ts';
import type { SmokeSpec } from '../../../src/types.ts';

const spec: SmokeSpec = { method: 'GET', path: '/health', status: 200, contains: 'ok', timeout_ms: 1000 };

test('the expected status with the expected text passes', () => {
  assert.equal(checkSmoke(spec, 200, '{"status":"ok"}'), { ok: true, reason: '' });
});

test('another status fails and says which it was', () => {
  const r = checkSmoke(spec, 500, 'boom');
  assert.is(r.ok, false);
  assert.match(r.reason, /answered 500, expected 200: boom/);
});

test('the right status without the expected text fails', () => {
  const r = checkSmoke(spec, 200, '{"status":"starting"}');
  assert.is(r.ok, false);
  assert.match(r.reason, /without 'ok'/);
});

test('without "contains", the status alone decides', () => {
  assert.is(checkSmoke({ ...spec, contains: undefined }, 200, '').ok, true);
});

test.run();
