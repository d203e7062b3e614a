// Dockerfiles and context listings the tune tests write: a good one that no rule fires on, and helpers.
import type { TuneInput } from '../../../src/tune/types.ts';

/** The article's multi-stage build done right: named stages, manifests first, npm ci with npm's cache mounted, slim runner, USER. */
export const GOOD_DOCKERFILE = `ARG NODE_IMAGE=node:20
ARG NODE_SLIM_IMAGE=node:20-slim
FROM \${NODE_IMAGE} AS builder
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY . .
RUN npm run build

FROM \${NODE_SLIM_IMAGE} AS runner
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked npm ci --omit=dev
COPY --from=builder /app/dist ./dist
USER node
CMD ["node", "dist/server.js"]
`;

export const GOOD_DOCKERIGNORE = 'node_modules\n.git\n.env\n*.log\ndist\n';

export const NODE_CONTEXT = ['.dockerignore', 'Dockerfile', 'package.json', 'package-lock.json', 'src', 'node_modules'];

export function input(dockerfile: string, over: Partial<TuneInput> = {}): TuneInput {
  return { dockerfilePath: 'Dockerfile', dockerfile, dockerignore: GOOD_DOCKERIGNORE, contextEntries: NODE_CONTEXT, ...over };
}
