// Credentials given to a scanner through --scanner-arg (trivy --password, --registry-token) are never recorded: not in
// run.json's command line or options, not in a failed scan's error (the samples.csv error column), and a resumed run
// asks for them again instead of using the redacted text.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resumedOptions } from '../../../src/commands/run.ts';
import { UsageError } from '../../../src/errors.ts';
import { redactArgs, redactToolArgs } from '../../../src/net/redact-url.ts';
import { parseRunOptions } from '../../../src/run/options.ts';
import { trivyScanner } from '../../../src/scan/trivy.ts';
import { cleanupAfter } from '../../support/setup.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

cleanupAfter(test, removeTempDirs);

test('the command line keeps --scanner-arg values, without credentials, in both spellings', () => {
  const argv = ['stagebench', 'run', '--scanner=trivy', '--scanner-arg=--password=hunter2', '--scanner-arg', '--registry-token', '--scanner-arg', 'tok-abc', '--scanner-arg=--skip-db-update'];
  const shown = redactArgs(argv).join(' ');
  assert.not.match(shown, /hunter2|tok-abc/);
  assert.match(shown, /--scanner-arg=--password=\*\*\* --scanner-arg --registry-token --scanner-arg \*\*\* --scanner-arg=--skip-db-update/);
});

test("a tool's arguments: --password X, --password=X, user:pw@ in a URL; other options kept", () => {
  assert.equal(redactToolArgs(['--password', 'pw1', '--username', 'me', '--token=t2', '--server', 'https://u:p@h/x', '--timeout', '5m']),
    ['--password', '***', '--username', 'me', '--token=***', '--server', 'https://h/x', '--timeout', '5m']);
});

test("a failed trivy scan's error shows neither the password in its command nor where trivy echoed it", async () => {
  const dir = tempDir('trivy-secret');
  const trivy = join(dir, 'trivy');
  writeFileSync(trivy, '#!/bin/sh\nif [ "$1" = version ]; then echo \'{"Version":"0.50.0"}\'; exit 0; fi\necho "login failed for $*" >&2\nexit 1\n');
  chmodSync(trivy, 0o755);
  const scanner = trivyScanner(trivy, ['--password', 'hunter2', '--registry-token=tok-abc'], process.env.PATH);
  const err = await scanner.scan('img:1', { kind: 'engine' } as never).then(() => undefined, (e: unknown) => e as Error);
  assert.ok(err, 'the scan failed');
  assert.not.match(err!.message, /hunter2|tok-abc/);
  assert.match(err!.message, /--password \*\*\*/);
});

test('resuming a run whose scanner arguments were redacted: asks for them again; given again, they are used', () => {
  const recorded = { ...parseRunOptions([]), scannerArgs: ['--password', '***'] };
  assert.throws(() => resumedOptions(recorded, ['--resume=/r'], '/r'), (e: unknown) => e instanceof UsageError && /give the same --scanner-arg options again/.test(e.message));
  const resumed = resumedOptions(recorded, ['--resume=/r', '--scanner-arg=--password', '--scanner-arg=hunter2'], '/r');
  assert.equal(resumed.scannerArgs, ['--password', 'hunter2']);
});

test.run();
