// The run phase with scenario.json run.services (issue 31): an app whose health route needs a TCP service passes only
// with the service beside it; the service's start (made slow on purpose) is preparation, not the app's start-up; a
// service image that cannot be had skips the run phase with its reason and the command that measures it; SIGTERM
// and kill -9 then `clean` leave no service container behind, and `clean --dry-run` lists it first.
//
// The service image is built here from the offline slim image: a node TCP server that waits READY_DELAY_MS before it
// listens on PORT and answers "pong". Runs use TMPDIR of their own, so `clean` touches no one else's runs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSamples } from '../../../src/results/read.ts';
import { cleanupAfter, setupBefore } from '../../support/setup.ts';
import { spawnCaptured } from '../../support/spawn.ts';
import { DOCKER } from '../../support/docker.ts';
import { makeScenario, scenarioJson, slimDockerfile, uniqueToken } from '../../support/scenario-folder.ts';
import { Folders, cleanCli, exitOf, killHarness, startHarness, until, type Harness } from '../faults/support.ts';

const SERVICE_IMAGE = `stagebench-test/tcp-store:${process.pid}`;
const SERVICE_LABEL = 'org.stagebench.service';
const DELAY_MS = 10_000;

const STORE_JS = `const net = require('net');
setTimeout(() => net.createServer((s) => s.end('pong\\n')).listen(Number(process.env.PORT), '127.0.0.1'), Number(process.env.READY_DELAY_MS || 0));
`;

// Answers /health with ok only when the store answers pong: without its service the app is up but not healthy.
const APP_JS = `const http = require('http');
const net = require('net');
http.createServer((q, res) => {
  const c = net.connect(Number(process.env.STORE_PORT || 7000), process.env.STORE_HOST || 'store');
  let got = '';
  c.on('data', (d) => (got += d));
  c.on('error', (e) => { res.statusCode = 503; res.end('store: ' + e.message); });
  c.on('end', () => { res.statusCode = got.startsWith('pong') ? 200 : 503; res.end(got.startsWith('pong') ? 'ok' : 'store said ' + got); });
}).listen(process.env.PORT || 3000, process.env.HOST || '0.0.0.0');
`;

const dirs = new Folders();
let root = '';
let base = '';
const harnesses: Harness[] = [];
const env = () => ({ TMPDIR: base });

function scenario(name: string, services?: Record<string, unknown>, runEnv?: Record<string, string>): void {
  const dockerfile = slimDockerfile(`echo ${uniqueToken()} > /token.txt`);
  const json = scenarioJson(name, { single: { dockerfile: 'Dockerfile.single' } });
  makeScenario(root, name, {
    variants: { single: { dockerfile } },
    files: { 'app.js': APP_JS },
    json: { ...json, ...(services || runEnv ? { run: { ...(runEnv ? { env: runEnv } : {}), ...(services ? { services } : {}) } } : {}) },
  });
}

const store = (extra: Record<string, unknown> = {}) => ({
  store: { image: SERVICE_IMAGE, port: 7000, env: { PORT: '{{port}}', READY_DELAY_MS: String(DELAY_MS) }, ...extra },
});
const storeEnv = { STORE_HOST: 'store', STORE_PORT: '{{services.store.port}}' };

async function docker(args: string[]): Promise<string> {
  const r = await spawnCaptured(DOCKER, args);
  if (r.code !== 0) throw new Error(`docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const serviceContainers = async () => (await docker(['ps', '-a', '-q', '--filter', `label=${SERVICE_LABEL}`, '--filter', `name=stagebench-`])).split('\n').filter(Boolean);

function run(args: string[]): Harness {
  const h = startHarness(['run', '--scenarios', root, ...args], { env: env() });
  harnesses.push(h);
  return h;
}

setupBefore(test, async () => {
  root = dirs.make('services');
  base = dirs.make('/tmp/sbsvc');
  const ctx = join(root, '.store-image');
  mkdirSync(ctx, { recursive: true });
  writeFileSync(join(ctx, 'store.js'), STORE_JS);
  writeFileSync(join(ctx, 'Dockerfile'), 'FROM stagebench-offline/node:20-slim\nCOPY store.js /store.js\nCMD ["node", "/store.js"]\n');
  await docker(['build', '--network', 'host', '-q', '-t', SERVICE_IMAGE, ctx]);
  scenario('svc-none', undefined, { STORE_HOST: 'store', STORE_PORT: '7000' });
  scenario('svc-with', store(), storeEnv);
  scenario('svc-absent', { store: { image: 'stagebench-test/no-such-image:never', port: 7000 } }, storeEnv);
  scenario('svc-slow', store({ env: { PORT: '{{port}}', READY_DELAY_MS: '600000' }, ready_timeout_ms: 900000 }), storeEnv);
});

test('without run.services the run phase fails: the app answers 503, its store unreachable', async () => {
  const out = join(root, 'out-none');
  const h = run(['--scenario', 'svc-none', '--phase', 'run', '--iterations', '1', '--out', out]);
  const { code } = await exitOf(h, 300_000);
  assert.is(code, 1, h.stderr());
  const rows = readSamples(join(out, 'samples.csv')).filter((r) => r.phase === 'run');
  assert.is(rows.length, 1);
  assert.is(rows[0].ok, false);
  assert.match(rows[0].error, /answered 503/);
});

test('with run.services it passes; the service starts once per variant and its start is not in the start-up time', async () => {
  const out = join(root, 'out-with');
  const h = run(['--scenario', 'svc-with', '--scenario', 'svc-absent', '--phase', 'run', '--iterations', '3', '--out', out]);
  const { code } = await exitOf(h, 300_000);
  assert.is(code, 0, `${h.stdout()}\n${h.stderr()}`);
  const rows = readSamples(join(out, 'samples.csv')).filter((r) => r.phase === 'run');
  const mine = rows.filter((r) => r.scenario === 'svc-with');
  assert.is(mine.length, 3);
  assert.ok(mine.every((r) => r.ok), JSON.stringify(mine.map((r) => r.error)));
  const info = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { services?: Array<{ service: string; ready_ms: number }>; skipped?: Array<{ scenario: string; reason: string; command: string }> };
  // Once for the variant's three samples, and it took at least the delay the service waits before it listens.
  assert.is(info.services?.length, 1, JSON.stringify(info.services));
  assert.ok(info.services![0].ready_ms >= DELAY_MS, `ready in ${info.services![0].ready_ms} ms`);
  const startUps = mine.map((r) => r.duration_ms as number);
  assert.ok(Math.max(...startUps) < DELAY_MS, `start-ups ${startUps.join(', ')} ms hold no part of the service's ${DELAY_MS} ms`);
  assert.match(h.stderr() + h.stdout(), /service store \(stagebench-test\/tcp-store:\d+\) ready on 127\.0\.0\.1:\d+ in .*preparation, not in the app's start-up/);

  // The scenario whose service image cannot be had: no sample, a skip said before the first sample, in run.json and the claims table.
  assert.is(rows.filter((r) => r.scenario === 'svc-absent').length, 0);
  const all = h.stderr() + h.stdout();
  const said = all.indexOf('svc-absent: run phase skipped, not measured');
  assert.ok(said >= 0, all);
  assert.ok(said < all.indexOf('svc-with single run #1'), 'the skip is said before the first sample');
  assert.is(info.skipped?.[0]?.scenario, 'svc-absent');
  assert.match(info.skipped![0].reason, /stagebench-test\/no-such-image:never is not on the engine and cannot be pulled/);
  assert.match(h.stdout(), /not measured\s+Smaller images start faster[^\n]*\n(?:.*\n)*?.*svc-absent: not measured: run\.services: image stagebench-test\/no-such-image:never/);
  assert.match(h.stdout(), /to measure: docker pull stagebench-test\/no-such-image:never && npm run bench -- --scenarios \S+ --scenario svc-absent --phase run/);
  assert.equal(await serviceContainers(), [], 'no service container left after the run');
});

test('SIGTERM while the service starts: the run removes its service container', async () => {
  const h = run(['--scenario', 'svc-slow', '--phase', 'run', '--iterations', '1', '--out', join(root, 'out-term')]);
  await until('the service container', async () => (await serviceContainers()).length > 0, 240_000, 250);
  h.child.kill('SIGTERM');
  await exitOf(h, 60_000);
  assert.equal(await serviceContainers(), []);
});

test('kill -9 leaves the service container; clean --dry-run lists it, clean removes it', async () => {
  const h = run(['--scenario', 'svc-slow', '--phase', 'run', '--iterations', '1', '--out', join(root, 'out-kill')]);
  const [id] = await until('the service container', async () => {
    const ids = await serviceContainers();
    return ids.length > 0 ? ids : undefined;
  }, 240_000, 250);
  h.child.kill('SIGKILL');
  await exitOf(h, 10_000);
  assert.equal(await serviceContainers(), [id], 'still there after kill -9');
  const dry = await cleanCli(['--dry-run'], env());
  assert.is(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, new RegExp(`would remove container ${id.slice(0, 12)} stagebench-\\S+-svc-slow-single-svc-store`));
  assert.equal(await serviceContainers(), [id], 'dry run removes nothing');
  const clean = await cleanCli([], env());
  assert.is(clean.code, 0, clean.stderr);
  assert.equal(await serviceContainers(), []);
});

cleanupAfter(test, async () => {
  for (const h of harnesses) killHarness(h);
  for (const id of await serviceContainers()) await docker(['rm', '-f', id]);
  await spawnCaptured(DOCKER, ['rmi', '-f', SERVICE_IMAGE]);
  dirs.remove();
});

test.run();
