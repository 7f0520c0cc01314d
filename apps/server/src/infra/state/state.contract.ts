import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { StateConflictError, type StateStore, updateState } from './state.ts';

/** What a contract run needs: a store, and a fresh one on the same durable state (a process restart). */
export interface StateHarness {
  store: StateStore;
  restart(): Promise<StateStore>;
}

/**
 * The StateStore port's contract (state.ts), run against every adapter: a missing key, round trips of JSON,
 * first-write concurrency (stale etag and insert-only both conflict), etag-guarded delete, durability
 * across a restart, and concurrent `updateState` calls that all land.
 */
export function describeStateContract(adapter: string, makeHarness: () => Promise<StateHarness>): void {
  describe(`StateStore contract: ${adapter}`, () => {
    const key = () => `contract:${randomUUID()}`;

    it('answers undefined for a missing key and round-trips JSON with an etag', async () => {
      const { store } = await makeHarness();
      const k = key();
      expect(await store.get(k)).toBeUndefined();
      const value = { title: 'Ünïcode ✓', n: 3, nested: { list: [1, null, 'x'] } };
      await store.set(k, value);
      const got = await store.get<typeof value>(k);
      expect(got?.value).toEqual(value);
      expect(got?.etag).toMatch(/\S/);
    });

    it('first-write: a stale etag conflicts, the current one wins, and the etag changes', async () => {
      const { store } = await makeHarness();
      const k = key();
      await store.set(k, { v: 1 });
      const first = (await store.get(k))!;
      await store.set(k, { v: 2 }, { etag: first.etag });
      const second = (await store.get<{ v: number }>(k))!;
      expect(second.value.v).toBe(2);
      expect(second.etag).not.toBe(first.etag);
      await expect(store.set(k, { v: 3 }, { etag: first.etag })).rejects.toBeInstanceOf(StateConflictError);
      await expect(store.set(k, { v: 3 }, { etag: 'not-an-etag' })).rejects.toBeInstanceOf(
        StateConflictError,
      );
      expect((await store.get<{ v: number }>(k))!.value.v).toBe(2);
    });

    it('insert-only (etag null) conflicts when the key exists', async () => {
      const { store } = await makeHarness();
      const k = key();
      await store.set(k, { v: 1 }, { etag: null });
      await expect(store.set(k, { v: 2 }, { etag: null })).rejects.toBeInstanceOf(StateConflictError);
      expect((await store.get<{ v: number }>(k))!.value.v).toBe(1);
    });

    it('deletes; a stale etag on delete conflicts; deleting a missing key is fine', async () => {
      const { store } = await makeHarness();
      const k = key();
      await store.set(k, { v: 1 });
      const first = (await store.get(k))!;
      await store.set(k, { v: 2 });
      await expect(store.delete(k, { etag: first.etag })).rejects.toBeInstanceOf(StateConflictError);
      await store.delete(k, { etag: (await store.get(k))!.etag });
      expect(await store.get(k)).toBeUndefined();
      await store.delete(k);
    });

    it('keeps values across a restart', async () => {
      const harness = await makeHarness();
      const k = key();
      await harness.store.set(k, { kept: true });
      const again = await harness.restart();
      expect((await again.get(k))?.value).toEqual({ kept: true });
    });

    it('concurrent updateState calls on one key all land', async () => {
      const { store } = await makeHarness();
      const k = key();
      await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          updateState<number[]>(store, k, (cur) => [...(cur ?? []), i], 20),
        ),
      );
      expect((await store.get<number[]>(k))!.value.sort()).toEqual([0, 1, 2, 3, 4]);
    });
  });
}
