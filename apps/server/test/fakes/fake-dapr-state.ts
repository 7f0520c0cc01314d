/**
 * State and Secrets APIs for the fake sidecar (reference/dapr-http-contract.md §5, §6, §12), modelled on
 * state.postgresql v2: keys stored as `<app-id>||<key>`; GET of a missing key → 204 with no body; GET → 200
 * with an `ETag` header (a random UUID per write); save with a stale or non-UUID etag → 409; `first-write`
 * without an etag is insert-only and answers 500 "no item was updated" when the key exists; DELETE with
 * `If-Match` → 409 on mismatch; bulk get → `[{key, data?, etag?}]`. Secrets: single → `{k: v}`,
 * bulk → `{name: {k: v}}`, a missing secret → 500 `ERR_SECRET_GET` (the file store's answer).
 */
import { randomUUID } from 'node:crypto';
import { daprError, type FakeDaprSidecar, type FakeRequest, type FakeResponse } from './fake-dapr-sidecar.ts';

interface Row {
  value: unknown;
  etag: string;
}

interface SaveItem {
  key?: unknown;
  value?: unknown;
  etag?: unknown;
  options?: { concurrency?: string };
}

export class FakeStateApi {
  /** store name → (`<app-id>||<key>` → row); survives app restarts, like the real store */
  readonly stores = new Map<string, Map<string, Row>>();

  constructor(
    private readonly sidecar: FakeDaprSidecar,
    opts: { stores?: string[]; secrets?: Record<string, Record<string, Record<string, string>>> } = {},
  ) {
    for (const s of opts.stores ?? ['statestore']) this.stores.set(s, new Map());
    const state = /^\/v1\.0\/state\/(?<store>[^/]+)$/;
    const stateKey = /^\/v1\.0\/state\/(?<store>[^/]+)\/(?<key>[^/]+)$/;
    sidecar.addRoute('POST', /^\/v1\.0\/state\/(?<store>[^/]+)\/bulk$/, (req) => this.bulkGet(req));
    sidecar.addRoute('POST', state, (req) => this.save(req));
    sidecar.addRoute('GET', stateKey, (req) => this.getRoute(req));
    sidecar.addRoute('DELETE', stateKey, (req) => this.deleteRoute(req));
    const secrets = opts.secrets ?? {};
    sidecar.addRoute('GET', /^\/v1\.0\/secrets\/(?<store>[^/]+)\/bulk$/, (req) => {
      const store = secrets[req.params.store!];
      return store ? { status: 200, body: store } : daprError(400, 'ERR_SECRET_STORE_NOT_FOUND', 'no store');
    });
    sidecar.addRoute('GET', /^\/v1\.0\/secrets\/(?<store>[^/]+)\/(?<name>[^/]+)$/, (req) => {
      const store = secrets[req.params.store!];
      if (!store) return daprError(400, 'ERR_SECRET_STORE_NOT_FOUND', 'secret store is not found');
      const secret = store[decodeURIComponent(req.params.name!)];
      return secret ? { status: 200, body: secret } : daprError(500, 'ERR_SECRET_GET', 'secret not found');
    });
  }

  private storeOf(req: FakeRequest): Map<string, Row> | FakeResponse {
    const store = this.stores.get(req.params.store!);
    return (
      store ?? daprError(400, 'ERR_STATE_STORE_NOT_FOUND', `state store ${req.params.store} is not found`)
    );
  }

  private scoped(key: string): string {
    return `${this.sidecar.opts.appId}||${key}`;
  }

  private save(req: FakeRequest): FakeResponse {
    const store = this.storeOf(req);
    if (!(store instanceof Map)) return store;
    let items: SaveItem[];
    try {
      items = JSON.parse(req.body.toString('utf8')) as SaveItem[];
    } catch {
      return daprError(400, 'ERR_MALFORMED_REQUEST', 'failed deserializing request');
    }
    if (!Array.isArray(items)) return daprError(400, 'ERR_MALFORMED_REQUEST', 'expected an array');
    for (const item of items) {
      if (typeof item.key !== 'string' || item.key === '')
        return daprError(400, 'ERR_MALFORMED_REQUEST', 'state key is required');
      const k = this.scoped(item.key);
      const existing = store.get(k);
      const etag = typeof item.etag === 'string' && item.etag !== '' ? item.etag : undefined;
      if (etag !== undefined) {
        if (!existing || existing.etag !== etag)
          return daprError(
            409,
            'ERR_STATE_SAVE',
            `failed saving state in state store: possible etag mismatch`,
          );
      } else if (item.options?.concurrency === 'first-write' && existing) {
        return daprError(
          500,
          'ERR_STATE_SAVE',
          'failed saving state in state store: possible etag mismatch. error from state store: no item was updated',
        );
      }
      store.set(k, { value: item.value, etag: randomUUID() });
    }
    return { status: 204 };
  }

  private getRoute(req: FakeRequest): FakeResponse {
    const store = this.storeOf(req);
    if (!(store instanceof Map)) return store;
    const row = store.get(this.scoped(decodeURIComponent(req.params.key!)));
    if (!row) return { status: 204 };
    return { status: 200, headers: { etag: row.etag }, body: JSON.stringify(row.value) };
  }

  private deleteRoute(req: FakeRequest): FakeResponse {
    const store = this.storeOf(req);
    if (!(store instanceof Map)) return store;
    const k = this.scoped(decodeURIComponent(req.params.key!));
    const ifMatch = req.headers['if-match'];
    const row = store.get(k);
    if (typeof ifMatch === 'string' && row && row.etag !== ifMatch)
      return daprError(409, 'ERR_STATE_DELETE', 'failed deleting state: possible etag mismatch');
    store.delete(k);
    return { status: 204 };
  }

  private bulkGet(req: FakeRequest): FakeResponse {
    const store = this.storeOf(req);
    if (!(store instanceof Map)) return store;
    const { keys } = JSON.parse(req.body.toString('utf8')) as { keys: string[] };
    return {
      status: 200,
      body: keys.map((key) => {
        const row = store.get(this.scoped(key));
        return row ? { key, data: row.value, etag: row.etag } : { key };
      }),
    };
  }
}
