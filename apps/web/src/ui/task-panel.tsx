'use client';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { call, client } from '../api/http';
import type { HistoryItem, ReminderSpec, Task } from '../api/types';
import { useLists, useTags, useTask, useTaskActions } from '../data/tasks';
import { useCore } from '../lib/core';
import { dayHeading, localParts, timeZones } from '../lib/dates';
import { priorityLabels } from '../lib/views';
import { BellIcon, CloseIcon, RepeatIcon } from './icons';
import { RecurrenceEditor } from './recurrence-editor';
import { recurrenceWords } from './task-row';

const Markdown = lazy(() => import('./markdown'));

const field =
  'mt-1 block w-full rounded-md border border-zinc-400 bg-white px-2 py-1.5 text-sm text-zinc-900 dark:border-zinc-600 dark:bg-zinc-900 dark:text-zinc-100';
const label = 'block text-sm font-semibold';
const time = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const relativeChoices = [
  ['PT0M', 'At the due time'],
  ['PT5M', '5 minutes before'],
  ['PT15M', '15 minutes before'],
  ['PT30M', '30 minutes before'],
  ['PT1H', '1 hour before'],
  ['P1D', '1 day before'],
] as const;

function reminderText(r: ReminderSpec, tz: string): string {
  if ('at' in r) {
    const p = localParts(new Date(r.at), tz);
    return `At ${p.date} ${p.time}`;
  }
  const known = relativeChoices.find(([v]) => v === r.before);
  if (known) return known[1];
  return `${r.before.replace(/^PT?/, '').toLowerCase()} before`;
}

function historyText(h: HistoryItem): string {
  const verb = h.type.replace(/^task\./, '');
  const fields = h.changes.map((c) => c.field).filter((f) => f !== 'version' && f !== 'updated_at');
  return fields.length && verb === 'updated'
    ? `Changed ${fields.join(', ')}`
    : verb[0]!.toUpperCase() + verb.slice(1);
}

/** The task panel: every field of a task, editable; changes save as they are made. */
export function TaskPanel({ id, timeZone, onClose }: { id: string; timeZone: string; onClose: () => void }) {
  const taskQuery = useTask(id);
  const task = taskQuery.data;
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    closeButton.current?.focus();
  }, []);
  return (
    <aside
      aria-label="Task details"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
      className="fixed inset-0 z-[45] flex flex-col overflow-y-auto bg-white shadow-2xl md:inset-y-0 md:right-0 md:left-auto md:w-[28rem] md:border-l md:border-zinc-300 dark:bg-zinc-950 md:dark:border-zinc-700"
    >
      <div className="sticky top-0 z-10 flex items-center justify-between border-b border-zinc-200 bg-white px-4 py-2 dark:border-zinc-800 dark:bg-zinc-950">
        <h2 className="font-semibold">Task details</h2>
        <button
          ref={closeButton}
          type="button"
          onClick={onClose}
          aria-label="Close task details"
          className="rounded-md px-2 py-1 text-lg hover:bg-zinc-100 dark:hover:bg-zinc-800"
        >
          <CloseIcon className="size-5" />
        </button>
      </div>
      {taskQuery.isError && (
        <p role="alert" className="p-4 text-red-800 dark:text-red-200">
          Could not load the task: {(taskQuery.error as Error).message}
        </p>
      )}
      {task && <PanelBody key={task.id} task={task} timeZone={timeZone} />}
    </aside>
  );
}

function PanelBody({ task, timeZone }: { task: Task; timeZone: string }) {
  const actions = useTaskActions();
  const core = useCore();
  const lists = useLists();
  const tags = useTags();
  const [title, setTitle] = useState(task.title);
  const [description, setDescription] = useState(task.description);
  const [editingDescription, setEditingDescription] = useState(task.description === '');
  const [newTag, setNewTag] = useState('');
  const [absolute, setAbsolute] = useState('');
  useEffect(() => {
    setTitle(task.title);
  }, [task.title]);
  useEffect(() => {
    setDescription(task.description);
  }, [task.description]);

  const dueTz = task.due?.tz ?? timeZone;
  const dueDate = task.due ? task.due.local.slice(0, 10) : '';
  const dueTime = task.due && !task.due.all_day ? task.due.local.slice(11, 16) : '';
  const zones = useMemo(timeZones, []);

  const history = useQuery({
    queryKey: ['tasks', 'history', task.id, task.version],
    queryFn: ({ signal }) =>
      call(client.GET('/api/v1/tasks/{id}/history', { params: { path: { id: task.id } }, signal })).then(
        (r) => r.items,
      ),
  });
  const occurrences = useQuery({
    queryKey: ['tasks', 'occurrences', task.id, task.version],
    enabled: task.recurrence !== null && task.due !== null,
    queryFn: ({ signal }) =>
      call(
        client.GET('/api/v1/tasks/{id}/occurrences', {
          params: { path: { id: task.id }, query: { count: 5 } },
          signal,
        }),
      ),
  });

  const save = (input: Parameters<typeof actions.update>[1], optimistic: Partial<Task> = {}) =>
    actions.update(task, input, optimistic);

  const setDue = (date: string, t: string, tz: string) => {
    if (!date) return void save({ due: null }, { due: null });
    void save({ due: { at: t ? `${date}T${t}` : date, tz, all_day: !t } });
  };

  const addTag = () => {
    const t = newTag.trim().replace(/^#/, '');
    if (!t || task.tags.includes(t)) return setNewTag('');
    void save({ tags: [...task.tags, t] }, { tags: [...task.tags, t] });
    setNewTag('');
  };

  return (
    <div className="space-y-5 p-4">
      <div className="flex items-start gap-3">
        <input
          type="checkbox"
          checked={task.status === 'completed'}
          onChange={() => void actions.complete(task)}
          aria-label={`${task.status === 'completed' ? 'Reopen' : 'Complete'} ${task.title}`}
          className="mt-2 size-5"
          disabled={task.deleted_at !== null}
        />
        <label className="flex-1">
          <span className="sr-only">Title</span>
          <input
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            onBlur={() =>
              title.trim() &&
              title !== task.title &&
              void save({ title: title.trim() }, { title: title.trim() })
            }
            onKeyDown={(e) => e.key === 'Enter' && (e.currentTarget as HTMLInputElement).blur()}
            maxLength={500}
            className="w-full rounded-md border border-transparent bg-transparent px-1 py-1 text-lg font-semibold hover:border-zinc-300 dark:hover:border-zinc-700"
          />
        </label>
      </div>
      {task.deleted_at && (
        <p className="rounded-md bg-amber-50 p-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          This task is in the trash.
        </p>
      )}

      <div>
        <div className="flex items-center justify-between">
          <span id="desc-label" className={label}>
            Description
          </span>
          <button
            type="button"
            className="text-sm text-indigo-700 underline dark:text-indigo-300"
            onClick={() => setEditingDescription((v) => !v)}
          >
            {editingDescription ? 'Preview' : 'Edit description'}
          </button>
        </div>
        {editingDescription ? (
          <textarea
            aria-labelledby="desc-label"
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            onBlur={() => description !== task.description && void save({ description }, { description })}
            rows={4}
            placeholder="Notes, links, checklists (Markdown)"
            className={field}
          />
        ) : (
          <div className="mt-1 rounded-md border border-zinc-200 p-2 dark:border-zinc-800">
            <Suspense fallback={<p className="text-sm">{task.description}</p>}>
              <Markdown text={task.description} />
            </Suspense>
          </div>
        )}
      </div>

      <fieldset className="grid grid-cols-2 gap-2">
        <legend className={`${label} mb-1`}>Due</legend>
        <label className="text-sm">
          Due date
          <input
            type="date"
            value={dueDate}
            onChange={(e) => setDue(e.target.value, dueTime, dueTz)}
            className={field}
          />
        </label>
        <label className="text-sm">
          Due time
          <input
            type="time"
            value={dueTime}
            onChange={(e) => dueDate && setDue(dueDate, e.target.value, dueTz)}
            className={field}
          />
        </label>
        <label className="col-span-2 text-sm">
          Time zone
          <input
            list="tz-list"
            defaultValue={dueTz}
            onBlur={(e) => dueDate && e.target.value !== dueTz && setDue(dueDate, dueTime, e.target.value)}
            className={field}
          />
          <datalist id="tz-list">
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </label>
      </fieldset>

      <div>
        <RecurrenceEditor
          rrule={task.recurrence?.rrule ?? null}
          mode={task.recurrence?.mode ?? 'due'}
          dueDate={dueDate || null}
          onChange={(r) => void save({ recurrence: r })}
        />
        {task.recurrence && (
          <div className="mt-2 text-sm">
            <p>
              <RepeatIcon className="mr-1 size-3.5 align-[-2px]" />
              {occurrences.data?.description ?? recurrenceWords(task, core)}
            </p>
            {!task.due && (
              <p className="text-zinc-600 dark:text-zinc-400">Set a due date to anchor the series.</p>
            )}
            {occurrences.data && (
              <>
                <p className="mt-1 font-semibold">Next dates</p>
                <ol className="list-decimal pl-5 text-zinc-700 dark:text-zinc-300">
                  {occurrences.data.items.map((o) => (
                    <li key={o.at}>
                      {`${dayHeading(o.local.slice(0, 10))} ${o.local.slice(11, 16)}`.trim()}
                    </li>
                  ))}
                </ol>
              </>
            )}
          </div>
        )}
      </div>

      <div>
        <span className={label}>Reminders</span>
        <ul className="mt-1 space-y-1">
          {task.reminders.map((r, i) => (
            <li key={JSON.stringify(r)} className="flex items-center justify-between text-sm">
              <span>
                <BellIcon className="mr-1 size-3.5 align-[-2px]" />
                {reminderText(r, timeZone)}
              </span>
              <button
                type="button"
                className="text-red-700 underline dark:text-red-300"
                aria-label={`Remove reminder ${reminderText(r, timeZone)}`}
                onClick={() => void save({ reminders: task.reminders.filter((_, j) => j !== i) })}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
        <div className="mt-2 flex flex-wrap gap-2">
          <select
            aria-label="Add a reminder before the due time"
            value=""
            disabled={!task.due}
            onChange={(e) =>
              e.target.value && void save({ reminders: [...task.reminders, { before: e.target.value }] })
            }
            className={`${field} mt-0 w-auto`}
          >
            <option value="">{task.due ? 'Add reminder…' : 'Set a due date for relative reminders'}</option>
            {relativeChoices.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
          <label className="flex items-center gap-1 text-sm">
            <span className="sr-only">Reminder date and time</span>
            <input
              type="datetime-local"
              value={absolute}
              onChange={(e) => setAbsolute(e.target.value)}
              className={`${field} mt-0 w-auto`}
            />
          </label>
          <button
            type="button"
            disabled={!absolute}
            onClick={() => {
              void save({ reminders: [...task.reminders, { at: absolute }] });
              setAbsolute('');
            }}
            className="rounded-md border border-zinc-400 px-2 py-1 text-sm disabled:opacity-50 dark:border-zinc-600"
          >
            Add at time
          </button>
        </div>
      </div>

      <div className="grid grid-cols-2 gap-2">
        <label className="text-sm font-semibold">
          Priority
          <select
            value={task.priority}
            onChange={(e) => {
              const p = e.target.value as Task['priority'];
              void save({ priority: p }, { priority: p });
            }}
            className={field}
          >
            <option value="none">None</option>
            {(['urgent', 'high', 'medium', 'low'] as const).map((p) => (
              <option key={p} value={p}>
                {priorityLabels[p]} ({p})
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-semibold">
          List
          <select
            value={task.list_id}
            onChange={(e) => void save({ list_id: e.target.value }, { list_id: e.target.value })}
            className={field}
          >
            {(lists.data ?? []).map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
      </div>

      <div>
        <span className={label}>Tags</span>
        <ul className="mt-1 flex flex-wrap gap-1">
          {task.tags.map((t) => (
            <li
              key={t}
              className="flex items-center gap-1 rounded-full bg-emerald-100 px-2 py-0.5 text-sm text-emerald-900 dark:bg-emerald-900 dark:text-emerald-50"
            >
              #{t}
              <button
                type="button"
                aria-label={`Remove tag ${t}`}
                onClick={() => {
                  const next = task.tags.filter((x) => x !== t);
                  void save({ tags: next }, { tags: next });
                }}
              >
                <CloseIcon className="size-3" />
              </button>
            </li>
          ))}
        </ul>
        <div className="mt-2 flex gap-2">
          <label className="flex-1">
            <span className="sr-only">Add tag</span>
            <input
              list="tag-list"
              value={newTag}
              onChange={(e) => setNewTag(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  addTag();
                }
              }}
              placeholder="Add tag"
              className={`${field} mt-0`}
            />
          </label>
          <datalist id="tag-list">
            {(tags.data ?? []).map((t) => (
              <option key={t.tag} value={t.tag} />
            ))}
          </datalist>
          <button
            type="button"
            onClick={addTag}
            className="rounded-md border border-zinc-400 px-3 text-sm dark:border-zinc-600"
          >
            Add
          </button>
        </div>
      </div>

      <div className="flex flex-wrap gap-2 border-t border-zinc-200 pt-4 dark:border-zinc-800">
        {task.deleted_at ? (
          <button
            type="button"
            onClick={() => void actions.restore(task)}
            className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white"
          >
            Restore
          </button>
        ) : (
          <button
            type="button"
            onClick={() => void actions.remove(task)}
            className="rounded-md border border-red-700 px-3 py-1.5 text-sm font-semibold text-red-700 dark:border-red-300 dark:text-red-300"
          >
            Delete task
          </button>
        )}
      </div>

      <div>
        <h3 className={label}>History</h3>
        {history.isError && (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">History is unavailable right now.</p>
        )}
        <ol className="mt-1 space-y-1 text-sm text-zinc-700 dark:text-zinc-300">
          {(history.data ?? []).map((h) => (
            <li key={h.event_id}>
              <span className="text-zinc-600 dark:text-zinc-400">{time.format(new Date(h.at))}</span> ·{' '}
              {historyText(h)}
              {h.client ? ` (${h.client})` : ''}
            </li>
          ))}
        </ol>
      </div>
    </div>
  );
}
