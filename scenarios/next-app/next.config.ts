import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Emits .next/standalone: server.js plus only the node_modules files it traces as needed at run time,
  // which is what the multi-stage and distroless runners ship instead of the whole node_modules.
  output: 'standalone',
  // This folder is the app's root even inside a larger checkout with its own lockfile: without these, Next
  // nests server.js under the checkout's path in .next/standalone and the runners would not find it.
  outputFileTracingRoot: __dirname,
  turbopack: { root: __dirname },
  poweredByHeader: false,
};

export default nextConfig;
