/** Command-line options of `npm run bench -- <name> [--key value | --key=value | --flag]`. */

export type BenchOptions = Readonly<Record<string, string | true>>;

export function parseOptions(argv: readonly string[]): BenchOptions {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--'))
      throw new Error(`unexpected argument "${arg}" (options look like --name value)`);
    const eq = arg.indexOf('=');
    if (eq > 0) {
      out[arg.slice(2, eq)] = arg.slice(eq + 1);
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      out[arg.slice(2)] = next;
      i++;
    } else {
      out[arg.slice(2)] = true;
    }
  }
  return out;
}

/** A positive number option; a malformed value stops the run rather than silently using the default. */
export function numberOption(opts: BenchOptions, name: string, fallback: number): number {
  const v = opts[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v === true || !Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

export function flagOption(opts: BenchOptions, name: string): boolean {
  return opts[name] === true || opts[name] === 'true';
}

export function stringOption(opts: BenchOptions, name: string, fallback: string): string {
  const v = opts[name];
  return typeof v === 'string' ? v : fallback;
}
