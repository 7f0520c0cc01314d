import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import type { Task, TaskPage } from '../api/types';

/** Query keys: every task list lives under ['tasks', …] so one call reaches them all. */
export const keys = {
  tasks: ['tasks'] as const,
  taskList: (params: Record<string, string>) => ['tasks', 'list', params] as const,
  task: (id: string) => ['tasks', 'one', id] as const,
  lists: ['lists'] as const,
  filters: ['filters'] as const,
  tags: ['tags'] as const,
  notifications: ['notifications'] as const,
  settings: ['settings'] as const,
  session: ['session'] as const,
  conversations: ['conversations'] as const,
  conversation: (id: string) => ['conversations', 'one', id] as const,
};

type Snapshot = [readonly unknown[], unknown][];

function isPages(data: unknown): data is InfiniteData<TaskPage> {
  return typeof data === 'object' && data !== null && Array.isArray((data as InfiniteData<TaskPage>).pages);
}

/** Applies `fn` to the task wherever it is cached (every list page and its own entry). */
export function patchTask(qc: QueryClient, id: string, fn: (t: Task) => Task): void {
  qc.setQueriesData({ queryKey: keys.tasks }, (data: unknown) => {
    if (isPages(data)) {
      let changed = false;
      const pages = data.pages.map((p) => {
        if (!p.items.some((t) => t.id === id)) return p;
        changed = true;
        return { ...p, items: p.items.map((t) => (t.id === id ? fn(t) : t)) };
      });
      return changed ? { ...data, pages } : data;
    }
    const one = data as Task | undefined;
    return one && typeof one === 'object' && 'id' in one && one.id === id ? fn(one) : data;
  });
}

/** Replaces cached copies of a task with a newer version from the server (never with an older one). */
export function storeTask(qc: QueryClient, task: Task): void {
  patchTask(qc, task.id, (t) => (t.version > task.version ? t : task));
}

/** Every cached task query, to restore when an optimistic change fails. */
export function snapshot(qc: QueryClient): Snapshot {
  return qc.getQueriesData({ queryKey: keys.tasks });
}

export function restore(qc: QueryClient, snap: Snapshot): void {
  for (const [key, data] of snap) qc.setQueryData(key, data);
}

/** Finds a cached task by id (the panel opens instantly from a row). */
export function findCachedTask(qc: QueryClient, id: string): Task | undefined {
  for (const [, data] of qc.getQueriesData({ queryKey: keys.tasks })) {
    if (isPages(data)) {
      for (const p of data.pages) {
        const t = p.items.find((x) => x.id === id);
        if (t) return t;
      }
    } else if (data && typeof data === 'object' && (data as Task).id === id) return data as Task;
  }
  return undefined;
}
