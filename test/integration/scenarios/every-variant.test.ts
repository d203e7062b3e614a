// Every shipped scenario's single, multi and distroless variants build and answer their smoke test: a small image
// can never win by being broken. One CLI run builds them all (the run phase prepares each image untimed); the
// images are kept for the checks below and removed at the end.
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readSamples } from '../../../src/results/read.ts';
import type { SampleRow } from '../../../src/types.ts';
import { runCli } from '../../support/cli.ts';
import { removeLabelledImages, shell } from '../../support/docker.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

const SCENARIOS = ['express-api', 'native-sqlite', 'next-app'];
const VARIANTS = ['single', 'multi', 'distroless'];
let rows: SampleRow[] = [];
let runId = '';

test('every variant of every scenario builds, starts and answers its smoke request', async () => {
  const out = join(tempDir('every-variant'), 'run');
  const r = await runCli(['run', '--variant', VARIANTS.join(','), '--phase', 'run', '--iterations', '1', '--keep-images', '--out', out]);
  rows = readSamples(out);
  runId = rows[0]?.run_id ?? '';
  assert.is(r.code, 0, r.stderr.slice(-3000));
  assert.equal(rows.map((x) => `${x.scenario}/${x.variant}`).sort(), SCENARIOS.flatMap((s) => VARIANTS.map((v) => `${s}/${v}`)).sort());
  for (const row of rows) {
    assert.ok(row.ok, `${row.scenario}/${row.variant}: ${row.error}`);
    assert.ok((row.duration_ms ?? 0) > 0 && (row.image_bytes ?? 0) > 0, `${row.scenario}/${row.variant} timed and sized`);
  }
});

test('every runner image is smaller than its single-stage image', () => {
  for (const scenario of SCENARIOS) {
    const size = (v: string) => rows.find((x) => x.scenario === scenario && x.variant === v)?.image_bytes ?? 0;
    assert.ok(size('multi') < size('single') && size('distroless') < size('multi'), `${scenario}: ${VARIANTS.map(size).join(' / ')}`);
  }
});

test('no distroless image has a shell', async () => {
  for (const scenario of SCENARIOS) {
    const r = await shell(`/usr/bin/docker run --rm --network host --entrypoint /bin/sh stagebench/${scenario}:distroless -c true`);
    assert.is.not(r.code, 0, `${scenario}:distroless ran /bin/sh`);
    assert.match(r.stderr + r.stdout, /no such file|not found|executable file/i);
  }
});

test('the native-sqlite runners carry no compiler, make or python3', async () => {
  for (const variant of ['multi', 'distroless']) {
    const probe = "const fs=require('fs');console.log(['/usr/bin/gcc','/usr/bin/g++','/usr/bin/make','/usr/bin/python3'].filter((p)=>fs.existsSync(p)).join(','))";
    const entry = variant === 'distroless' ? '/nodejs/bin/node' : 'node';
    const r = await shell(`/usr/bin/docker run --rm --network host --entrypoint ${entry} stagebench/native-sqlite:${variant} -e "${probe}"`);
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stdout.trim(), '', `native-sqlite:${variant} has ${r.stdout.trim()}`);
  }
});

test('cleanup', async () => {
  if (runId) await removeLabelledImages('org.stagebench.run', runId);
  removeTempDirs();
});

test.run();
