/**
 * `npm run bench -- <name> [options]`: runs one benchmark; with no name (`npm run bench [-- --quick]`), the whole
 * suite (suite.ts: every figure beside its target and ceiling, written to bench/results/latest.json and
 * BENCHMARKS.md); `--list` lists the benchmarks.
 * Benchmarks are imported lazily so that one missing or broken file doesn't stop the others from running.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type BenchOptions, parseOptions } from './lib/options.ts';

interface BenchEntry {
  file: string;
  exportName: string;
  description: string;
}

const benches: Record<string, BenchEntry> = {
  search: {
    file: './search.bench.ts',
    exportName: 'benchSearch',
    description:
      'GET /tasks search/filter/sort vs raw SQL, POST /tasks throughput (PostgreSQL 100×10k, PGlite 1×10k)',
  },
  parse: { file: './parse.bench.ts', exportName: 'benchParse', description: 'quick-add parser' },
  events: { file: './events.bench.ts', exportName: 'benchEvents', description: 'event backbone' },
  reminders: { file: './reminders.bench.ts', exportName: 'benchReminders', description: 'reminders' },
  web: {
    file: './web.bench.ts',
    exportName: 'benchWeb',
    description: 'web app in chromium: first-load JS, 5,000-task Inbox load, x → completed',
  },
};

function list(): void {
  console.log(
    'usage: npm run bench [-- --quick]  (the whole suite)\n       npm run bench -- <name> [options]\n\nbenchmarks:',
  );
  for (const [name, b] of Object.entries(benches)) {
    const present = existsSync(fileURLToPath(new URL(b.file, import.meta.url)));
    console.log(`  ${name.padEnd(10)} ${b.description}${present ? '' : '  (not written yet)'}`);
  }
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--list' || name === '--help' || name === '-h') {
    list();
    return 0;
  }
  if (!name || name.startsWith('--')) {
    const { benchSuite } = await import('./suite.ts');
    await benchSuite(parseOptions(argv));
    return 0;
  }
  const entry = benches[name];
  if (!entry) {
    console.error(`unknown benchmark "${name}"`);
    list();
    return 2;
  }
  const url = new URL(entry.file, import.meta.url);
  if (!existsSync(fileURLToPath(url))) {
    console.error(`benchmark "${name}" is registered but ${entry.file} does not exist yet`);
    return 2;
  }
  const options: BenchOptions = parseOptions(rest);
  const mod = (await import(url.href)) as Record<string, unknown>;
  const fn = mod[entry.exportName];
  if (typeof fn !== 'function') {
    console.error(`${entry.file} does not export a function ${entry.exportName}()`);
    return 2;
  }
  await (fn as (opts: BenchOptions) => Promise<unknown>)(options);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
