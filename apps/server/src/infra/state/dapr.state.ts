import { StateConflictError, type StateEntry, type StateStore, type StateWriteOptions } from './state.ts';

export class StateUnavailableError extends Error {
  override name = 'StateUnavailableError';
}

/**
 * Dapr State API (reference/dapr-http-contract.md §5) with plain fetch. A missing key is a 204; the etag comes
 * in the `ETag` header; a stale etag is a 409; an insert-only write (`first-write` without an etag) that finds
 * the key is a 500 "no item was updated" on state.postgresql v2, which is a conflict too.
 */
export class DaprStateStore implements StateStore {
  constructor(
    private readonly opts: {
      sidecarUrl: string;
      apiToken: string | undefined;
      store: string;
      timeoutMs?: number;
    },
  ) {}

  private url(key?: string): string {
    const base = `${this.opts.sidecarUrl}/v1.0/state/${encodeURIComponent(this.opts.store)}`;
    return key === undefined ? base : `${base}/${encodeURIComponent(key)}`;
  }

  private async call(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, {
        ...init,
        headers: {
          ...(init.headers as Record<string, string>),
          ...(this.opts.apiToken ? { 'dapr-api-token': this.opts.apiToken } : {}),
        },
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new StateUnavailableError(
        `state store ${this.opts.store} unreachable: ${(err as Error).message}`,
      );
    }
  }

  async get<T>(key: string): Promise<StateEntry<T> | undefined> {
    const res = await this.call(`${this.url(key)}?consistency=strong`, { method: 'GET' });
    const text = await res.text();
    if (res.status === 204 || (res.status === 200 && text === '')) return undefined;
    if (res.status !== 200) throw new StateUnavailableError(`state get ${res.status}: ${text.slice(0, 200)}`);
    return { value: JSON.parse(text) as T, etag: res.headers.get('etag') ?? '' };
  }

  async set(key: string, value: unknown, opts: StateWriteOptions = {}): Promise<void> {
    const item = {
      key,
      value,
      ...(typeof opts.etag === 'string' ? { etag: opts.etag } : {}),
      options: {
        concurrency: opts.etag === undefined ? 'last-write' : 'first-write',
        consistency: 'strong',
      },
    };
    const res = await this.call(this.url(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([item]),
    });
    if (res.status === 204 || res.status === 200) {
      await res.body?.cancel();
      return;
    }
    const text = await res.text();
    if (res.status === 409) throw new StateConflictError(`state key ${key}: etag mismatch`);
    if (opts.etag === null && res.status === 500 && /no item was updated/i.test(text)) {
      throw new StateConflictError(`state key ${key} already exists`);
    }
    throw new StateUnavailableError(`state save ${res.status}: ${text.slice(0, 200)}`);
  }

  async delete(key: string, opts: { etag?: string } = {}): Promise<void> {
    const res = await this.call(this.url(key), {
      method: 'DELETE',
      headers: opts.etag === undefined ? {} : { 'if-match': opts.etag },
    });
    const text = await res.text();
    if (res.status === 204 || res.status === 200) return;
    if (res.status === 409) throw new StateConflictError(`state key ${key}: etag mismatch`);
    throw new StateUnavailableError(`state delete ${res.status}: ${text.slice(0, 200)}`);
  }
}
