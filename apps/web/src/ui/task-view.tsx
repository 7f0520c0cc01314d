'use client';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Task } from '../api/types';
import { useLists, useTags, useTaskActions, useTaskList } from '../data/tasks';
import { addDays, dayHeading, formatDue, localParts } from '../lib/dates';
import { type Chips, sortOptions, type View, viewQuery } from '../lib/views';
import { QuickAdd } from './quick-add';
import { useShell } from './shell-context';
import { useShortcuts } from './shortcuts';
import { type RowActions, TaskRow } from './task-row';

type Item = { kind: 'task'; task: Task } | { kind: 'heading'; id: string; text: string };

const chipSelect =
  'rounded-full border border-zinc-400 bg-white px-3 py-1 text-sm text-zinc-900 dark:border-zinc-600 dark:bg-zinc-900 dark:text-zinc-100';

/** Today and Upcoming: overdue first, then each day under its heading. */
function groupByDay(tasks: Task[], now: Date, tz: string, days: number): Item[] {
  const today = localParts(now, tz).date;
  const items: Item[] = [];
  const overdue = tasks.filter((t) => (formatDue(t, now, tz)?.date ?? today) < today);
  if (overdue.length) {
    items.push({ kind: 'heading', id: 'overdue', text: 'Overdue' });
    for (const t of overdue) items.push({ kind: 'task', task: t });
  }
  for (let i = 0; i < days; i++) {
    const day = addDays(today, i);
    items.push({
      kind: 'heading',
      id: day,
      text: `${i === 0 ? 'Today · ' : i === 1 ? 'Tomorrow · ' : ''}${dayHeading(day)}`,
    });
    for (const t of tasks) if (formatDue(t, now, tz)?.date === day) items.push({ kind: 'task', task: t });
  }
  return items;
}

export function TaskView({
  view,
  title,
  filterText,
  headerExtra,
}: {
  view: View;
  title: string;
  filterText?: string;
  headerExtra?: React.ReactNode;
}) {
  const shell = useShell();
  const lists = useLists();
  const tags = useTags();
  const [chips, setChips] = useState<Chips>({});
  const [sort, setSort] = useState('');
  // as-you-type search, without a request per keystroke
  const [q, setQ] = useState(shell.q);
  useEffect(() => {
    const t = setTimeout(() => setQ(shell.q), 150);
    return () => clearTimeout(t);
  }, [shell.q]);
  const params = useMemo(
    () => viewQuery(view, { lists: lists.data, filterText, chips, sort, q }),
    [view, lists.data, filterText, chips, sort, q],
  );
  const query = useTaskList(params);
  const actionsApi = useTaskActions();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(t);
  }, []);

  const searching = q.trim() !== '';
  const tasks = useMemo(() => {
    const all = query.data?.pages.flatMap((p) => p.items) ?? [];
    // a task deleted here stays hidden until the refetch confirms it (except in the Trash)
    return view.kind === 'trash' ? all : all.filter((t) => t.deleted_at === null);
  }, [query.data, view.kind]);
  const items: Item[] = useMemo(
    () =>
      view.kind === 'upcoming' && !searching && !sort
        ? groupByDay(tasks, now, shell.timeZone, 7)
        : view.kind === 'today' && !searching && !sort
          ? groupByDay(tasks, now, shell.timeZone, 1)
          : tasks.map((task) => ({ kind: 'task' as const, task })),
    [tasks, view.kind, searching, sort, now, shell.timeZone],
  );
  const taskItems = useMemo(() => items.filter((i) => i.kind === 'task').map((i) => i.task), [items]);

  const [selected, setSelected] = useState<string | null>(null);
  const selectedTask = taskItems.find((t) => t.id === selected) ?? null;

  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => (items[i]?.kind === 'heading' ? 44 : 60),
    overscan: 10,
    getItemKey: (i) => {
      const it = items[i]!;
      return it.kind === 'task' ? it.task.id : `h-${it.id}`;
    },
  });
  const virtualItems = virtual.getVirtualItems();
  const lastIndex = virtualItems[virtualItems.length - 1]?.index ?? 0;
  useEffect(() => {
    if (query.hasNextPage && !query.isFetchingNextPage && lastIndex >= items.length - 30)
      void query.fetchNextPage();
  }, [lastIndex, items.length, query]);

  const listItems = lists.data ?? [];
  const actions: RowActions = useMemo(
    () => ({
      complete: (t) => void actionsApi.complete(t),
      remove: (t) => void actionsApi.remove(t),
      restore: (t) => void actionsApi.restore(t),
      setPriority: (t, p) => void actionsApi.update(t, { priority: p }, { priority: p }),
      move: (t, listId) => void actionsApi.update(t, { list_id: listId }, { list_id: listId }),
      open: (t) => {
        setSelected(t.id);
        shell.openTask(t.id);
      },
    }),
    [actionsApi, shell],
  );

  const move = useCallback(
    (delta: number) => {
      if (!taskItems.length) return;
      const i = taskItems.findIndex((t) => t.id === selected);
      const next = taskItems[Math.max(0, Math.min(taskItems.length - 1, i < 0 ? 0 : i + delta))]!;
      setSelected(next.id);
      const index = items.findIndex((it) => it.kind === 'task' && it.task.id === next.id);
      virtual.scrollToIndex(index, { align: 'auto' });
      // the row renders in the next frame; focus follows unless the user has moved on (e.g. opened the panel)
      const from = document.activeElement;
      requestAnimationFrame(() => {
        if (document.activeElement !== from && document.activeElement !== document.body) return;
        (document.querySelector(`[data-task-id="${next.id}"] input`) as HTMLElement | null)?.focus({
          preventScroll: true,
        });
      });
    },
    [taskItems, selected, items, virtual],
  );

  // the row whose control has focus is the selected one, so Tab and j/k agree
  const onFocusCapture = (e: React.FocusEvent) => {
    const id = (e.target as HTMLElement).closest('[data-task-id]')?.getAttribute('data-task-id');
    if (id) setSelected(id);
  };

  useShortcuts([
    { keys: 'j', description: 'next', run: () => move(1) },
    { keys: 'k', description: 'previous', run: () => move(-1) },
    { keys: 'ArrowDown', description: 'next', run: () => move(1) },
    { keys: 'ArrowUp', description: 'previous', run: () => move(-1) },
    { keys: 'x', description: 'complete', run: () => selectedTask && actions.complete(selectedTask) },
    { keys: 'e', description: 'edit', run: () => selectedTask && actions.open(selectedTask) },
    { keys: 'Delete', description: 'delete', run: () => selectedTask && actions.remove(selectedTask) },
    { keys: '1', description: 'p1', run: () => selectedTask && actions.setPriority(selectedTask, 'urgent') },
    { keys: '2', description: 'p2', run: () => selectedTask && actions.setPriority(selectedTask, 'high') },
    { keys: '3', description: 'p3', run: () => selectedTask && actions.setPriority(selectedTask, 'medium') },
    { keys: '4', description: 'p4', run: () => selectedTask && actions.setPriority(selectedTask, 'low') },
  ]);

  const into = useMemo(
    () =>
      view.kind === 'list'
        ? { listId: view.id }
        : view.kind === 'today'
          ? { dueDate: localParts(now, shell.timeZone).date }
          : undefined,
    [view, now, shell.timeZone],
  );
  const showList = view.kind !== 'list' && view.kind !== 'inbox';
  const heading = searching ? `Search: “${q.trim()}”` : title;

  return (
    <div className="flex h-full min-h-0 flex-col">
      <div className="shrink-0 space-y-3 px-4 pt-4 sm:px-6">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h1 className="text-2xl font-bold tracking-tight">{heading}</h1>
          {headerExtra}
        </div>
        {view.kind !== 'trash' && view.kind !== 'completed' && (
          <QuickAdd ref={shell.quickAddRef} timeZone={shell.timeZone} into={into} />
        )}
        <fieldset className="flex flex-wrap items-center gap-2">
          <legend className="sr-only">Filter and sort</legend>
          <select
            aria-label="Sort"
            value={sort}
            onChange={(e) => setSort(e.target.value)}
            className={chipSelect}
          >
            {sortOptions.map((o) => (
              <option key={o.value} value={o.value}>
                Sort: {o.label}
              </option>
            ))}
          </select>
          <select
            aria-label="Priority filter"
            value={chips.priority ?? ''}
            onChange={(e) => setChips((c) => ({ ...c, priority: e.target.value || undefined }))}
            className={chipSelect}
          >
            <option value="">Any priority</option>
            <option value="urgent">P1</option>
            <option value="high">P2</option>
            <option value="medium">P3</option>
            <option value="low">P4</option>
            <option value="none">No priority</option>
          </select>
          {view.kind !== 'tag' && (
            <select
              aria-label="Tag filter"
              value={chips.tag ?? ''}
              onChange={(e) => setChips((c) => ({ ...c, tag: e.target.value || undefined }))}
              className={chipSelect}
            >
              <option value="">Any tag</option>
              {(tags.data ?? []).map((t) => (
                <option key={t.tag} value={t.tag}>
                  #{t.tag}
                </option>
              ))}
            </select>
          )}
          {view.kind !== 'trash' && view.kind !== 'completed' && (
            <select
              aria-label="Status filter"
              value={chips.status ?? ''}
              onChange={(e) =>
                setChips((c) => ({ ...c, status: (e.target.value || undefined) as Chips['status'] }))
              }
              className={chipSelect}
            >
              <option value="">Open</option>
              <option value="completed">Completed</option>
              <option value="all">All</option>
            </select>
          )}
          <select
            aria-label="Due filter"
            value={chips.due ?? ''}
            onChange={(e) => setChips((c) => ({ ...c, due: (e.target.value || undefined) as Chips['due'] }))}
            className={chipSelect}
          >
            <option value="">Any due date</option>
            <option value="overdue">Overdue</option>
            <option value="today">Due today</option>
            <option value="next 7 days">Next 7 days</option>
            <option value="no date">No date</option>
          </select>
          {(chips.priority || chips.tag || chips.status || chips.due || sort) && (
            <button
              type="button"
              onClick={() => {
                setChips({});
                setSort('');
              }}
              className="rounded-full px-3 py-1 text-sm font-medium text-indigo-700 underline dark:text-indigo-300"
            >
              Clear filters
            </button>
          )}
        </fieldset>
      </div>
      <div
        ref={scroller}
        className="mt-2 min-h-0 flex-1 overflow-y-auto px-2 pb-24 sm:px-4"
        onFocusCapture={onFocusCapture}
      >
        {query.isError && (
          <div
            role="alert"
            className="m-4 rounded-md bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
          >
            Could not load tasks: {(query.error as Error).message}{' '}
            <button type="button" className="font-semibold underline" onClick={() => void query.refetch()}>
              Try again
            </button>
          </div>
        )}
        {query.isPending && params !== null && (
          <p className="p-4 text-zinc-600 dark:text-zinc-400" role="status">
            Loading…
          </p>
        )}
        {query.isSuccess && items.length === 0 && (
          <p className="p-8 text-center text-zinc-600 dark:text-zinc-400">
            {searching
              ? 'No task matches.'
              : view.kind === 'trash'
                ? 'The trash is empty.'
                : 'Nothing here. Enjoy your day!'}
          </p>
        )}
        <ul
          aria-label={`${heading} tasks`}
          aria-busy={query.isFetching}
          className="relative"
          style={{ height: virtual.getTotalSize() }}
        >
          {virtualItems.map((v) => {
            const it = items[v.index]!;
            return (
              <li
                key={v.key}
                data-index={v.index}
                ref={virtual.measureElement}
                className="absolute inset-x-0 top-0"
                style={{ transform: `translateY(${v.start}px)` }}
              >
                {it.kind === 'heading' ? (
                  <h2 className="border-b border-zinc-300 px-2 pt-4 pb-1.5 text-sm font-semibold dark:border-zinc-700">
                    {it.text}
                  </h2>
                ) : (
                  <TaskRow
                    task={it.task}
                    selected={it.task.id === selected}
                    now={now}
                    timeZone={shell.timeZone}
                    lists={listItems}
                    showList={showList}
                    actions={actions}
                  />
                )}
              </li>
            );
          })}
        </ul>
        {query.isFetchingNextPage && (
          <p role="status" className="p-3 text-center text-sm text-zinc-600 dark:text-zinc-400">
            Loading more…
          </p>
        )}
      </div>
    </div>
  );
}
