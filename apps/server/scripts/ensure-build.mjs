// Compiles the server (and @taskstream/core) to JavaScript, apps/server/dist/cli.js and the chunks it imports
// on demand, when it is missing or older than its sources, so `npm start` runs plain JavaScript: no TypeScript
// compiled at run time, which cost about 100 MB of RSS and seconds of start-up through tsx (see BENCHMARKS.md).
// Plain .mjs so that it runs without tsx. Dependencies stay external (resolved from node_modules as before).
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const server = fileURLToPath(new URL('..', import.meta.url));
const coreSrc = fileURLToPath(new URL('../../../packages/core/src', import.meta.url));
const dist = join(server, 'dist');
export const serverBundle = join(dist, 'cli.js');
/** Modules imported with `import()` (the assistant, MCP) go to chunks beside cli.js, loaded when first used. */
const chunkPrefix = 'chunk-';
const sources = [join(server, 'src'), coreSrc, join(server, 'package.json')];

function newestMtime(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((max, entry) => Math.max(max, newestMtime(join(path, entry))), st.mtimeMs);
}

/**
 * Source files locate data next to themselves (`new URL('../../../drizzle', import.meta.url)`); in the bundle
 * each file's `import.meta.url` is rewritten to its original location relative to the bundle, so those paths
 * still resolve wherever the tree is checked out.
 */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(b) {
    b.onResolve({ filter: /^@taskstream\/core$/ }, () => ({ path: join(coreSrc, 'index.ts') }));
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const rel = JSON.stringify(relative(dirname(serverBundle), args.path));
      return {
        contents: text.replaceAll('import.meta.url', `new URL(${rel}, import.meta.url).href`),
        loader: 'ts',
      };
    });
  },
};

export async function ensureServerBuild(force = false) {
  if (!force && existsSync(serverBundle)) {
    const built = statSync(serverBundle).mtimeMs;
    if (sources.every((s) => !existsSync(s) || newestMtime(s) <= built)) return false;
  }
  // chunk names carry a content hash: a rebuild would leave the previous ones behind
  for (const f of existsSync(dist) ? readdirSync(dist) : [])
    if (f.startsWith(chunkPrefix)) rmSync(join(dist, f));
  await build({
    entryPoints: [join(server, 'src', 'cli.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // without splitting, a dynamically imported module is inlined and its packages are imported at start-up
    splitting: true,
    outdir: dist,
    // in dist itself, not a subfolder: keepModuleUrls makes paths relative to dist
    chunkNames: `${chunkPrefix}[hash]`,
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [keepModuleUrls],
  });
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const t0 = performance.now();
  if (await ensureServerBuild(process.argv.includes('--force')))
    console.log(
      `server compiled to ${relative(process.cwd(), serverBundle)} in ${Math.round(performance.now() - t0)} ms`,
    );
}
