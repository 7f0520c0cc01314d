import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = new URL('../dist/', import.meta.url);
/** Packages of features used on demand: they cost memory, so `serve` must not import them at start-up. */
const onDemand = ['ai', '@openai/agents', '@openai/agents-extensions', '@modelcontextprotocol/sdk'];

/** The packages a compiled file imports, statically or with `import()`, and the chunks it imports either way. */
function importsOf(file: string) {
  const text = readFileSync(fileURLToPath(new URL(file, dist)), 'utf8');
  const statics = [...text.matchAll(/^import\s(?:[^;]*?\sfrom\s*)?"([^"]+)";/gm)].map((m) => m[1]!);
  const dynamics = [...text.matchAll(/\bimport\("([^"]+)"\)/g)].map((m) => m[1]!);
  return { statics, dynamics };
}

/** Every package reached from `entry`: through static imports only, or through dynamic ones too. */
function reach(entry: string, followDynamic: boolean): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const { statics, dynamics } = importsOf(file);
    for (const spec of followDynamic ? [...statics, ...dynamics] : statics) {
      if (spec.startsWith('./')) visit(spec.slice(2));
      else packages.add(spec);
    }
  };
  visit(entry);
  return packages;
}

const packageOf = (spec: string) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

describe('the compiled server (npm start)', () => {
  it('loads the assistant and MCP SDKs only when they are used, from chunks beside cli.js', () => {
    execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/ensure-build.mjs', import.meta.url))]);
    // `serve` imports the server's chunk (cli.js imports each command's own); the rest comes on demand
    const serve = /\{ startServer \} = await import\("\.\/([^"]+)"\)/.exec(
      readFileSync(fileURLToPath(new URL('cli.js', dist)), 'utf8'),
    )?.[1];
    expect(serve).toBeDefined();
    const atStart = new Set([...reach('cli.js', false), ...reach(serve!, false)].map(packageOf));
    const onUse = new Set([...reach(serve!, true)].map(packageOf));
    for (const name of onDemand) {
      expect(atStart, name).not.toContain(name);
      expect(onUse, name).toContain(name);
    }
    // the server itself is there from the start
    expect(atStart).toContain('@electric-sql/pglite');
  });
});
