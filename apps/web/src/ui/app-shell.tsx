'use client';
import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { call, client, errorMessage, setUnauthenticatedHandler } from '../api/http';
import type { AppNotification, SavedFilter } from '../api/types';
import { useFilterActions, useLegacyFilterMigration, useSavedFilters } from '../data/filters';
import { browserNotificationsEnabled, useNotificationActions } from '../data/notifications';
import { useSession, useTimeZone } from '../data/session';
import { useLiveStream } from '../data/stream';
import { keys } from '../data/task-cache';
import { useLists, useTags } from '../data/tasks';
import { viewHref } from '../lib/views';
import { type Command, CommandPalette } from './command-palette';
import { FilterEditor } from './filter-editor';
import { LogoIcon, MenuIcon, MoonIcon, PlusIcon, SparklesIcon, SunIcon } from './icons';
import { NotificationBell } from './notification-bell';
import type { QuickAddHandle } from './quick-add';
import { ShellContext, type ShellState } from './shell-context';
import { ShortcutHelp } from './shortcut-help';
import { useShortcuts } from './shortcuts';
import { TaskPanel } from './task-panel';
import { useTheme } from './theme';
import { useToasts } from './toasts';

const AssistantPanel = lazy(() => import('./assistant-panel'));

function NavLink({
  href,
  label,
  count,
  active,
}: {
  href: string;
  label: string;
  count?: number;
  active: boolean;
}) {
  return (
    <Link
      href={href}
      aria-current={active ? 'page' : undefined}
      className={`flex items-center justify-between rounded-md px-3 py-1.5 text-sm ${
        active
          ? 'bg-indigo-100 font-semibold text-indigo-900 dark:bg-indigo-900/60 dark:text-indigo-50'
          : 'hover:bg-zinc-100 dark:hover:bg-zinc-800'
      }`}
    >
      <span className="truncate">{label}</span>
      {count !== undefined && count > 0 && (
        <span className="text-xs text-zinc-600 dark:text-zinc-400">{count}</span>
      )}
    </Link>
  );
}

function Sidebar({
  filters,
  onAddFilter,
  onNavigate,
}: {
  filters: SavedFilter[];
  onAddFilter: () => void;
  onNavigate: () => void;
}) {
  const pathname = usePathname();
  const params = useSearchParams();
  const lists = useLists();
  const tags = useTags();
  const qc = useQueryClient();
  const toasts = useToasts();
  const [newList, setNewList] = useState('');
  const inbox = lists.data?.find((l) => l.is_inbox);
  const here = (path: string, key?: string, value?: string) =>
    pathname === path && (key === undefined || params.get(key) === value);

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: closes the mobile drawer after a link was followed
    <nav
      aria-label="Views"
      className="space-y-5 p-3"
      onClick={(e) => (e.target as HTMLElement).closest('a') && onNavigate()}
    >
      <div className="space-y-0.5">
        <NavLink href="/inbox" label="Inbox" count={inbox?.open_count} active={here('/inbox')} />
        <NavLink href="/today" label="Today" active={here('/today')} />
        <NavLink href="/upcoming" label="Upcoming" active={here('/upcoming')} />
        <NavLink href="/completed" label="Completed" active={here('/completed')} />
        <NavLink href="/trash" label="Trash" active={here('/trash')} />
      </div>
      <div>
        <h2 className="px-3 pb-1 text-xs font-semibold tracking-wide text-zinc-600 uppercase dark:text-zinc-400">
          Lists
        </h2>
        <div className="space-y-0.5">
          {(lists.data ?? [])
            .filter((l) => !l.is_inbox)
            .map((l) => (
              <NavLink
                key={l.id}
                href={viewHref({ kind: 'list', id: l.id })}
                label={l.name}
                count={l.open_count}
                active={here('/list', 'id', l.id)}
              />
            ))}
        </div>
        <form
          className="mt-1 px-1"
          onSubmit={async (e) => {
            e.preventDefault();
            if (!newList.trim()) return;
            try {
              await call(client.POST('/api/v1/lists', { body: { name: newList.trim() } }));
              setNewList('');
              void qc.invalidateQueries({ queryKey: keys.lists });
            } catch (err) {
              toasts.show({ kind: 'error', text: `Could not add the list: ${errorMessage(err)}` });
            }
          }}
        >
          <label>
            <span className="sr-only">New list name</span>
            <input
              value={newList}
              onChange={(e) => setNewList(e.target.value)}
              placeholder="+ New list"
              maxLength={100}
              className="w-full rounded-md bg-transparent px-2 py-1 text-sm placeholder:text-zinc-600 dark:placeholder:text-zinc-400"
            />
          </label>
        </form>
      </div>
      <div>
        <div className="flex items-center justify-between px-3 pb-1">
          <h2 className="text-xs font-semibold tracking-wide text-zinc-600 uppercase dark:text-zinc-400">
            Filters
          </h2>
          <button
            type="button"
            onClick={onAddFilter}
            aria-label="Add filter"
            className="rounded px-1.5 text-sm"
          >
            <PlusIcon />
          </button>
        </div>
        {filters.map((f) => (
          <NavLink
            key={f.id}
            href={viewHref({ kind: 'filter', id: f.id })}
            label={f.name}
            active={here('/filter', 'id', f.id)}
          />
        ))}
      </div>
      {(tags.data ?? []).length > 0 && (
        <div>
          <h2 className="px-3 pb-1 text-xs font-semibold tracking-wide text-zinc-600 uppercase dark:text-zinc-400">
            Tags
          </h2>
          {(tags.data ?? []).slice(0, 30).map((t) => (
            <NavLink
              key={t.tag}
              href={viewHref({ kind: 'tag', tag: t.tag })}
              label={`#${t.tag}`}
              count={t.count}
              active={here('/tag', 'name', t.tag)}
            />
          ))}
        </div>
      )}
      <div className="space-y-0.5">
        <NavLink href="/settings" label="Settings" active={here('/settings')} />
      </div>
    </nav>
  );
}

/** Everything around a view: navigation, search, notifications, live sync, the task panel, shortcuts. */
export function AppShell({ children }: { children: React.ReactNode }) {
  const router = useRouter();
  const session = useSession();
  const timeZone = useTimeZone();
  const toasts = useToasts();
  const notificationActions = useNotificationActions();
  const [, setTheme, dark] = useTheme();
  const [q, setQ] = useState('');
  const [openTaskId, setOpenTaskId] = useState<string | null>(null);
  const [paletteOpen, setPaletteOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [assistantOpen, setAssistantOpen] = useState(false);
  const [navOpen, setNavOpen] = useState(false);
  const [filterEditorOpen, setFilterEditorOpen] = useState(false);
  const quickAddRef = useRef<QuickAddHandle | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const lists = useLists();
  const savedFilters = useSavedFilters();
  const filters = useMemo(() => savedFilters.data ?? [], [savedFilters.data]);
  const filterActions = useFilterActions();
  const user = session.data;
  useLegacyFilterMigration(user?.id, savedFilters.data);

  useEffect(() => {
    setUnauthenticatedHandler(() => router.replace('/signin'));
  }, [router]);
  useEffect(() => {
    if (session.isSuccess && !session.data) router.replace('/signin');
  }, [session.isSuccess, session.data, router]);

  const onNotification = useCallback(
    (n: AppNotification) => {
      toasts.show({
        text: `${n.title}${n.body ? ` — ${n.body}` : ''}`,
        // a reminder stays until the user acts on it, as an alarm would
        duration: Number.POSITIVE_INFINITY,
        ...(n.task_id ? { action: { label: 'Open', run: () => setOpenTaskId(n.task_id) } } : {}),
        secondary: {
          label: 'Snooze 10 min',
          run: () =>
            void notificationActions
              .snooze(n.id, 10)
              .catch((e) => toasts.show({ kind: 'error', text: errorMessage(e) })),
        },
      });
      if (browserNotificationsEnabled() && document.visibilityState !== 'visible') {
        new Notification(n.title, { body: n.body, tag: n.id });
      }
    },
    [toasts, notificationActions],
  );
  const status = useLiveStream(onNotification);

  const state: ShellState = useMemo(
    () => ({ timeZone, openTask: setOpenTaskId, q, setQ, quickAddRef }),
    [timeZone, q],
  );

  const go = useCallback((href: string) => router.push(href), [router]);
  useShortcuts([
    { keys: 'q', description: 'quick add', run: () => quickAddRef.current?.focus() },
    { keys: '/', description: 'search', run: () => searchRef.current?.focus() },
    { keys: 'g i', description: 'inbox', run: () => go('/inbox') },
    { keys: 'g t', description: 'today', run: () => go('/today') },
    { keys: 'g u', description: 'upcoming', run: () => go('/upcoming') },
    { keys: 'mod+k', description: 'palette', run: () => setPaletteOpen(true) },
    { keys: '?', description: 'help', run: () => setHelpOpen(true) },
    { keys: 'Escape', description: 'close', run: () => setOpenTaskId(null) },
  ]);

  const commands: Command[] = useMemo(
    () => [
      { id: 'add', label: 'Add task', hint: 'q', run: () => quickAddRef.current?.focus() },
      { id: 'search', label: 'Search tasks', hint: '/', run: () => searchRef.current?.focus() },
      { id: 'inbox', label: 'Go to Inbox', hint: 'g i', run: () => go('/inbox') },
      { id: 'today', label: 'Go to Today', hint: 'g t', run: () => go('/today') },
      { id: 'upcoming', label: 'Go to Upcoming', hint: 'g u', run: () => go('/upcoming') },
      { id: 'completed', label: 'Go to Completed', run: () => go('/completed') },
      { id: 'trash', label: 'Go to Trash', run: () => go('/trash') },
      ...(lists.data ?? [])
        .filter((l) => !l.is_inbox)
        .map((l) => ({
          id: `list-${l.id}`,
          label: `Go to list ${l.name}`,
          run: () => go(viewHref({ kind: 'list', id: l.id })),
        })),
      ...filters.map((f) => ({
        id: `filter-${f.id}`,
        label: `Go to filter ${f.name}`,
        run: () => go(viewHref({ kind: 'filter', id: f.id })),
      })),
      { id: 'filter-add', label: 'Add filter', run: () => setFilterEditorOpen(true) },
      { id: 'assistant', label: 'Open assistant', run: () => setAssistantOpen(true) },
      {
        id: 'theme',
        label: dark ? 'Switch to light mode' : 'Switch to dark mode',
        run: () => setTheme(dark ? 'light' : 'dark'),
      },
      { id: 'settings', label: 'Open settings', run: () => go('/settings') },
      { id: 'help', label: 'Keyboard shortcuts', hint: '?', run: () => setHelpOpen(true) },
    ],
    [lists.data, filters, dark, setTheme, go],
  );

  if (!user) {
    return (
      <main className="flex min-h-screen items-center justify-center">
        <p role="status" className="text-zinc-600 dark:text-zinc-400">
          Loading…
        </p>
      </main>
    );
  }

  return (
    <ShellContext.Provider value={state}>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:z-50 focus:bg-white focus:p-2"
      >
        Skip to tasks
      </a>
      <div className="flex h-dvh flex-col">
        <header className="flex shrink-0 items-center gap-2 border-b border-zinc-200 px-2 py-2 sm:px-4 dark:border-zinc-800">
          <button
            type="button"
            className="rounded-md px-2 py-1 text-lg md:hidden"
            aria-label="Menu"
            aria-expanded={navOpen}
            onClick={() => setNavOpen((o) => !o)}
          >
            <MenuIcon className="size-5" />
          </button>
          <Link href="/inbox" className="hidden font-bold tracking-tight sm:block">
            <LogoIcon className="mr-1.5 size-4 text-indigo-600 dark:text-indigo-400" />
            Taskstream
          </Link>
          <div className="mx-auto w-full max-w-md min-w-0">
            <label className="relative block">
              <span className="sr-only">Search tasks</span>
              <input
                ref={searchRef}
                type="search"
                value={q}
                onChange={(e) => setQ(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key !== 'Escape') return;
                  setQ('');
                  e.currentTarget.blur();
                }}
                placeholder="Search tasks  /"
                className="w-full rounded-md border border-zinc-300 bg-zinc-50 px-3 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
              />
            </label>
          </div>
          <NotificationBell onOpenTask={setOpenTaskId} />
          <button
            type="button"
            onClick={() => setAssistantOpen((o) => !o)}
            aria-expanded={assistantOpen}
            aria-label="Assistant"
            className="rounded-md p-2 hover:bg-zinc-100 dark:hover:bg-zinc-800"
          >
            <SparklesIcon className="size-5" />
          </button>
          <button
            type="button"
            onClick={() => setTheme(dark ? 'light' : 'dark')}
            aria-label={dark ? 'Switch to light mode' : 'Switch to dark mode'}
            className="rounded-md p-2 hover:bg-zinc-100 dark:hover:bg-zinc-800"
          >
            {dark ? <SunIcon className="size-5" /> : <MoonIcon className="size-5" />}
          </button>
          <button
            type="button"
            onClick={() => setHelpOpen(true)}
            aria-label="Keyboard shortcuts"
            className="hidden rounded-md p-2 hover:bg-zinc-100 sm:block dark:hover:bg-zinc-800"
          >
            ?
          </button>
        </header>
        {status === 'reconnecting' && (
          <div
            role="status"
            className="bg-amber-100 px-4 py-1.5 text-center text-sm text-amber-950 dark:bg-amber-900 dark:text-amber-50"
          >
            Offline — reconnecting. Changes from other devices will appear when the connection is back.
          </div>
        )}
        <div className="flex min-h-0 flex-1">
          <div
            className={`${navOpen ? 'fixed inset-0 top-[3.25rem] z-20 block bg-white dark:bg-zinc-950' : 'hidden'} w-full shrink-0 overflow-y-auto border-r border-zinc-200 md:static md:block md:w-64 dark:border-zinc-800`}
          >
            <Suspense>
              <Sidebar
                filters={filters}
                onAddFilter={() => setFilterEditorOpen(true)}
                onNavigate={() => setNavOpen(false)}
              />
            </Suspense>
          </div>
          <main id="main" className="min-w-0 flex-1">
            {children}
          </main>
        </div>
      </div>
      {openTaskId && <TaskPanel id={openTaskId} timeZone={timeZone} onClose={() => setOpenTaskId(null)} />}
      {assistantOpen && (
        <Suspense fallback={null}>
          <AssistantPanel onClose={() => setAssistantOpen(false)} onOpenTask={setOpenTaskId} />
        </Suspense>
      )}
      <CommandPalette open={paletteOpen} onClose={() => setPaletteOpen(false)} commands={commands} />
      <ShortcutHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
      <FilterEditor
        open={filterEditorOpen}
        timeZone={timeZone}
        onClose={() => setFilterEditorOpen(false)}
        onSave={async (f) => {
          const saved = await filterActions.create(f);
          if (saved) router.push(viewHref({ kind: 'filter', id: saved.id }));
        }}
      />
    </ShellContext.Provider>
  );
}
