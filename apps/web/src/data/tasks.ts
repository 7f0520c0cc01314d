'use client';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, errorMessage } from '../api/http';
import type { List, ParseResult, Task, TaskInput, TaskPage } from '../api/types';
import { useToasts } from '../ui/toasts';
import { findCachedTask, keys, patchTask, restore, snapshot, storeTask } from './task-cache';

export const pageSize = 200;

function query(params: Record<string, string | undefined>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') qs.set(k, v);
  return qs.toString();
}

/** One view's tasks, 200 a page; further pages load as the list scrolls. */
export function useTaskList(params: Record<string, string> | null) {
  return useInfiniteQuery({
    queryKey: keys.taskList(params ?? {}),
    enabled: params !== null,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      api<TaskPage>('GET', `/api/v1/tasks?${query({ ...params, limit: String(pageSize), cursor: pageParam })}`, undefined, signal),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function useTask(id: string | null) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: keys.task(id ?? ''),
    enabled: id !== null,
    queryFn: ({ signal }) => api<Task>('GET', `/api/v1/tasks/${id}`, undefined, signal),
    initialData: () => (id ? findCachedTask(qc, id) : undefined),
  });
}

export function useLists() {
  return useQuery({
    queryKey: keys.lists,
    queryFn: ({ signal }) => api<{ items: List[] }>('GET', '/api/v1/lists', undefined, signal).then((r) => r.items),
  });
}

export function useTags() {
  return useQuery({
    queryKey: keys.tags,
    queryFn: ({ signal }) =>
      api<{ items: { tag: string; count: number }[] }>('GET', '/api/v1/tags', undefined, signal).then((r) => r.items),
  });
}

/** Refetches what a task change can affect: lists of tasks, list counts, tags. */
export function invalidateAfterChange(qc: ReturnType<typeof useQueryClient>): void {
  void qc.invalidateQueries({ queryKey: keys.tasks });
  void qc.invalidateQueries({ queryKey: keys.lists });
  void qc.invalidateQueries({ queryKey: keys.tags });
}

/**
 * Task writes with optimistic updates: the cache changes first, the request follows, and a failure puts
 * the snapshot back and says why. Completing and deleting offer Undo.
 */
export function useTaskActions() {
  const qc = useQueryClient();
  const toasts = useToasts();

  const optimistic = useCallback(
    async <T,>(
      change: () => void,
      request: () => Promise<T>,
      failure: string,
    ): Promise<T | undefined> => {
      await qc.cancelQueries({ queryKey: keys.tasks });
      const snap = snapshot(qc);
      change();
      try {
        const result = await request();
        if (result && typeof result === 'object' && 'id' in result) storeTask(qc, result as unknown as Task);
        return result;
      } catch (err) {
        restore(qc, snap);
        toasts.show({ kind: 'error', text: `${failure}: ${errorMessage(err)}` });
        return undefined;
      } finally {
        invalidateAfterChange(qc);
      }
    },
    [qc, toasts],
  );

  const reopen = useCallback(
    (task: Task) =>
      optimistic(
        () => patchTask(qc, task.id, (t) => ({ ...t, status: 'open', completed_at: null })),
        () => api<Task>('POST', `/api/v1/tasks/${task.id}/reopen`),
        'Could not reopen the task',
      ),
    [optimistic, qc],
  );

  const complete = useCallback(
    async (task: Task) => {
      if (task.status === 'completed') return reopen(task);
      const done = await optimistic(
        () =>
          patchTask(qc, task.id, (t) => ({ ...t, status: 'completed', completed_at: new Date().toISOString() })),
        () => api<Task>('POST', `/api/v1/tasks/${task.id}/complete`),
        'Could not complete the task',
      );
      if (done) {
        toasts.show({
          text: `Completed “${task.title}”`,
          action: { label: 'Undo', run: () => void reopen(done) },
        });
      }
      return done;
    },
    [optimistic, qc, reopen, toasts],
  );

  const restoreTask = useCallback(
    (task: Task) =>
      optimistic(
        () => patchTask(qc, task.id, (t) => ({ ...t, deleted_at: null })),
        () => api<Task>('POST', `/api/v1/tasks/${task.id}/restore`),
        'Could not restore the task',
      ),
    [optimistic, qc],
  );

  const remove = useCallback(
    async (task: Task) => {
      const ok = await optimistic(
        () => patchTask(qc, task.id, (t) => ({ ...t, deleted_at: new Date().toISOString() })),
        () => api<void>('DELETE', `/api/v1/tasks/${task.id}`).then(() => true),
        'Could not delete the task',
      );
      if (ok) {
        toasts.show({
          text: `Deleted “${task.title}”`,
          action: { label: 'Undo', run: () => void restoreTask(task) },
        });
      }
      return ok;
    },
    [optimistic, qc, restoreTask, toasts],
  );

  const update = useCallback(
    (task: Task, input: TaskInput, optimisticFields: Partial<Task> = {}) =>
      optimistic(
        () => patchTask(qc, task.id, (t) => ({ ...t, ...optimisticFields })),
        () => api<Task>('PATCH', `/api/v1/tasks/${task.id}`, input),
        'Could not save the change',
      ),
    [optimistic, qc],
  );

  /** Quick add; throws so the caller keeps the text when it fails. */
  const quickAdd = useCallback(
    async (text: string, ignore: { start: number; end: number }[], listId?: string) => {
      const task = await api<Task & { parse: ParseResult }>('POST', '/api/v1/tasks/quick', {
        text,
        ...(ignore.length ? { ignore } : {}),
      });
      let result: Task = task;
      // quick add from a list view files the task there unless the text named a list
      if (listId && !task.parse.list && task.list_id !== listId) {
        result = (await api<Task>('PATCH', `/api/v1/tasks/${task.id}`, { list_id: listId }).catch(() => task)) ?? task;
      }
      invalidateAfterChange(qc);
      return result;
    },
    [qc],
  );

  return { complete, reopen, remove, restore: restoreTask, update, quickAdd };
}
