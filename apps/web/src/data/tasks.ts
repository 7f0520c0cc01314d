'use client';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { call, client, errorMessage } from '../api/http';
import type { Task, TaskInput, TaskListQuery } from '../api/types';
import { useToasts } from '../ui/toasts';
import { findCachedTask, keys, patchTask, restore, snapshot, storeTask } from './task-cache';

export const pageSize = 200;

/** One view's tasks, 200 a page; further pages load as the list scrolls. */
export function useTaskList(params: Record<string, string> | null) {
  return useInfiniteQuery({
    queryKey: keys.taskList(params ?? {}),
    enabled: params !== null,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      call(
        client.GET('/api/v1/tasks', {
          params: {
            query: { ...(params as TaskListQuery), limit: pageSize, ...(pageParam ? { cursor: pageParam } : {}) },
          },
          signal,
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function useTask(id: string | null) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: keys.task(id ?? ''),
    enabled: id !== null,
    queryFn: ({ signal }) => call(client.GET('/api/v1/tasks/{id}', { params: { path: { id: id! } }, signal })),
    initialData: () => (id ? findCachedTask(qc, id) : undefined),
  });
}

export function useLists() {
  return useQuery({
    queryKey: keys.lists,
    queryFn: ({ signal }) => call(client.GET('/api/v1/lists', { signal })).then((r) => r.items),
  });
}

export function useTags() {
  return useQuery({
    queryKey: keys.tags,
    queryFn: ({ signal }) => call(client.GET('/api/v1/tags', { signal })).then((r) => r.items),
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
        () => call(client.POST('/api/v1/tasks/{id}/reopen', { params: { path: { id: task.id } } })),
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
        () => call(client.POST('/api/v1/tasks/{id}/complete', { params: { path: { id: task.id } } })),
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
        () => call(client.POST('/api/v1/tasks/{id}/restore', { params: { path: { id: task.id } } })),
        'Could not restore the task',
      ),
    [optimistic, qc],
  );

  const remove = useCallback(
    async (task: Task) => {
      const ok = await optimistic(
        () => patchTask(qc, task.id, (t) => ({ ...t, deleted_at: new Date().toISOString() })),
        () => call(client.DELETE('/api/v1/tasks/{id}', { params: { path: { id: task.id } } })).then(() => true),
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
        () => call(client.PATCH('/api/v1/tasks/{id}', { params: { path: { id: task.id } }, body: input })),
        'Could not save the change',
      ),
    [optimistic, qc],
  );

  /**
   * Quick add; throws so the caller keeps the text when it fails. Added from a list view, the task goes to
   * that list unless the text named one; added from Today, it is due today unless the text gave a date.
   */
  const quickAdd = useCallback(
    async (text: string, ignore: { start: number; end: number }[], into: { listId?: string; dueDate?: string } = {}) => {
      // the document does not describe this response yet: the task plus the parse it came from
      const task = (await call(
        client.POST('/api/v1/tasks/quick', { body: { text, ...(ignore.length ? { ignore } : {}) } }),
      ).catch((err: unknown) => {
        throw err;
      })) as unknown as Task & { parse: { list?: string } };
      let result: Task = task;
      const patch: TaskInput = {
        ...(into.listId && !task.parse.list && task.list_id !== into.listId ? { list_id: into.listId } : {}),
        ...(into.dueDate && !task.due ? { due: { at: into.dueDate, all_day: true } } : {}),
      };
      if (Object.keys(patch).length) {
        result = await call(
          client.PATCH('/api/v1/tasks/{id}', { params: { path: { id: task.id } }, body: patch }),
        ).catch(() => task);
      }
      invalidateAfterChange(qc);
      return result;
    },
    [qc],
  );

  return { complete, reopen, remove, restore: restoreTask, update, quickAdd };
}
