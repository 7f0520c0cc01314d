// Builds the web app's static export when it is missing or older than its sources, so `npm start` serves
// the current app with no other step. A failed build is reported and the server still starts (it serves
// the placeholder page and the API).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('..', import.meta.url));
const core = fileURLToPath(new URL('../../../packages/core/src', import.meta.url));
const marker = join(web, 'out', 'index.html');
const sources = [
  join(web, 'src'),
  core,
  join(web, 'next.config.ts'),
  join(web, 'postcss.config.mjs'),
  join(web, 'package.json'),
];

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

const force = process.argv.includes('--force');
const builtAt = existsSync(marker) ? statSync(marker).mtimeMs : 0;
const stale = force || builtAt === 0 || sources.some((s) => newest(s) > builtAt);
if (!stale) process.exit(0);

console.log(
  builtAt === 0 ? 'Building the web app (first start)…' : 'Rebuilding the web app (sources changed)…',
);
const nextBin = join(
  dirname(createRequire(join(web, 'package.json')).resolve('next/package.json')),
  'dist/bin/next',
);
const result = spawnSync(process.execPath, [nextBin, 'build'], {
  cwd: web,
  stdio: 'inherit',
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
});
if (result.status !== 0) {
  console.error('The web app failed to build; the server will serve the placeholder page.');
  process.exit(process.argv.includes('--strict') ? 1 : 0);
}
