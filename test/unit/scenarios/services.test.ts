// scenario.json run.services (issue 31): the port a service listens on ({{port}} where the harness chooses it), the
// app's {{services.NAME.port}}, the host entries, and the problems the loader reports.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appEnv, choosesPort, hostEntries, serviceCommand, serviceEnv, serviceProblems } from '../../../src/scenario/services.ts';
import { inspectScenario } from '../../../src/scenario/load.ts';
import { makeScenario, scenarioJson } from '../../support/scenario-folder.ts';
import { cleanupAfter } from '../../support/setup.ts';
import { removeTempDirs, tempDir } from '../../support/temp-dir.ts';

cleanupAfter(test, removeTempDirs);

const pg = { image: 'postgres:16', port: 5432, env: { PGPORT: '{{port}}', POSTGRES_PASSWORD: 'pw' } };
const fixed = { image: 'example/search:1', port: 9200, command: ['serve'] };

test('{{port}} in env or command: the harness chooses the port and fills it in', () => {
  assert.ok(choosesPort(pg));
  assert.not.ok(choosesPort(fixed));
  assert.ok(choosesPort({ image: 'redis', port: 6379, command: ['--port', '{{port}}'] }));
  assert.equal(serviceEnv(pg, 41000), ['PGPORT=41000', 'POSTGRES_PASSWORD=pw']);
  assert.equal(serviceCommand({ image: 'redis', port: 6379, command: ['--port', '{{port}}'] }, 41001), ['--port', '41001']);
  assert.is(serviceCommand(pg, 1), undefined);
});

test('run.env: {{services.NAME.port}} filled in; host entries put every name and alias on 127.0.0.1', () => {
  assert.equal(appEnv({ URL: 'postgres://u@db:{{services.db.port}}/x', N: 'plain' }, { db: 41000 }), { URL: 'postgres://u@db:41000/x', N: 'plain' });
  assert.equal(hostEntries({ db: { ...pg, aliases: ['database'] }, search: fixed }), ['db:127.0.0.1', 'database:127.0.0.1', 'search:127.0.0.1']);
});

test('problems: an unknown placeholder, a port of no service, a host name twice, localhost', () => {
  const problems = serviceProblems({
    env: { A: '{{services.nope.port}}', B: '{{services.db.host}}', C: '{{services.db.port}}' },
    services: { db: { ...pg, aliases: ['cache'], env: { X: '{{host}}' } }, cache: fixed, localhost: fixed },
  });
  assert.equal(problems, [
    'run.env.A: {{services.nope.port}} names no service of run.services (db, cache, localhost)',
    'run.env.B: unknown placeholder {{services.db.host}}; the one run.env knows is {{services.NAME.port}}',
    'run.services.db.env.X: unknown placeholder {{host}}; a service knows {{port}} only',
    "run.services.cache: the host name 'cache' is also service db's",
    "run.services.localhost: 'localhost' cannot name a service; choose another name",
  ]);
});

test('the loader reads run.services and reports a bad one with its key', () => {
  const root = tempDir('services-load');
  const base = scenarioJson('svc', { single: { dockerfile: 'Dockerfile.single' } });
  const good = makeScenario(root, 'svc', { json: { ...base, run: { env: { DB_PORT: '{{services.db.port}}' }, services: { db: pg } } } });
  const ok = inspectScenario(good);
  assert.equal(ok.problems, []);
  assert.equal(ok.scenario?.run?.services?.db.env, pg.env);
  const bad = makeScenario(root, 'bad', { json: { ...base, name: 'bad', run: { services: { DB: { image: 'x', port: 0, ready: { http: '/' } } } } } });
  const messages = inspectScenario(bad).problems.map((p) => p.message).join('\n');
  assert.match(messages, /run\.services\.DB/);
});

test.run();
