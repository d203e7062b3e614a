// The files `stagebench init` writes for an app (pure): single, multi and distroless Dockerfiles fitted to the app's
// package manager, build script, native modules and entry file, with base images as profile ARGs; the app's own
// Dockerfile with its FROM lines turned into profile ARGs; a .dockerignore; scenario.json.
import type { AppFacts } from './analyze-app.ts';
import { fromLines, withImage } from '../dockerfile/instructions.ts';

/** The official images the ARG defaults name: the online profile's, of the Node major the scenario builds on. */
export interface BaseImages {
  major: number;
  images: Record<string, string>;
}

/** bench/profiles/online.json's default major, for callers that pass none. */
export const NODE_20: BaseImages = {
  major: 20,
  images: {
    NODE_IMAGE: 'node:20',
    NODE_SLIM_IMAGE: 'node:20-slim',
    NODE_ALPINE_IMAGE: 'node:20-alpine',
    DISTROLESS_IMAGE: 'gcr.io/distroless/nodejs20-debian12',
  },
};

const arg = (name: string, base: BaseImages) => `ARG ${name}=${base.images[name]}`;

interface Parts {
  manifests: string;
  corepack: string[];
  /** The install step, after the ARG by which npm takes a run's registry (--npm-registry). */
  install: string[];
  build: string[];
  prune: string[];
  entry: string[];
}

function parts(f: AppFacts): Parts {
  const pm = f.packageManager.manager;
  const lock = f.packageManager.lockfile;
  const extra = pm.name === 'yarn-berry' ? ' .yarnrc.yml' : '';
  const install = lock ? pm.frozenInstall : `${pm.bin} install`;
  const prune: Record<string, string[]> = {
    npm: ['RUN npm prune --omit=dev'],
    pnpm: ['RUN pnpm prune --prod'],
    'yarn-classic': ['RUN yarn install --frozen-lockfile --production --prefer-offline'],
    // Berry has no production-only install without a plugin: the runner gets every dependency.
    'yarn-berry': [],
  };
  return {
    manifests: `COPY package.json${lock ? ` ${lock}` : ''}${extra} ./`,
    // Official images carry npm and yarn classic; pnpm and yarn berry come through corepack, as the images document.
    corepack: pm.needsCorepack ? ['RUN corepack enable'] : [],
    install: [...(pm.name === 'npm' ? ['ARG NPM_CONFIG_REGISTRY'] : []), `RUN ${install}`],
    build: f.buildScript ? [`RUN ${pm.run(f.buildScript)}`] : [],
    prune: prune[pm.name],
    entry: f.start.value,
  };
}

function header(f: AppFacts, what: string): string[] {
  return [
    `# ${what}`,
    `# Written by stagebench init for ${f.name || 'the app'} (${f.packageManager.manager.name}); edit freely. Base images are ARGs the profiles set.`,
  ];
}

const expose = (f: AppFacts) => `EXPOSE ${f.port.value.port}`;
const cmd = (argv: string[]) => `CMD ${JSON.stringify(argv)}`;

/** Manifests, install, sources, build: the steps every variant's first stage shares, in cache-friendly order. */
function installAndBuild(f: AppFacts): string[] {
  const p = parts(f);
  return ['WORKDIR /app', p.manifests, ...p.corepack, ...p.install, 'COPY . .', ...p.build];
}

export function singleDockerfile(f: AppFacts, base: BaseImages = NODE_20): string {
  const p = parts(f);
  return [
    ...header(f, 'Single stage on the full node image: toolchain, devDependencies and package caches ship with the app.'),
    arg('NODE_IMAGE', base),
    'FROM ${NODE_IMAGE}',
    ...installAndBuild(f),
    expose(f),
    cmd(p.entry),
    '',
  ].join('\n');
}

/** Native modules compile against glibc on the full image; their runner must be Debian too, not alpine. */
function bases(f: AppFacts): { builder: string; runner: string } {
  const native = f.nativeModules.length > 0;
  return native ? { builder: 'NODE_IMAGE', runner: 'NODE_SLIM_IMAGE' } : { builder: 'NODE_ALPINE_IMAGE', runner: 'NODE_ALPINE_IMAGE' };
}

/**
 * Without a build, the prune goes before the sources so a source change reuses it (after `COPY . .` it would rerun
 * on every change); a build needs the devDependencies with the sources, so then the prune follows the build.
 */
function builderStage(f: AppFacts, base: string): string[] {
  const p = parts(f);
  if (!f.buildScript) return [`FROM \${${base}} AS builder`, 'WORKDIR /app', p.manifests, ...p.corepack, ...p.install, ...p.prune, 'COPY . .'];
  return [`FROM \${${base}} AS builder`, ...installAndBuild(f), ...p.prune];
}

function nextRunnerCopies(): string[] {
  return [
    'COPY --from=builder /app/.next/standalone ./',
    'COPY --from=builder /app/.next/static ./.next/static',
    'COPY --from=builder /app/public ./public',
  ];
}

/**
 * `onSingleBase`: the control of the size split (variant multi-same-base), both stages on single's full node image, so
 * that single to it is what the stages alone save and it to multi what the base swap saves (docs/savings.md).
 */
export function multiDockerfile(f: AppFacts, base: BaseImages = NODE_20, onSingleBase = false): string {
  const { builder, runner } = onSingleBase ? { builder: 'NODE_IMAGE', runner: 'NODE_IMAGE' } : bases(f);
  const args = [...new Set([builder, runner])].map((name) => arg(name, base));
  return [
    ...header(f, onSingleBase
      ? "Control for the size split: the builder/runner split on single's base (the full node image for both stages)."
      : `Builder/runner split: install${f.buildScript ? ', build' : ''} and prune in the builder; the runner gets the pruned app.`),
    ...args,
    '',
    ...builderStage(f, builder),
    '',
    `FROM \${${runner}} AS runner`,
    'WORKDIR /app',
    'ENV NODE_ENV=production',
    // The whole pruned app: files the app reads at run time (views, migrations, public) come along.
    ...(f.nextStandalone ? nextRunnerCopies() : ['COPY --from=builder /app ./']),
    'USER node',
    expose(f),
    cmd(parts(f).entry),
    '',
  ].join('\n');
}

export function distrolessDockerfile(f: AppFacts, base: BaseImages = NODE_20): string {
  // The distroless runtime is Debian (glibc): the builder must be too, or native modules will not load.
  const builder = f.nativeModules.length > 0 ? 'NODE_IMAGE' : 'NODE_SLIM_IMAGE';
  const entry = parts(f).entry;
  return [
    ...header(f, 'Builder, then a runner with the node runtime and nothing else (no shell, no package manager).'),
    arg(builder, base),
    arg('DISTROLESS_IMAGE', base),
    '',
    ...builderStage(f, builder),
    '',
    'FROM ${DISTROLESS_IMAGE} AS runner',
    'WORKDIR /app',
    'ENV NODE_ENV=production',
    ...(f.nextStandalone ? nextRunnerCopies() : ['COPY --from=builder /app ./']),
    'USER nonroot',
    expose(f),
    // Its ENTRYPOINT is node: CMD is the script and node's options.
    cmd(entry[0] === 'node' ? entry.slice(1) : entry),
    '',
  ].join('\n');
}

/** Profile ARG for an official image reference the app's Dockerfile names, or undefined when it is not one. */
export function profileArgFor(image: string): string | undefined {
  if (/^(docker\.io\/)?(library\/)?node(:|@|$)/.test(image)) {
    if (/alpine/.test(image)) return 'NODE_ALPINE_IMAGE';
    if (/slim/.test(image)) return 'NODE_SLIM_IMAGE';
    return 'NODE_IMAGE';
  }
  if (/distroless\/nodejs/.test(image)) return 'DISTROLESS_IMAGE';
  return undefined;
}

/**
 * The app's own Dockerfile as variant `own`: each FROM of an official node or distroless image becomes its profile
 * ARG (so offline runs can substitute it), with a comment saying what it was. Everything else is kept.
 */
export function ownDockerfile(text: string, base: BaseImages = NODE_20): { text: string; replaced: Array<{ from: string; arg: string }> } {
  const replaced: Array<{ from: string; arg: string }> = [];
  const froms = new Map(fromLines(text).map((f) => [f.line, f]));
  const out = text.split('\n').map((line, i) => {
    const from = froms.get(i + 1);
    const name = from && profileArgFor(from.image);
    if (!from || !name) return line;
    replaced.push({ from: from.image, arg: name });
    return `# stagebench init: was FROM ${from.image}; the profiles set ${name} (Node ${base.major})\n${withImage(from, `\${${name}}`)}`;
  });
  const args = [...new Set(replaced.map((r) => r.arg))].map((name) => arg(name, base));
  // ARGs before the first FROM; a `# syntax=` directive must stay the first line.
  const directives: string[] = [];
  while (out.length > 0 && /^#\s*\w+\s*=/.test(out[0])) directives.push(out.shift()!);
  return { text: [...directives, ...args, ...out].join('\n'), replaced };
}

/** Build output is left out only when the image builds it: an app without a build script may ship a build/ folder. */
export function dockerignore(builds: boolean): string {
  return [
    '# Written by stagebench init: what never goes into a build context.',
    'node_modules',
    '.git',
    '.env',
    '.env.*',
    '*.log',
    ...(builds ? ['dist', 'build', '.next'] : []),
    'coverage',
    'bench-changes',
    '',
  ].join('\n');
}
