import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** A static export (apps/web/out) that the api role serves; no Next server runs in production. */
const config: NextConfig = {
  output: 'export',
  // the browser runs the same quick-add parser as the server, straight from the workspace's TypeScript
  transpilePackages: ['@taskstream/core'],
  // `npm run typecheck` checks the web app; the build only bundles
  typescript: { ignoreBuildErrors: true },
  images: { unoptimized: true },
  devIndicators: false,
  turbopack: { root: repoRoot },
  outputFileTracingRoot: repoRoot,
};

export default config;
