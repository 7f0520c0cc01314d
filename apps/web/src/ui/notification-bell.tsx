'use client';
import { errorMessage } from '../api/http';
import { useNotificationActions, useNotifications } from '../data/notifications';
import { BellIcon } from './icons';
import { usePopover } from './popover';
import { useToasts } from './toasts';

const time = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The bell with the unread count, opening the notification centre. */
export function NotificationBell({ onOpenTask }: { onOpenTask: (id: string) => void }) {
  const { data } = useNotifications();
  const actions = useNotificationActions();
  const toasts = useToasts();
  const [open, setOpen, box] = usePopover<HTMLDivElement>();
  const unread = (data ?? []).filter((n) => !n.read_at).length;
  const fail = (err: unknown) => toasts.show({ kind: 'error', text: errorMessage(err) });
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Escape anywhere in the centre closes it
    <div ref={box} className="relative" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
      <button
        type="button"
        aria-label={`Notifications${unread ? ` (${unread} unread)` : ''}`}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        className="relative rounded-md p-2 hover:bg-zinc-100 dark:hover:bg-zinc-800"
      >
        <BellIcon className="size-5" />
        {unread > 0 && (
          <span
            aria-hidden="true"
            className="absolute -top-0.5 -right-0.5 min-w-5 rounded-full bg-red-700 px-1 text-center text-xs font-bold text-white"
          >
            {unread}
          </span>
        )}
      </button>
      {open && (
        <section
          aria-label="Notification centre"
          className="absolute right-0 z-40 mt-2 max-h-[70vh] w-[min(24rem,calc(100vw-1.5rem))] overflow-y-auto rounded-xl border border-zinc-300 bg-white p-2 shadow-2xl dark:border-zinc-700 dark:bg-zinc-900"
        >
          <h2 className="px-2 py-1 text-sm font-semibold">Notifications</h2>
          {(data ?? []).length === 0 && (
            <p className="px-2 py-4 text-sm text-zinc-600 dark:text-zinc-400">No notifications yet.</p>
          )}
          <ul>
            {(data ?? []).map((n) => (
              <li
                key={n.id}
                className={`rounded-lg px-2 py-2 text-sm ${n.read_at ? '' : 'bg-indigo-50 dark:bg-indigo-950/50'}`}
              >
                <p className="font-medium">
                  {!n.read_at && <span className="sr-only">Unread: </span>}
                  {n.title}
                </p>
                {n.body && <p className="text-zinc-700 dark:text-zinc-300">{n.body}</p>}
                <p className="text-xs text-zinc-600 dark:text-zinc-400">
                  {time.format(new Date(n.created_at))}
                </p>
                <div className="mt-1 flex flex-wrap gap-2 text-xs">
                  {n.task_id && (
                    <button
                      type="button"
                      className="font-semibold text-indigo-700 underline dark:text-indigo-300"
                      onClick={() => {
                        setOpen(false);
                        onOpenTask(n.task_id!);
                        if (!n.read_at) actions.markRead(n.id).catch(fail);
                      }}
                    >
                      Open task
                    </button>
                  )}
                  <button
                    type="button"
                    className="underline"
                    onClick={() => actions.snooze(n.id, 10).catch(fail)}
                  >
                    Snooze 10 min
                  </button>
                  <button
                    type="button"
                    className="underline"
                    onClick={() => actions.snooze(n.id, 60).catch(fail)}
                  >
                    Snooze 1 h
                  </button>
                  {!n.read_at && (
                    <button
                      type="button"
                      className="underline"
                      onClick={() => actions.markRead(n.id).catch(fail)}
                    >
                      Mark read
                    </button>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
