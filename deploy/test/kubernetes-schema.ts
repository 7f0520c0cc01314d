import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { K8sObject } from './render.ts';

/**
 * Validation of built-in Kubernetes objects with the `kubernetes-models` package: its `validate()` checks types,
 * required fields and enums from the Kubernetes OpenAPI schema, but (like the API server without
 * --validate=strict) accepts unknown fields. `unknownFields` adds the strict part: it walks the object along
 * the package's TypeScript declarations and reports every key the schema does not define (a misspelt
 * `readinesProbe` would otherwise be silently dropped by the cluster).
 */
const require = createRequire(import.meta.url);
const modelsDir = dirname(require.resolve('kubernetes-models/package.json'));
const apimachineryDir = dirname(
  createRequire(`${modelsDir}/`).resolve('@kubernetes-models/apimachinery/package.json'),
);

export async function validateBuiltIn(obj: K8sObject): Promise<void> {
  const mod = (await import(`kubernetes-models/${obj.apiVersion}`)) as Record<
    string,
    new (
      data: unknown,
    ) => { validate(): void }
  >;
  const Model = mod[obj.kind];
  if (!Model) throw new Error(`kubernetes-models has no ${obj.apiVersion} ${obj.kind}`);
  new Model(withUnwrappedSecretData(obj)).validate();
}

/**
 * Kustomize wraps long base64 Secret values over several lines; the API server's base64 decoder skips the
 * line breaks, the schema's "byte" format does not.
 */
function withUnwrappedSecretData(obj: K8sObject): K8sObject {
  if (obj.kind !== 'Secret' || typeof obj.data !== 'object' || obj.data === null) return obj;
  const data = Object.fromEntries(
    Object.entries(obj.data as Record<string, string>).map(([k, v]) => [k, v.replace(/\s+/g, '')]),
  );
  return { ...obj, data };
}

interface Declaration {
  props: Map<string, string>;
  imports: Map<string, string>;
  file: string;
}

const declarations = new Map<string, Declaration>();

function readDeclaration(file: string): Declaration {
  const cached = declarations.get(file);
  if (cached) return cached;
  const text = readFileSync(file, 'utf8');
  const imports = new Map<string, string>();
  for (const m of text.matchAll(/^import \{ (\w+) \} from "([^"]+)";$/gm)) imports.set(m[1]!, m[2]!);
  const body = /^export interface \w+(?: extends [\w, ]+)? \{\n([\s\S]*?)^\}/m.exec(text)?.[1] ?? '';
  const props = new Map<string, string>();
  // top-level properties are indented by exactly four spaces
  // (a map type opens a brace and continues on the next lines: its type is then just "{")
  for (const m of body.matchAll(/^ {4}"([^"]+)"\??: (.+?);?$/gm)) props.set(m[1]!, m[2]!);
  const decl = { props, imports, file };
  declarations.set(file, decl);
  return decl;
}

function resolveImport(from: Declaration, spec: string): string {
  if (spec.startsWith('.')) return join(dirname(from.file), `${spec}.d.ts`);
  const prefix = '@kubernetes-models/apimachinery/';
  if (spec.startsWith(prefix)) return join(apimachineryDir, `${spec.slice(prefix.length)}.d.ts`);
  throw new Error(`unresolvable declaration import ${spec} in ${from.file}`);
}

/** Paths of keys in `obj` that the Kubernetes schema of its kind does not define. */
export function unknownFields(obj: K8sObject): string[] {
  const root = join(modelsDir, obj.apiVersion, `${obj.kind}.d.ts`);
  const found: string[] = [];
  const walk = (value: unknown, decl: Declaration, path: string) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const type = decl.props.get(key);
      if (type === undefined) {
        found.push(`${path}.${key}`);
        continue;
      }
      const named = /^(?:Array<)?(I[A-Za-z0-9]+)>?$/.exec(type)?.[1];
      const spec = named ? decl.imports.get(named) : undefined;
      if (!spec) continue; // scalars, maps, IntOrString, Quantity
      const next = readDeclaration(resolveImport(decl, spec));
      if (Array.isArray(child)) {
        for (const [i, c] of child.entries()) walk(c, next, `${path}.${key}[${i}]`);
      } else walk(child, next, `${path}.${key}`);
    }
  };
  walk(obj, readDeclaration(root), `${obj.kind}/${obj.metadata.name}`);
  return found;
}
