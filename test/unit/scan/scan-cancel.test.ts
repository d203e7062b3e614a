// Scans stop when asked (issue 13): Ctrl-C and --timeout reach trivy and grype (the tool is killed, not waited for)
// and the built-in scanner (it stops reading the image).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { grypeScanner } from '../../../src/scan/grype.ts';
import { trivyScanner } from '../../../src/scan/trivy.ts';
import { builtinScanner } from '../../../src/scan/builtin/builtin-scanner.ts';

const dir = mkdtempSync(join(tmpdir(), 'stagebench-test-scancancel-'));
const noSource = { saveImage: async () => new PassThrough() };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A tool that answers `version` and then, scanning, writes its pid and sleeps far longer than any test waits. */
function hangingTool(name: string, version: string): { program: string; pidFile: string } {
  const bin = join(dir, name);
  mkdirSync(bin, { recursive: true });
  const pidFile = join(bin, 'scan.pid');
  const program = join(bin, name);
  writeFileSync(program, `#!/bin/sh\ncase "$1" in version) echo '${version}' ;; db) exit 1 ;; *) echo $$ > '${pidFile}'; exec sleep 600 ;; esac\n`);
  chmodSync(program, 0o755);
  return { program, pidFile };
}

async function until(what: string, fn: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !fn(); i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(fn(), what);
}

for (const [name, make, version] of [
  ['trivy', trivyScanner, '{"Version":"0.50.1"}'],
  ['grype', grypeScanner, '{"application":"grype","version":"0.74.0"}'],
] as const) {
  test(`${name}: an abort kills the scanning process and the scan rejects`, async () => {
    const tool = hangingTool(name, version);
    const scanner = make(tool.program, []);
    const controller = new AbortController();
    const scan = scanner.scan('example:latest', noSource, controller.signal);
    scan.catch(() => undefined);
    await until(`${name} started`, () => existsSync(tool.pidFile) && readFileSync(tool.pidFile, 'utf8').trim() !== '');
    const pid = Number(readFileSync(tool.pidFile, 'utf8'));
    controller.abort(new Error('interrupted by SIGINT'));
    await scan.then(() => assert.unreachable('the scan finished'), () => undefined);
    await until(`${name} (pid ${pid}) killed`, () => !alive(pid));
  });
}

test('builtin: an abort stops reading the image stream; the scan rejects', async () => {
  const stream = new PassThrough();
  const scanner = builtinScanner(undefined);
  const controller = new AbortController();
  const scan = scanner.scan('example:latest', { saveImage: async () => stream }, controller.signal);
  scan.catch(() => undefined);
  stream.write(Buffer.alloc(512));
  controller.abort(new Error('interrupted by SIGINT'));
  await scan.then(() => assert.unreachable('the scan finished'), (err: Error) => assert.match(err.message, /stopped|abort|interrupt/i));
  assert.ok(stream.destroyed, 'the image stream is closed');
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
