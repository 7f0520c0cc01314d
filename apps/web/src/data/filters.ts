'use client';
import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect } from 'react';
import { call, client, errorMessage } from '../api/http';
import type { SavedFilter } from '../api/types';
import { useToasts } from '../ui/toasts';
import { keys } from './task-cache';

/** The user's saved filters (GET /filters), in sidebar order. */
export function useSavedFilters() {
  return useQuery({
    queryKey: keys.filters,
    queryFn: ({ signal }) => call(client.GET('/api/v1/filters', { signal })).then((r) => r.items),
  });
}

type FilterFields = Pick<SavedFilter, 'name' | 'query'>;

/** Puts `fn`'s change into the cached filters; returns what was there, for a rollback. */
function change(qc: QueryClient, fn: (items: SavedFilter[]) => SavedFilter[]): SavedFilter[] | undefined {
  const before = qc.getQueryData<SavedFilter[]>(keys.filters);
  qc.setQueryData<SavedFilter[]>(keys.filters, fn(before ?? []));
  return before;
}

/**
 * Saved-filter writes with optimistic updates: the cache changes first, the request follows, and a failure
 * puts the previous filters back and says why. Each resolves to the server's filter, or undefined on failure.
 */
export function useFilterActions() {
  const qc = useQueryClient();
  const toasts = useToasts();

  /** `replace`, when given, is the id whose cached entry the server's answer replaces (before the refetch). */
  const optimistic = useCallback(
    async <T,>(
      fn: (items: SavedFilter[]) => SavedFilter[],
      request: () => Promise<T>,
      failure: string,
      replace?: string,
    ) => {
      await qc.cancelQueries({ queryKey: keys.filters });
      const before = change(qc, fn);
      try {
        const result = await request();
        if (replace !== undefined) {
          change(qc, (items) => items.map((x) => (x.id === replace ? (result as SavedFilter) : x)));
        }
        return result;
      } catch (err) {
        qc.setQueryData(keys.filters, before);
        toasts.show({ kind: 'error', text: `${failure}: ${errorMessage(err)}` });
        return undefined;
      } finally {
        void qc.invalidateQueries({ queryKey: keys.filters });
      }
    },
    [qc, toasts],
  );

  const create = useCallback(
    (f: FilterFields) => {
      const now = new Date().toISOString();
      // shown at once under a temporary id; the server's row replaces it when the list is refetched
      const draft: SavedFilter = { ...f, id: `new-${crypto.randomUUID()}`, position: 0, created_at: now, updated_at: now };
      return optimistic(
        (items) => [...items, draft],
        () => call(client.POST('/api/v1/filters', { body: f })),
        'Could not save the filter',
        draft.id,
      );
    },
    [optimistic],
  );

  const update = useCallback(
    (id: string, f: Partial<FilterFields>) =>
      optimistic(
        (items) => items.map((x) => (x.id === id ? { ...x, ...f } : x)),
        () => call(client.PATCH('/api/v1/filters/{id}', { params: { path: { id } }, body: f })),
        'Could not change the filter',
        id,
      ),
    [optimistic],
  );

  const remove = useCallback(
    (id: string) =>
      optimistic(
        (items) => items.filter((x) => x.id !== id),
        () => call(client.DELETE('/api/v1/filters/{id}', { params: { path: { id } } })).then(() => true),
        'Could not delete the filter',
      ),
    [optimistic],
  );

  return { create, update, remove };
}

/** Where saved filters lived before the API had them: this browser, per account. */
const legacyKey = (userId: string) => `filters:${userId}`;

function legacyFilters(userId: string): FilterFields[] {
  try {
    const raw = JSON.parse(localStorage.getItem(legacyKey(userId)) ?? '[]') as unknown;
    return Array.isArray(raw)
      ? raw.filter((f): f is FilterFields => typeof f?.name === 'string' && typeof f?.query === 'string')
      : [];
  } catch {
    return [];
  }
}

/** Users whose upload is under way in this tab (effects may run twice). */
const migrating = new Set<string>();

/**
 * Moves the filters this browser kept to the server, once: when the server has none and the browser has
 * some. A filter the server refuses (a duplicate name, a query the parser no longer accepts) is left out;
 * the key is removed when every upload was answered, so a network failure tries again next time.
 */
export function useLegacyFilterMigration(userId: string | undefined, server: SavedFilter[] | undefined) {
  const qc = useQueryClient();
  useEffect(() => {
    if (!userId || server === undefined || server.length > 0 || migrating.has(userId)) return;
    const local = legacyFilters(userId);
    if (local.length === 0) return;
    migrating.add(userId);
    void (async () => {
      try {
        for (const f of local) {
          const res = await client.POST('/api/v1/filters', { body: { name: f.name, query: f.query } });
          // refused (400 invalid, 409 name taken or too many) is final for this filter; anything else
          // (signed out, server trouble) keeps the key to try again another time
          const status = res.response.status;
          if (!res.response.ok && status !== 400 && status !== 409) return;
        }
        localStorage.removeItem(legacyKey(userId));
      } catch {
        // offline: the key stays for the next start
      } finally {
        migrating.delete(userId);
        void qc.invalidateQueries({ queryKey: keys.filters });
      }
    })();
  }, [userId, server, qc]);
}
