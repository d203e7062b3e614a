// Shared by the npm proxy tests: a scenario whose builds install one small package, and the cache folder the proxy
// is installed into (one per machine and user, kept between test runs: the install takes minutes, once).
import { tmpdir } from 'node:os';
import { makeScenario, scenarioJson, uniqueToken } from '../../support/scenario-folder.ts';

/** Where the tests install the proxy: not the user's own cache, so a test never changes what `auto` chooses there. */
export const TEST_CACHE = `${tmpdir()}/stagebench-test-cache-${typeof process.getuid === 'function' ? process.getuid() : 0}`;

const PKG = { name: 'npmproxy-app', version: '1.0.0', private: true, dependencies: { ms: '2.1.3' } };
// No `resolved` addresses (as in every shipped lockfile): npm finds each package through the registry it is given.
const LOCK = {
  name: 'npmproxy-app',
  version: '1.0.0',
  lockfileVersion: 3,
  requires: true,
  packages: {
    '': { name: 'npmproxy-app', version: '1.0.0', dependencies: { ms: '2.1.3' } },
    'node_modules/ms': { version: '2.1.3', integrity: MS_INTEGRITY(), license: 'MIT' },
  },
};

function MS_INTEGRITY(): string {
  return 'sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==';
}

/** A Dockerfile on the slim image that installs the lockfile with `install` (after a token step new to the cache). */
export function installDockerfile(token: string, lines: string[]): string {
  return ['ARG NODE_SLIM_IMAGE=node:20-slim', 'FROM ${NODE_SLIM_IMAGE}', `RUN echo ${token} > /token.txt`, 'WORKDIR /app', 'COPY package*.json ./', ...lines, 'COPY app.js ./', 'CMD ["node", "app.js"]', ''].join('\n');
}

/** A scenario whose variants are the given Dockerfiles; its dependency change installs the same package. */
export function npmScenario(root: string, name: string, variants: Record<string, string>): { dir: string; token: string } {
  const token = uniqueToken();
  const specs = Object.fromEntries(Object.keys(variants).map((v) => [v, { dockerfile: `Dockerfile.${v}` }]));
  const json = scenarioJson(name, specs) as { changes: { dependency: { replace: Record<string, string>; description: string } } };
  json.changes.dependency = {
    replace: { 'package.json': 'bench-changes/package.json', 'package-lock.json': 'bench-changes/package-lock.json' },
    description: 'the same dependency (a marker field makes it a change)',
  };
  const text = (o: unknown) => `${JSON.stringify(o, null, 2)}\n`;
  const dir = makeScenario(root, name, {
    variants: Object.fromEntries(Object.entries(variants).map(([v, d]) => [v, { dockerfile: d.replaceAll('TOKEN', token) }])),
    json: json as unknown as Record<string, unknown>,
    files: {
      'package.json': text(PKG),
      'package-lock.json': text(LOCK),
      'bench-changes/package.json': text(PKG),
      'bench-changes/package-lock.json': text(LOCK),
    },
  });
  return { dir, token };
}
