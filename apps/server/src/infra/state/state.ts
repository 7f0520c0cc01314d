/** A stored value and the etag that identifies this version of it. */
export interface StateEntry<T> {
  value: T;
  etag: string;
}

export interface StateWriteOptions {
  /**
   * Concurrency (reference/dapr-http-contract.md §5): a string = first-write-wins, the write succeeds only
   * if the stored version still has this etag; `null` = insert only, the key must not exist yet;
   * absent = last-write-wins.
   */
  etag?: string | null;
}

/** The write lost a first-write race (stale etag, or an insert-only write found the key taken). */
export class StateConflictError extends Error {
  override name = 'StateConflictError';
}

/**
 * State store port (DESIGN §1): JSON values by key, with etags for optimistic concurrency. Embedded: the
 * `kv` table; cloud: the Dapr State API. Keys are namespaced by the caller (`conversation:<user>:<id>`).
 */
export interface StateStore {
  get<T>(key: string): Promise<StateEntry<T> | undefined>;
  /** Throws `StateConflictError` when `etag` is given and the stored version differs. */
  set(key: string, value: unknown, opts?: StateWriteOptions): Promise<void>;
  /** Deletes the key (a missing key is not an error); with `etag`, only that version. */
  delete(key: string, opts?: { etag?: string }): Promise<void>;
}

/**
 * Reads, changes and writes one key under first-write concurrency, re-reading after a lost race, so that
 * concurrent updates of the same key all land (none silently overwrites another).
 */
export async function updateState<T>(
  store: StateStore,
  key: string,
  change: (current: T | undefined) => T | undefined,
  attempts = 5,
): Promise<T | undefined> {
  for (let i = 0; ; i++) {
    const current = await store.get<T>(key);
    const next = change(current?.value);
    try {
      if (next === undefined) {
        if (current) await store.delete(key, { etag: current.etag });
      } else {
        await store.set(key, next, { etag: current ? current.etag : null });
      }
      return next;
    } catch (err) {
      if (!(err instanceof StateConflictError) || i + 1 >= attempts) throw err;
    }
  }
}
