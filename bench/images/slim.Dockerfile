# Stand-in for node:20-slim: Debian bookworm minbase with the host's Node.js 20, npm and corepack. yarn is on PATH as
# in the official images (here a corepack shim, which fetches yarn classic on first use); pnpm and yarn berry need
# `RUN corepack enable`, as they do on the official images.
ARG BASE
FROM ${BASE}
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY corepack /usr/local/lib/node_modules/corepack
COPY host-ca.crt /usr/local/share/stagebench/host-ca.crt
COPY include-node /usr/local/include/node
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && ln -s ../lib/node_modules/corepack/dist/corepack.js /usr/local/bin/corepack \
 && corepack enable --install-directory /usr/local/bin yarn \
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \
 && node --version && npm --version
# Trust the machine's CA bundle (a TLS-intercepting proxy stands in front of the npm registry here). Kept apart from
# /etc/ssl/certs so that installing Debian's ca-certificates later does not drop it.
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/stagebench/host-ca.crt \
    NPM_CONFIG_CAFILE=/usr/local/share/stagebench/host-ca.crt \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    COREPACK_ENABLE_DOWNLOAD_PROMPT=0
LABEL org.stagebench.standin="node:20-slim (Debian bookworm minbase, not the official image)"
CMD ["node"]
