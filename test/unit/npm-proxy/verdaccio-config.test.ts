// The proxy's config and log: storage inside the run's private folder, the machine's registry as the only uplink with
// metadata kept for the run, no web UI, and JSON log lines from which the requests a build made are counted.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { countRequests, verdaccioConfig } from '../../../src/npm-proxy/route.ts';

const UPLINK = 'https://registry.example.test/';

test('storage, plugins and users live in the private folder; every package is proxied to the one uplink', () => {
  const c = parse(verdaccioConfig({ dir: '/tmp/stagebench-npm-x', uplink: UPLINK })) as Record<string, any>;
  assert.is(c.storage, '/tmp/stagebench-npm-x/storage');
  assert.is(c.auth.htpasswd.file, '/tmp/stagebench-npm-x/htpasswd');
  assert.equal(Object.keys(c.uplinks), ['machine']);
  assert.is(c.uplinks.machine.url, UPLINK);
  assert.is(c.packages['**'].proxy, 'machine');
  assert.is(c.packages['@*/*'].proxy, 'machine');
  assert.is(c.web.enable, false);
  assert.equal(c.log, { type: 'stdout', format: 'json', level: 'http' });
});

test('metadata fetched by the warm-up is kept for the run (maxage), so a cold build does not ask the uplink again', () => {
  const c = parse(verdaccioConfig({ dir: '/d', uplink: UPLINK })) as Record<string, any>;
  assert.is(c.uplinks.machine.maxage, '30d');
  assert.is(c.uplinks.machine.cache, true);
});

test("the machine's HTTPS proxy, when npm has one, is the uplink's too", () => {
  const c = parse(verdaccioConfig({ dir: '/d', uplink: UPLINK, httpsProxy: 'http://proxy.example.test:3128' })) as Record<string, any>;
  assert.is(c.uplinks.machine.https_proxy, 'http://proxy.example.test:3128');
  assert.not.ok('https_proxy' in (parse(verdaccioConfig({ dir: '/d', uplink: UPLINK })) as Record<string, any>).uplinks.machine);
});

test("requests are the http lines of clients ('sub':'in'); the proxy's own uplink requests, start-up lines and a cut last line are not", () => {
  const log = [
    '(node:1) Warning: Verdaccio doesn\'t need superuser privileges.',
    '{"level":30,"msg":"http address - http://127.0.0.1:4873/ - verdaccio/6.8.0"}',
    '{"level":25,"sub":"in","request":{"method":"GET","url":"/ms"},"status":200,"msg":"200, user: null(127.0.0.1), req: \'GET /ms\'"}',
    '{"level":25,"request":{"method":"GET","url":"https://registry.example.test/ms"},"status":200,"msg":"200, req: \'GET https://registry.example.test/ms\' (streaming)"}',
    '{"level":25,"sub":"in","request":{"method":"GET","url":"/ms/-/ms-2.1.3.tgz"},"status":200,"msg":"x"}',
    '{"level":25,"sub":"in","request":{"method":"GET","url":"/expr',
  ].join('\n');
  assert.is(countRequests(log), 2);
  assert.is(countRequests(''), 0);
});

test.run();
