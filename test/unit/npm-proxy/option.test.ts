// --npm-registry: its default, the values it takes, a URL normalised and refused with credentials, and its record.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseRunOptions } from '../../../src/run/options.ts';
import { parseRecordedOptions } from '../../../src/run/options.ts';
import { usageErrorOf } from '../../support/usage-error.ts';

test('no --npm-registry: auto (the local proxy where it is installed and starts, else direct)', () => {
  assert.is(parseRunOptions([]).npmRegistry, 'auto');
});

test('direct, local and auto are taken as they are', () => {
  for (const v of ['direct', 'local', 'auto']) assert.is(parseRunOptions([`--npm-registry=${v}`]).npmRegistry, v);
});

test('a URL of an existing registry or proxy is taken with a trailing slash', () => {
  assert.is(parseRunOptions(['--npm-registry', 'http://127.0.0.1:4873']).npmRegistry, 'http://127.0.0.1:4873/');
  assert.is(parseRunOptions(['--npm-registry', 'https://npm.internal.example/repo/npm/']).npmRegistry, 'https://npm.internal.example/repo/npm/');
});

test('anything else is a usage error naming the option and what it takes', () => {
  const e = usageErrorOf(() => parseRunOptions(['--npm-registry', 'nearby']));
  assert.match(e.message, /--npm-registry takes direct, local or the http\(s\) URL of a registry, not 'nearby'/);
  assert.match(usageErrorOf(() => parseRunOptions(['--npm-registry', 'ftp://127.0.0.1/'])).message, /must be http:\/\/ or https:\/\//);
});

test('a URL with a user or password is refused: credentials belong in the npm config, and the message does not echo them', () => {
  const e = usageErrorOf(() => parseRunOptions(['--npm-registry', 'https://me:s3cret@npm.internal.example/']));
  assert.match(e.message, /carries a user or password; keep the credentials in your npm config/);
  assert.not.match(e.message, /s3cret/);
});

test('a resumed run reads the recorded value back through the same parser', () => {
  assert.is(parseRecordedOptions({ npmRegistry: 'local' }, 'run.json').npmRegistry, 'local');
  assert.match(usageErrorOf(() => parseRecordedOptions({ npmRegistry: 'sideways' }, 'run.json')).message, /options\.npmRegistry \(the --npm-registry option\) is not valid/);
});

test.run();
