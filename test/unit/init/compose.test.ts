// init's reading of an app's compose file (issue 31): depends_on in list and map form and links become run.services,
// environment in list and map form becomes run.env after compose's interpolation, host names and ports are rewritten
// to the run's, and what is left out is said.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dependencies, environmentOf, interpolate, parseDotenv, readCompose } from '../../../src/init/compose.ts';
import { serviceProblems } from '../../../src/scenario/services.ts';

test('interpolate: ${VAR}, ${VAR:-default}, ${VAR-default}, $VAR and $$, unset names collected', () => {
  const vars = { USER: 'app', EMPTY: '' };
  const unset = new Set<string>();
  assert.is(interpolate('${USER}:${PASS:-secret}@$USER', vars, unset), 'app:secret@app');
  assert.is(interpolate('${EMPTY:-d}|${EMPTY-d}|${NOPE-d}', vars, unset), 'd||d');
  assert.is(interpolate('cost $$5 ${NOPE}', vars, unset), 'cost $5 ');
  assert.is(interpolate('${OUTER:-${USER}-x}', vars, unset), 'app-x');
  assert.equal([...unset], ['NOPE']);
});

test('environment in list and map form; a name without a value takes the .env one or is missing', () => {
  const missing: string[] = [];
  assert.equal(environmentOf(['A=1', 'B=x=y', 'C', 'D'], { C: 'from-dotenv' }, missing), { A: '1', B: 'x=y', C: 'from-dotenv' });
  assert.equal(missing, ['D']);
  assert.equal(environmentOf({ N: 5, T: true, S: 'text', E: null }, {}), { N: '5', T: 'true', S: 'text' });
});

test('depends_on list and map forms, and links with an alias', () => {
  assert.equal([...dependencies({ depends_on: ['db', 'cache'] })], [['db', []], ['cache', []]]);
  assert.equal([...dependencies({ depends_on: { db: { condition: 'service_healthy' } }, links: ['redis:cache', 'db'] })], [['db', []], ['redis', ['cache']]]);
});

test('.env: comments, export and quotes', () => {
  assert.equal(parseDotenv('# c\nexport A=1\nB="two words"\nC=x # note\n\nbad line\n'), { A: '1', B: 'two words', C: 'x' });
});

const EXPRESS_MONGO = `
version: '3'
services:
  nodejs:
    build:
      context: .
      dockerfile: Dockerfile
    image: nodejs
    container_name: nodejs
    restart: unless-stopped
    env_file: .env
    environment:
      - MONGO_USERNAME=$MONGO_USERNAME
      - MONGO_PASSWORD=\${MONGO_PASSWORD}
      - MONGO_HOSTNAME=db
      - MONGO_PORT=\${MONGO_PORT:-27017}
      - MONGO_DB=\${MONGO_DB:-sharkinfo}
    ports:
      - "80:8080"
    volumes:
      - .:/home/node/app
    depends_on:
      - db
  db:
    image: mongo:4.1.8-xenial
    container_name: db
    env_file: .env
    environment:
      - MONGO_INITDB_ROOT_USERNAME=$MONGO_USERNAME
      - MONGO_INITDB_ROOT_PASSWORD=$MONGO_PASSWORD
    volumes:
      - dbdata:/data/db
  webserver:
    image: nginx
    ports: ["443:443"]
volumes:
  dbdata:
`;

test('an Express app with MongoDB: the db becomes a service on a chosen port, the app env points at it', () => {
  const dotenv = { MONGO_USERNAME: 'sammy', MONGO_PASSWORD: 'pw' };
  const r = readCompose(EXPRESS_MONGO, 'docker-compose.yml', dotenv, (rel) => (rel === '.env' ? 'MONGO_USERNAME=sammy\nMONGO_PASSWORD=pw\n' : undefined));
  assert.is(r.app, 'nodejs');
  assert.equal(Object.keys(r.services), ['db']);
  const db = r.services.db;
  assert.is(db.image, 'mongo:4.1.8-xenial');
  assert.is(db.port, 27017);
  assert.equal(db.command, ['--port', '{{port}}']);
  assert.is(db.env?.MONGO_INITDB_ROOT_USERNAME, 'sammy');
  assert.is(db.env?.MONGO_INITDB_ROOT_PASSWORD, 'pw');
  assert.is(r.env.MONGO_HOSTNAME, 'db');
  assert.is(r.env.MONGO_PORT, '{{services.db.port}}');
  assert.is(r.env.MONGO_DB, 'sharkinfo');
  assert.is(r.env.MONGO_USERNAME, 'sammy');
  const out = r.leftOut.join('\n');
  assert.match(out, /service webserver: the app neither depends on it nor links to it/);
  assert.match(out, /service db: volumes \(its data is not kept/);
  assert.match(out, /service nodejs: volumes, ports, build/);
  assert.match(r.took.join('\n'), /run\.env\.MONGO_PORT: 27017 -> \{\{services\.db\.port\}\}/);
  assert.equal(serviceProblems({ env: r.env, services: r.services }), []);
});

const PG_MAP = `
services:
  api:
    build: .
    environment:
      DATABASE_URL: postgres://app:\${POSTGRES_PASSWORD}@database:5432/app
      CACHE_URL: redis://cache
      NODE_ENV: production
      UNSET_ONE: \${NOT_SET}
    depends_on:
      postgres:
        condition: service_healthy
    links:
      - redis:cache
  postgres:
    image: postgres:16-alpine
    hostname: database
    environment:
      POSTGRES_USER: app
      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD:-devpass}
      POSTGRES_DB: app
    ports:
      - "5433:5432"
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U app"]
      interval: 5s
  redis:
    image: redis:7
    command: redis-server --appendonly yes
  worker:
    build: ./worker
`;

test('map forms, links with an alias, a healthcheck: host names and URLs rewritten, ports moved', () => {
  const r = readCompose(PG_MAP, 'compose.yaml', {});
  assert.is(r.app, 'api');
  assert.equal(Object.keys(r.services).sort(), ['postgres', 'redis']);
  const pg = r.services.postgres;
  assert.is(pg.port, 5432);
  assert.is(pg.env?.PGPORT, '{{port}}');
  assert.is(pg.env?.POSTGRES_PASSWORD, 'devpass');
  assert.equal(pg.ready, { command: ['sh', '-c', 'pg_isready -U app'] });
  assert.equal(pg.aliases, ['database']);
  assert.equal(r.services.redis.command, ['redis-server', '--appendonly', 'yes', '--port', '{{port}}']);
  assert.is(r.env.DATABASE_URL, 'postgres://app:@postgres:{{services.postgres.port}}/app');
  assert.is(r.env.CACHE_URL, 'redis://redis:{{services.redis.port}}');
  assert.is(r.env.NODE_ENV, 'production');
  assert.is(r.env.UNSET_ONE, '');
  const out = r.leftOut.join('\n');
  assert.match(out, /variables [^\n]*NOT_SET/);
  assert.match(out, /service worker: the app neither depends on it/);
  assert.match(out, /service postgres: ports/);
});

test('a build-only dependency and an image without a known port are left out; an exposed port stays fixed', () => {
  const text = `
services:
  web:
    build: .
    environment: ["SEARCH=http://search:9200", "QUEUE_HOST=queue"]
    depends_on: [search, queue, custom]
  search:
    image: example/search:1
    expose: ["9200"]
  queue:
    image: example/queue:2
  custom:
    build: ./custom
`;
  const r = readCompose(text, 'compose.yml');
  assert.equal(Object.keys(r.services), ['search']);
  assert.is(r.services.search.port, 9200);
  assert.is(r.services.search.command, undefined);
  assert.is(r.env.SEARCH, 'http://search:9200', 'a fixed port is not rewritten');
  const out = r.leftOut.join('\n');
  assert.match(out, /service queue \(example\/queue:2\): no port found/);
  assert.match(out, /service custom: it has a build section and no image/);
});

const PARENT = `
version: '3.8'
services:
  postgresdb:
    image: postgres
    env_file: ./.env
    environment:
      - POSTGRES_USER=$POSTGRESDB_USER
      - POSTGRES_DB=$POSTGRESDB_DATABASE
    ports:
      - $POSTGRESDB_LOCAL_PORT:$POSTGRESDB_DOCKER_PORT
  other:
    build: ./other-app
  app:
    depends_on: [postgresdb]
    build: ./api
    environment:
      - DB_HOST=postgresdb
      - DB_PORT=$POSTGRESDB_DOCKER_PORT
`;

test('a compose file in the parent folder: the app is the service that builds its folder; .env interpolates the ports', () => {
  const dotenv = { POSTGRESDB_USER: 'postgres', POSTGRESDB_DATABASE: 'db1', POSTGRESDB_LOCAL_PORT: '5433', POSTGRESDB_DOCKER_PORT: '5432' };
  const r = readCompose(PARENT, '../docker-compose.yml', dotenv, () => undefined, 'api');
  assert.is(r.app, 'app');
  assert.is(r.services.postgresdb.port, 5432);
  assert.is(r.services.postgresdb.env?.PGPORT, '{{port}}');
  assert.equal(r.env, { DB_HOST: 'postgresdb', DB_PORT: '{{services.postgresdb.port}}' });
  assert.match(r.leftOut.join('\n'), /env_file \.\/\.env \(not found beside the compose file\)/);
  assert.throws(() => readCompose(PARENT, '../docker-compose.yml', dotenv, () => undefined, 'elsewhere'), /none has the build context elsewhere/);
});

test('a service whose port no run.env value carries keeps its own port (the app looks for it there)', () => {
  const text = `
services:
  web:
    build: .
    environment: { DB_HOST: db }
    depends_on: [db, cache]
  db:
    image: postgres:16
    environment: { POSTGRES_PASSWORD: pw }
  cache:
    image: redis:7
    command: ["redis-server", "--save", ""]
`;
  const r = readCompose(text, 'compose.yml');
  assert.equal(r.services.db.env, { POSTGRES_PASSWORD: 'pw' });
  assert.equal(r.services.cache.command, ['redis-server', '--save', '']);
  assert.equal(r.services.cache.port, 6379);
  assert.match(r.took.join('\n'), /service db -> run\.services\.db: postgres:16, its own port 5432 \(no run\.env value carries its port/);
});

test('a compose file with no service that builds the app, or no services, is an error naming the file', () => {
  assert.throws(() => readCompose('services:\n  db:\n    image: mongo\n', 'compose.yml'), /compose\.yml: no service builds the app/);
  assert.throws(() => readCompose('version: "3"\n', 'compose.yml'), /compose\.yml: no "services" section/);
  assert.throws(() => readCompose('services: [\n', 'compose.yml'), /compose\.yml: not valid YAML/);
});

test.run();
