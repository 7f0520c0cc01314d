import { priorities } from '@taskstream/core';
import { z } from 'zod';
import type { TaskDto } from '../../tasks/tasks.presenter.ts';
import { recurrenceInput, reminderInput } from '../../tasks/tasks.schemas.ts';
import { expectOk } from '../taskstream-api.ts';
import {
  defineTool,
  failureOutput,
  failureText,
  idList,
  previewTask,
  previewTasks,
  runBatch,
  ToolRefusal,
  taskOutput,
} from '../tool.ts';
import { bulkTargets, dueFromWords, getTask, listIdByName, type TaskPage } from './shared.ts';

const batchOutput = { tasks: z.array(taskOutput), failures: z.array(failureOutput) };

const newTask = z
  .object({
    text: z
      .string()
      .max(2000)
      .optional()
      .describe(
        'Natural language, parsed like quick add: "Call mom every sunday at 6pm #family p2 remind me 1h before"',
      ),
    title: z.string().max(500).optional().describe('Structured alternative to text: the title as is'),
    description: z.string().max(10_000).optional(),
    due: z.string().max(200).optional().describe('With title: when, in words ("friday 3pm", "tomorrow")'),
    priority: z.enum(priorities).optional(),
    tags: z.array(z.string().max(200)).max(20).optional(),
    list: z.string().max(100).optional().describe('List name ("inbox" = the Inbox)'),
    recurrence: recurrenceInput.optional(),
    reminders: z.array(reminderInput).max(10).optional(),
  })
  .strict();

export const addTasks = defineTool({
  name: 'add_tasks',
  title: 'Add tasks',
  description:
    'Create 1–25 tasks. Each item is either {text} in natural language (dates, recurrence, #tags, +list, p1–p4 and reminders are recognised) or structured fields starting with {title}.',
  input: { tasks: z.array(newTask).min(1).max(25) },
  output: batchOutput,
  hints: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  async run({ tasks }, { api }) {
    const { done, failures } = await runBatch(
      tasks,
      (_t, i) => `tasks[${i}]`,
      async (item): Promise<TaskDto> => {
        if (item.text?.trim()) {
          return expectOk<TaskDto>(api.call('POST', '/tasks/quick', { text: item.text }));
        }
        if (!item.title?.trim())
          throw new ToolRefusal('an item needs text or title', 'Give each item {text} or {title}.');
        const body = {
          title: item.title,
          ...(item.description !== undefined ? { description: item.description } : {}),
          ...(item.priority ? { priority: item.priority } : {}),
          ...(item.tags ? { tags: item.tags } : {}),
          ...(item.list ? { list_id: await listIdByName(api, item.list) } : {}),
          ...(item.due ? { due: await dueFromWords(api, item.due) } : {}),
          ...(item.recurrence ? { recurrence: item.recurrence } : {}),
          ...(item.reminders ? { reminders: item.reminders } : {}),
        };
        return expectOk<TaskDto>(api.call('POST', '/tasks', body));
      },
    );
    return {
      text: `Added ${done.length} task(s).\n${previewTasks(done)}${failureText(failures)}`,
      data: { tasks: done, failures },
    };
  },
});

export const findTasks = defineTool({
  name: 'find_tasks',
  title: 'Find tasks',
  description:
    'Search and filter tasks. query = full-text words; filter = the filter language ("today | overdue", "p1 & #work", "+Groceries", "due before: friday", "next 7 days", "no date"); both may be combined. Paginated: pass next_cursor back as cursor.',
  input: {
    query: z.string().max(500).optional(),
    filter: z.string().max(2000).optional(),
    status: z
      .enum(['open', 'completed', 'trash', 'all'])
      .optional()
      .describe('default open (unless the filter says)'),
    sort: z
      .string()
      .max(200)
      .optional()
      .describe('e.g. "due", "-priority,due"; keys: created, due, priority, status, title, updated'),
    limit: z.number().int().min(1).max(50).default(10),
    cursor: z.string().max(2000).optional(),
  },
  output: { tasks: z.array(taskOutput), next_cursor: z.string().nullable() },
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  async run(args, { api }) {
    const qs = new URLSearchParams({ limit: String(args.limit) });
    if (args.query) qs.set('q', args.query);
    if (args.filter) qs.set('filter', args.filter);
    if (args.status) qs.set('status', args.status);
    if (args.sort) qs.set('sort', args.sort);
    if (args.cursor) qs.set('cursor', args.cursor);
    const page = await expectOk<TaskPage>(api.call('GET', `/tasks?${qs}`));
    const text =
      page.items.length === 0
        ? 'No tasks match.'
        : `${page.items.length} task(s)${page.next_cursor ? ' (more available)' : ''}:\n${previewTasks(page.items, !!page.next_cursor)}`;
    return { text, data: { tasks: page.items, next_cursor: page.next_cursor } };
  },
});

export const getTaskTool = defineTool({
  name: 'get_task',
  title: 'Get a task',
  description: 'One task by id, with its due date, recurrence, reminders and status.',
  input: { id: z.uuid({ message: 'must be a task id (uuid)' }) },
  output: { task: taskOutput },
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  async run({ id }, { api }) {
    const task = await getTask(api, id);
    return { text: previewTask(task), data: { task } };
  },
});

const taskChange = z
  .object({
    id: z.uuid({ message: 'must be a task id (uuid)' }),
    title: z.string().max(500).optional(),
    description: z.string().max(10_000).optional(),
    priority: z.enum(priorities).optional(),
    tags: z.array(z.string().max(200)).max(20).optional().describe('replaces the tags'),
    list: z.string().max(100).optional().describe('move to this list (by name)'),
    due: z
      .string()
      .max(200)
      .optional()
      .describe(
        'reschedule, in words ("friday 3pm", "next monday"); a date alone keeps the time of day and the recurrence',
      ),
    clear_due: z.boolean().optional(),
    recurrence: recurrenceInput.nullable().optional().describe('null stops the recurrence'),
  })
  .strict();

export const updateTasks = defineTool({
  name: 'update_tasks',
  title: 'Update tasks',
  description:
    'Change 1–25 tasks: title, description, priority, tags, list, or reschedule with due in words. Rescheduling keeps the recurrence, and a date without a time keeps the time of day.',
  input: { tasks: z.array(taskChange).min(1).max(25) },
  output: batchOutput,
  hints: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
  async run({ tasks }, { api }) {
    const { done, failures } = await runBatch(
      tasks,
      (c) => c.id,
      async (change) => {
        const { id, list, due, clear_due, ...fields } = change;
        const body: Record<string, unknown> = { ...fields };
        if (list) body.list_id = await listIdByName(api, list);
        if (clear_due) body.due = null;
        else if (due) body.due = await dueFromWords(api, due, await getTask(api, id));
        if (Object.keys(body).length === 0)
          throw new ToolRefusal('nothing to change', 'Name at least one field.');
        return expectOk<TaskDto>(api.call('PATCH', `/tasks/${id}`, body));
      },
    );
    return {
      text: `Updated ${done.length} task(s).\n${previewTasks(done)}${failureText(failures)}`,
      data: { tasks: done, failures },
    };
  },
});

/** complete / reopen / delete / restore share one shape: ids (or a filter for complete and delete). */
function statusTool(opts: {
  name: string;
  title: string;
  description: string;
  verb: string;
  action: 'complete' | 'reopen' | 'delete' | 'restore';
  byFilter: 'open' | 'completed' | 'all' | undefined;
  hints: { readOnlyHint: false; destructiveHint: boolean; idempotentHint: boolean };
}) {
  const input: z.ZodRawShape = opts.byFilter
    ? {
        ids: idList.optional(),
        filter: z
          .string()
          .max(2000)
          .optional()
          .describe('instead of ids: every task the filter matches (max 50)'),
      }
    : { ids: idList };
  return defineTool({
    name: opts.name,
    title: opts.title,
    description: opts.description,
    input,
    output: batchOutput,
    hints: opts.hints,
    async run(args, { api }) {
      const a = args as { ids?: string[]; filter?: string };
      const ids = await bulkTargets(api, a, opts.byFilter ?? 'all');
      const { done, failures } = await runBatch(
        ids,
        (id) => id,
        async (id) => {
          if (opts.action === 'delete') {
            const before = await getTask(api, id);
            await expectOk(api.call('DELETE', `/tasks/${id}`));
            return { ...before, deleted_at: new Date().toISOString() };
          }
          return expectOk<TaskDto>(api.call('POST', `/tasks/${id}/${opts.action}`));
        },
      );
      const next =
        opts.action === 'delete' && done.length
          ? '\nThey are in the trash: restore_tasks brings them back.'
          : '';
      return {
        text: `${opts.verb} ${done.length} task(s).\n${previewTasks(done)}${failureText(failures)}${next}`,
        data: { tasks: done, failures },
      };
    },
  });
}

export const completeTasks = statusTool({
  name: 'complete_tasks',
  title: 'Complete tasks',
  description:
    'Mark tasks done, by ids or by a filter. Completing a recurring task brings its next occurrence.',
  verb: 'Completed',
  action: 'complete',
  byFilter: 'open',
  hints: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
});

export const reopenTasks = statusTool({
  name: 'reopen_tasks',
  title: 'Reopen tasks',
  description: 'Reopen completed tasks by id.',
  verb: 'Reopened',
  action: 'reopen',
  byFilter: undefined,
  hints: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
});

export const deleteTasks = statusTool({
  name: 'delete_tasks',
  title: 'Delete tasks',
  description:
    'Move tasks to the trash, by ids or by a filter (restore_tasks undoes it). Ask the user to confirm first.',
  verb: 'Deleted',
  action: 'delete',
  byFilter: 'all',
  hints: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
});

export const restoreTasks = statusTool({
  name: 'restore_tasks',
  title: 'Restore tasks',
  description: 'Bring tasks back from the trash by id (find them with find_tasks status "trash").',
  verb: 'Restored',
  action: 'restore',
  byFilter: undefined,
  hints: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
});

export const skipOccurrence = defineTool({
  name: 'skip_occurrence',
  title: 'Skip an occurrence',
  description: 'Move a recurring task to its next occurrence without completing this one.',
  input: { id: z.uuid({ message: 'must be a task id (uuid)' }) },
  output: { task: taskOutput },
  hints: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  async run({ id }, { api }) {
    const task = await expectOk<TaskDto>(api.call('POST', `/tasks/${id}/skip`));
    return { text: `Skipped to the next occurrence.\n${previewTask(task)}`, data: { task } };
  },
});
