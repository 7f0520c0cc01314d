import type { Secrets } from './secrets.ts';

/**
 * Dapr Secrets API (reference/dapr-http-contract.md §6): `GET /v1.0/secrets/<store>/<name>` answers
 * `{"<key>": "<value>"}`; a Kubernetes secret returns all its keys, so the value is the key named like the
 * secret, else the only key. 204 and the file store's 500 `ERR_SECRET_GET` mean "not set".
 * A Kubernetes Secret's name must be a DNS-1123 name, so a variable-style name is looked up in that form:
 * `OPENAI_API_KEY` → the secret `openai-api-key`.
 */
export class DaprSecrets implements Secrets {
  constructor(private readonly opts: { sidecarUrl: string; apiToken: string | undefined; store: string }) {}

  async get(name: string): Promise<string | undefined> {
    const secret = name.toLowerCase().replaceAll('_', '-');
    const url = `${this.opts.sidecarUrl}/v1.0/secrets/${encodeURIComponent(this.opts.store)}/${encodeURIComponent(secret)}`;
    const res = await fetch(url, {
      headers: this.opts.apiToken ? { 'dapr-api-token': this.opts.apiToken } : {},
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (res.status === 204) return undefined;
    if (res.status === 500 && text.includes('ERR_SECRET_GET')) return undefined;
    if (res.status !== 200)
      throw new Error(`secret ${name}: Dapr answered ${res.status} ${text.slice(0, 200)}`);
    const map = JSON.parse(text) as Record<string, string>;
    const keys = Object.keys(map);
    return map[name] ?? map[secret] ?? (keys.length === 1 ? map[keys[0]!] : undefined);
  }
}
