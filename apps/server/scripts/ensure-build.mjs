// Compiles the server (and @taskstream/core) to one JavaScript file, apps/server/dist/cli.js, when it is missing
// or older than its sources, so `npm start` runs plain JavaScript: no TypeScript compiled at run time, which
// cost about 100 MB of RSS and seconds of start-up through tsx (see BENCHMARKS.md). Plain .mjs so that it runs
// without tsx. Dependencies stay external (resolved from node_modules as before).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const server = fileURLToPath(new URL('..', import.meta.url));
const coreSrc = fileURLToPath(new URL('../../../packages/core/src', import.meta.url));
export const serverBundle = join(server, 'dist', 'cli.js');
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
  await build({
    entryPoints: [join(server, 'src', 'cli.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: serverBundle,
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
