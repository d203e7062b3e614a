// The verdict: the three biggest avoidable costs of an image, each with the Dockerfile change that removes it. Pure.
import { formatBytes } from '../units.ts';
import type { Explanation } from './explain.ts';

export interface Cost {
  what: string;
  bytes: number;
  fix: string;
}

const CACHE_FIX: Record<string, string> = {
  'npm cache': 'run `npm cache clean --force` in the same RUN as the install, or use RUN --mount=type=cache,target=/root/.npm',
  'yarn cache': 'run `yarn cache clean` in the same RUN as the install, or use RUN --mount=type=cache for the yarn cache folder',
  'pnpm store': 'use RUN --mount=type=cache,target=/pnpm/store (or prune the store in the same RUN)',
  'apt lists and archives': 'end the apt-get RUN with `&& rm -rf /var/lib/apt/lists/*` (and use --no-install-recommends)',
  'apk cache': 'install with `apk add --no-cache`',
  '.git': 'add .git to .dockerignore',
  'source maps': 'leave *.map out: add them to .dockerignore or delete them in the build stage before copying',
  'test folders': 'copy only production files, or prune test folders from node_modules in the build stage',
  'other caches': 'remove the cache folder in the same RUN that filled it, or use RUN --mount=type=cache',
};

/** Every avoidable cost found, biggest first, the top three kept. */
export function verdictOf(e: Omit<Explanation, 'verdict'>): Cost[] {
  const costs: Cost[] = [];
  if (e.categories.devDependencies > 0) {
    costs.push({ what: `devDependencies ${formatBytes(e.categories.devDependencies)}`, bytes: e.categories.devDependencies, fix: 'install with `npm ci --omit=dev` in the runner stage (or `npm prune --omit=dev` before copying node_modules)' });
  }
  if (e.categories.toolchain > 0) {
    costs.push({ what: `build toolchain ${formatBytes(e.categories.toolchain)}`, bytes: e.categories.toolchain, fix: 'compile in a builder stage and COPY --from=builder only node_modules into a runner without build-essential/python' });
  }
  for (const c of e.caches) {
    costs.push({ what: `${c.kind} ${formatBytes(c.bytes)}`, bytes: c.bytes, fix: CACHE_FIX[c.kind] ?? CACHE_FIX['other caches'] });
  }
  if (e.wastedBytes > 0) {
    const biggest = e.wastedFiles[0];
    costs.push({
      what: `wasted ${formatBytes(e.wastedBytes)} (files deleted or overwritten by a later layer${biggest ? `, biggest ${biggest.path} from layer ${biggest.layer}` : ''})`,
      bytes: e.wastedBytes,
      fix: 'delete files in the same RUN that creates them, or build in a stage and COPY only the result',
    });
  }
  return costs.filter((c) => c.bytes > 0).sort((a, b) => b.bytes - a.bytes).slice(0, 3);
}
