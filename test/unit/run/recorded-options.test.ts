// --resume reads the run's options back from run.json: every field through the command line's own rules, a bad one
// refused with exit 2 naming the file, the field and its flag (issue 13). A table of crafted files, growing with each
// one found.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError } from '../../../src/errors.ts';
import { parseRecordedOptions, parseRunOptions } from '../../../src/run/options.ts';

const FILE = '/abs/out/run.json';
const good = JSON.parse(JSON.stringify(parseRunOptions(['--scenarios', '/abs/scen', '--phase', 'build', '--iterations', '3', '--out', '/abs/out'], '/x'))) as Record<string, unknown>;

test('the options a run recorded read back as they were', () => {
  const o = parseRecordedOptions(good, FILE);
  assert.is(o.scenariosDir, '/abs/scen');
  assert.equal(o.phases, ['build-cold', 'build-warm', 'build-warm-src', 'build-warm-deps']);
  assert.is(o.iterations, 3);
  assert.is(o.timeoutMs, 1_800_000);
});

const BAD: Array<[string, unknown, RegExp]> = [
  ['options null', null, /'options' must be an object/],
  ['options a list', [], /'options' must be an object/],
  ['scenarios a string', { ...good, scenarios: 'express-api' }, /options\.scenarios \(the --scenario option\) has the wrong type/],
  ['a relative scenarios folder', { ...good, scenariosDir: 'scenarios' }, /options\.scenariosDir .*absolute path/],
  ['1e9 iterations', { ...good, iterations: 1e9 }, /options\.iterations \(the --iterations option\) is not valid: --iterations takes a whole number from 1 to 1000/],
  ['negative warmup', { ...good, warmup: -1 }, /options\.warmup .*--warmup takes a whole number from 0/],
  ['iterations a string', { ...good, iterations: '3' }, /options\.iterations .*wrong type/],
  ['an unknown builder', { ...good, builder: 'kaniko' }, /options\.builder .*--builder takes one of buildkit, legacy/],
  ['an unknown phase', { ...good, phases: ['build-cold', 'rm-rf'] }, /options\.phases .*--phase 'rm-rf' is not a phase/],
  ['an unknown scanner', { ...good, scanner: 'clamav' }, /options\.scanner .*--scanner takes one of/],
  ['a registry URL with a scheme', { ...good, registry: 'http://evil.example.com' }, /options\.registry .*--registry takes 'embedded' or HOST/],
  ['a pull target that is not an engine URL', { ...good, pullTarget: 'file:///etc/passwd' }, /options\.pullTarget .*--pull-target takes 'embedded' or an engine URL/],
  ['scanner arguments not strings', { ...good, scannerArgs: [{ o: 1 }] }, /options\.scannerArgs .*wrong type/],
  ['a shard out of range', { ...good, shard: { index: 3, count: 2 } }, /options\.shard .*--shard takes I\/N/],
  ['a timeout that is not whole seconds', { ...good, timeoutMs: 1500 }, /options\.timeoutMs .*--timeout takes a whole number/],
  ['a zero timeout', { ...good, timeoutMs: 0 }, /options\.timeoutMs .*--timeout/],
  ['registryInsecure a string', { ...good, registryInsecure: 'yes' }, /options\.registryInsecure .*wrong type/],
  ['scan with scanner none', { ...good, phases: ['scan'], scanner: 'none' }, /recorded options do not go together: --phase scan needs a scanner/],
];

for (const [name, options, message] of BAD) {
  test(`refused, naming the field: ${name}`, () => {
    try {
      parseRecordedOptions(options, FILE);
      assert.unreachable('accepted');
    } catch (err) {
      assert.instance(err, UsageError, String(err));
      assert.ok((err as Error).message.startsWith(`${FILE}: `), (err as Error).message);
      assert.match((err as Error).message, message);
      assert.match((err as Error).message, /start a new run/);
    }
  });
}

test.run();
