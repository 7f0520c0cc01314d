'use client';
import { useEffect, useRef } from 'react';
import { useConversations, useDeleteConversation } from '../data/conversations';
import { timeAgo } from '../lib/dates';
import { HistoryIcon, TrashIcon } from './icons';
import { usePopover } from './popover';

/**
 * The assistant's earlier conversations, newest first, in a popover: open one, or delete it (after a
 * confirmation, as lists and filters are). Escape closes the popover only, not the assistant around it.
 */
export function ConversationHistory({
  current,
  onOpen,
  onDeleted,
}: {
  current: string | undefined;
  onOpen: (id: string) => void;
  onDeleted: (id: string) => void;
}) {
  const [open, setOpen, box] = usePopover<HTMLDivElement>();
  const { data, isPending, isError } = useConversations();
  const remove = useDeleteConversation();
  const toggle = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLUListElement>(null);
  useEffect(() => {
    if (open) list.current?.querySelector('button')?.focus();
  }, [open]);
  const close = () => {
    setOpen(false);
    toggle.current?.focus();
  };
  const now = new Date();
  const items = data ?? [];

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Escape anywhere in the popover closes it
    <div
      ref={box}
      className="relative"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          close();
        }
      }}
    >
      <button
        ref={toggle}
        type="button"
        aria-label="Past conversations"
        title="Past conversations"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        className="rounded-md p-2 hover:bg-zinc-100 dark:hover:bg-zinc-800"
      >
        <HistoryIcon className="size-5" />
      </button>
      {open && (
        <section
          aria-label="Past conversations"
          className="absolute right-0 z-50 mt-2 max-h-[60vh] w-[min(22rem,calc(100vw-1.5rem))] overflow-y-auto rounded-xl border border-zinc-300 bg-white p-2 shadow-2xl dark:border-zinc-700 dark:bg-zinc-900"
        >
          <h3 className="px-2 py-1 text-sm font-semibold">Past conversations</h3>
          {isPending && <p className="px-2 py-3 text-sm text-zinc-600 dark:text-zinc-400">Loading…</p>}
          {isError && (
            <p className="px-2 py-3 text-sm text-red-700 dark:text-red-300">
              The conversations could not be loaded.
            </p>
          )}
          {!isPending && !isError && items.length === 0 && (
            <p className="px-2 py-3 text-sm text-zinc-600 dark:text-zinc-400">No conversations yet.</p>
          )}
          <ul ref={list}>
            {items.map((c) => (
              <li key={c.id} className="flex items-center gap-1">
                <button
                  type="button"
                  aria-current={c.id === current ? 'true' : undefined}
                  onClick={() => {
                    onOpen(c.id);
                    close();
                  }}
                  className={`min-w-0 flex-1 rounded-lg px-2 py-1.5 text-left text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800 ${
                    c.id === current ? 'bg-indigo-50 dark:bg-indigo-950/50' : ''
                  }`}
                >
                  <span className="block truncate font-medium">{c.title}</span>
                  <span className="block text-xs text-zinc-600 dark:text-zinc-400">
                    <time dateTime={c.updated_at}>{timeAgo(c.updated_at, now)}</time>
                  </span>
                </button>
                <button
                  type="button"
                  aria-label={`Delete conversation “${c.title}”`}
                  title="Delete"
                  onClick={async () => {
                    if (!confirm(`Delete the conversation “${c.title}”?`)) return;
                    // the button goes with its row: focus stays in the popover, on its toggle
                    toggle.current?.focus();
                    if (await remove(c.id)) onDeleted(c.id);
                  }}
                  className="rounded-md p-2 text-zinc-600 hover:bg-zinc-100 hover:text-red-700 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-red-300"
                >
                  <TrashIcon />
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
