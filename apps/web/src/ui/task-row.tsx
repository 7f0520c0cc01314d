'use client';
import { memo } from 'react';
import type { List, Task } from '../api/types';
import { useCore } from '../lib/core';
import { formatDue } from '../lib/dates';
import { priorityLabels } from '../lib/views';
import { BellIcon, CalendarIcon, MoreIcon, RepeatIcon } from './icons';
import { usePopover } from './popover';

export const priorityRing: Record<string, string> = {
  urgent: 'border-red-600 dark:border-red-400',
  high: 'border-orange-600 dark:border-orange-400',
  medium: 'border-blue-600 dark:border-blue-400',
  low: 'border-zinc-500 dark:border-zinc-400',
  none: 'border-zinc-500 dark:border-zinc-400',
};
const priorityText: Record<string, string> = {
  urgent: 'text-red-700 dark:text-red-300',
  high: 'text-orange-700 dark:text-orange-300',
  medium: 'text-blue-700 dark:text-blue-300',
  low: 'text-zinc-600 dark:text-zinc-400',
  none: '',
};

const recurrenceCache = new Map<string, string>();
/** "every month on the 1st at 09:00" — the core's words for the rule, cached per rule. */
export function recurrenceWords(task: Task, core: ReturnType<typeof useCore>): string {
  if (!task.recurrence) return '';
  if (!core) return 'repeats';
  const time = task.due && !task.due.all_day ? task.due.local.slice(11, 16) : undefined;
  const key = `${task.recurrence.rrule}|${time ?? ''}|${task.due?.tz ?? ''}`;
  let words = recurrenceCache.get(key);
  if (words === undefined) {
    try {
      words = core.describeRecurrence(task.recurrence.rrule, {
        ...(time ? { time } : {}),
        ...(task.due ? { tz: task.due.tz } : {}),
      });
    } catch {
      words = 'repeats';
    }
    recurrenceCache.set(key, words);
  }
  return task.recurrence.mode === 'completion' ? `${words} after completion` : words;
}

export interface RowActions {
  complete(t: Task): void;
  remove(t: Task): void;
  restore(t: Task): void;
  setPriority(t: Task, p: Task['priority']): void;
  move(t: Task, listId: string): void;
  open(t: Task): void;
}

function MoreActions({ task, lists, actions }: { task: Task; lists: List[]; actions: RowActions }) {
  const [open, setOpen, box] = usePopover<HTMLDivElement>();
  const item = 'block w-full rounded px-3 py-1.5 text-left text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800';
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Escape anywhere in the popover closes it
    <div
      ref={box}
      className="relative"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          setOpen(false);
          (box.current?.querySelector('button') as HTMLButtonElement | null)?.focus();
        }
      }}
    >
      <button
        type="button"
        aria-label={`More actions: ${task.title}`}
        aria-expanded={open}
        aria-haspopup="true"
        onClick={() => setOpen((o) => !o)}
        className="rounded-md p-1.5 leading-none text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
      >
        <MoreIcon className="size-5" />
      </button>
      {open && (
        <fieldset
          aria-label={`Actions for ${task.title}`}
          className="absolute right-0 z-30 mt-1 w-56 rounded-lg border border-zinc-300 bg-white p-1 shadow-xl dark:border-zinc-700 dark:bg-zinc-900"
        >
          <button
            type="button"
            className={item}
            onClick={() => {
              setOpen(false);
              actions.open(task);
            }}
          >
            Edit
          </button>
          <div className="px-3 pt-2 pb-1 text-xs font-semibold text-zinc-600 dark:text-zinc-400">
            Priority
          </div>
          <div className="flex gap-1 px-2 pb-1">
            {(['urgent', 'high', 'medium', 'low'] as const).map((p) => (
              <button
                key={p}
                type="button"
                aria-pressed={task.priority === p}
                aria-label={`Priority ${priorityLabels[p]}`}
                onClick={() => {
                  setOpen(false);
                  actions.setPriority(task, task.priority === p ? 'none' : p);
                }}
                className={`flex-1 rounded border px-1 py-1 text-xs font-semibold ${priorityRing[p]} ${priorityText[p]} ${task.priority === p ? 'bg-zinc-100 dark:bg-zinc-800' : ''}`}
              >
                {priorityLabels[p]}
              </button>
            ))}
          </div>
          <label className="block px-3 py-1.5 text-xs font-semibold text-zinc-600 dark:text-zinc-400">
            Move to list
            <select
              value={task.list_id}
              onChange={(e) => {
                setOpen(false);
                actions.move(task, e.target.value);
              }}
              className="mt-1 block w-full rounded border border-zinc-400 bg-white px-2 py-1 text-sm text-zinc-900 dark:border-zinc-600 dark:bg-zinc-900 dark:text-zinc-100"
            >
              {lists.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          </label>
          {task.deleted_at ? (
            <button
              type="button"
              className={item}
              onClick={() => {
                setOpen(false);
                actions.restore(task);
              }}
            >
              Restore
            </button>
          ) : (
            <button
              type="button"
              className={`${item} text-red-700 dark:text-red-300`}
              onClick={() => {
                setOpen(false);
                actions.remove(task);
              }}
            >
              Delete
            </button>
          )}
        </fieldset>
      )}
    </div>
  );
}

/** One task: checkbox, title, due, recurrence, tags, bell, list; all controls visible (no hover-only). */
export const TaskRow = memo(function TaskRow({
  task,
  selected,
  now,
  timeZone,
  lists,
  showList,
  actions,
}: {
  task: Task;
  selected: boolean;
  now: Date;
  timeZone: string;
  lists: List[];
  showList: boolean;
  actions: RowActions;
}) {
  const due = formatDue(task, now, timeZone);
  const core = useCore();
  const done = task.status === 'completed';
  const listName = showList ? lists.find((l) => l.id === task.list_id)?.name : undefined;
  return (
    <div
      data-task-id={task.id}
      data-selected={selected || undefined}
      className={`flex items-start gap-3 border-b border-zinc-200 px-2 py-2.5 dark:border-zinc-800 ${
        selected ? 'bg-indigo-50 ring-2 ring-inset ring-indigo-500 dark:bg-indigo-950/60' : ''
      }`}
    >
      <input
        type="checkbox"
        checked={done}
        onChange={() => actions.complete(task)}
        aria-label={`${done ? 'Reopen' : 'Complete'} ${task.title}`}
        disabled={task.deleted_at !== null}
        className={`mt-0.5 size-5 shrink-0 cursor-pointer appearance-none rounded-full border-2 checked:bg-zinc-500 ${priorityRing[task.priority]} ${
          task.priority !== 'none' ? 'border-[2.5px]' : ''
        }`}
      />
      <div className="min-w-0 flex-1">
        <button
          type="button"
          onClick={() => actions.open(task)}
          className={`block w-full truncate text-left ${done ? 'text-zinc-500 line-through dark:text-zinc-400' : ''}`}
        >
          {task.title}
        </button>
        <div className="mt-0.5 flex flex-wrap items-center gap-x-2.5 gap-y-0.5 text-xs text-zinc-600 dark:text-zinc-400">
          {task.priority !== 'none' && (
            <span className={`font-semibold ${priorityText[task.priority]}`}>
              {priorityLabels[task.priority]}
            </span>
          )}
          {due && (
            <span className={due.overdue ? 'font-medium text-red-700 dark:text-red-300' : ''}>
              <CalendarIcon className="mr-1 size-3.5 align-[-2px]" />
              {due.text}
              {due.overdue && <span className="sr-only"> (overdue)</span>}
            </span>
          )}
          {task.recurrence && (
            <span>
              <RepeatIcon className="mr-1 size-3.5 align-[-2px]" />
              {recurrenceWords(task, core)}
            </span>
          )}
          {task.reminders.length > 0 && (
            <span title="Reminders set">
              <BellIcon className="size-3.5 align-[-2px]" />
              <span className="sr-only">Reminders set</span>
            </span>
          )}
          {task.tags.map((t) => (
            <span key={t} className="text-emerald-800 dark:text-emerald-300">
              #{t}
            </span>
          ))}
          {listName && <span>▸ {listName}</span>}
        </div>
      </div>
      <MoreActions task={task} lists={lists} actions={actions} />
    </div>
  );
});
