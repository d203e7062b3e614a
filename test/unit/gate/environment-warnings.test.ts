import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { environmentWarnings } from '../../../src/gate/environment.ts';
import { runInfo } from './fixtures.ts';

test('the same environment gives no warning, whatever the host and run id', () => {
  const a = runInfo();
  const b = runInfo({ run_id: 'run-b', env: { host: 'runner-7', memory_bytes: 8e9 } });
  assert.equal(environmentWarnings({ label: 'A', info: a }, { label: 'B', info: b }), []);
});

test('engine version, CPU count, builder and profile differences are each named with both values', () => {
  const a = runInfo();
  const b = runInfo({
    env: { engine_version: '24.0.7', cpus: 4, builder: 'legacy' },
    profile: { name: 'online', chosen_by: 'auto', images: {} },
  });
  const warnings = environmentWarnings({ label: 'base', info: a }, { label: 'cur', info: b });
  assert.is(warnings.length, 4);
  assert.match(warnings[0], /engine version differs: 20\.10\.24 in base, 24\.0\.7 in cur/);
  assert.match(warnings[1], /CPU count differs: 2 in base, 4 in cur/);
  assert.match(warnings[2], /builder differs: buildkit in base, legacy in cur/);
  assert.match(warnings[3], /profile differs: offline in base, online in cur/);
});

test('a direct run compared with one through the local npm proxy warns; a run older than the option counts as direct', () => {
  const direct = runInfo();
  const local = { ...runInfo(), npm_registry: { kind: 'local' as const, chosen_by: 'option' as const, address: '127.0.0.1:4873', proxy: 'verdaccio 6.8.0' } };
  const warnings = environmentWarnings({ label: 'base', info: direct }, { label: 'cur', info: local });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /npm registry differs: direct in base, local in cur/);
  const explicitDirect = { ...runInfo(), npm_registry: { kind: 'direct' as const, chosen_by: 'auto' as const } };
  assert.equal(environmentWarnings({ label: 'a', info: direct }, { label: 'b', info: explicitDirect }), []);
});

test('a side without run.json is said to be unchecked', () => {
  const warnings = environmentWarnings({ label: 'x/samples.csv' }, { label: 'cur', info: runInfo() });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /x\/samples\.csv has no run\.json/);
});

test.run();
