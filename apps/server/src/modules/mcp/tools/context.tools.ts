import { z } from 'zod';
import { expectOk, type TaskstreamApi } from '../taskstream-api.ts';
import { defineTool, previewCap, previewTasks, ToolRefusal, taskOutput } from '../tool.ts';
import type { ListDto, TaskPage } from './shared.ts';

export const listLists = defineTool({
  name: 'list_lists',
  title: 'List lists',
  description:
    'The lists (Inbox first) with their open task counts. Tools accept list names, so ids are optional.',
  input: {},
  output: {
    lists: z.array(
      z.object({ id: z.string(), name: z.string(), is_inbox: z.boolean(), open_count: z.number() }),
    ),
  },
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  async run(_args, { api }) {
    const { items } = await expectOk<{ items: ListDto[] }>(api.call('GET', '/lists'));
    const text = items
      .map((l) => `- ${JSON.stringify(l.name)}: ${l.open_count} open [id ${l.id}]`)
      .join('\n');
    const lists = items.map(({ id, name, is_inbox, open_count }) => ({ id, name, is_inbox, open_count }));
    return { text: text || 'No lists.', data: { lists } };
  },
});

export const listTags = defineTool({
  name: 'list_tags',
  title: 'List tags',
  description: 'Tags in use with task counts, most used first. Filter by one with find_tasks filter "#tag".',
  input: {},
  output: { tags: z.array(z.object({ tag: z.string(), count: z.number() })) },
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  async run(_args, { api }) {
    const { items } = await expectOk<{ items: { tag: string; count: number }[] }>(api.call('GET', '/tags'));
    return {
      text: items.length ? items.map((t) => `#${t.tag} (${t.count})`).join(', ') : 'No tags yet.',
      data: { tags: items },
    };
  },
});

const historyItem = z.looseObject({ type: z.string(), at: z.string(), client: z.string().nullable() });

export const getTaskHistory = defineTool({
  name: 'get_task_history',
  title: 'Get task history',
  description:
    "A task's changes, newest last: what changed (field, before, after), when, and from which client.",
  input: {
    id: z.uuid({ message: 'must be a task id (uuid)' }),
    limit: z.number().int().min(1).max(100).default(20).describe('the most recent N changes'),
  },
  output: { changes: z.array(historyItem), total: z.number() },
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  async run({ id, limit }, { api }) {
    const { items } = await expectOk<{ items: z.infer<typeof historyItem>[] }>(
      api.call('GET', `/tasks/${id}/history`),
    );
    const recent = items.slice(-limit);
    const text = recent.map((c) => `- ${c.at} ${c.type}${c.client ? ` (${c.client})` : ''}`).join('\n');
    return { text: text || 'No history yet.', data: { changes: recent, total: items.length } };
  },
});

const bucket = z.object({ count: z.number(), more: z.boolean(), tasks: z.array(taskOutput) });

async function bucketOf(api: TaskstreamApi, filter: string) {
  const qs = new URLSearchParams({ filter, limit: '50', sort: 'due,-priority' });
  const page = await expectOk<TaskPage>(api.call('GET', `/tasks?${qs}`));
  return { count: page.items.length, more: page.next_cursor !== null, tasks: page.items.slice(0, 5) };
}

export const overview = defineTool({
  name: 'overview',
  title: 'Overview',
  description: 'Counts of overdue, today and upcoming (next 7 days) open tasks, with the first few of each.',
  input: {},
  output: { overdue: bucket, today: bucket, upcoming: bucket },
  hints: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  async run(_args, { api }) {
    const [overdue, today, upcoming] = await Promise.all([
      bucketOf(api, 'overdue'),
      bucketOf(api, 'today & !overdue'),
      bucketOf(api, 'next 7 days & !today & !overdue'),
    ]);
    const line = (name: string, b: typeof overdue) =>
      `${name}: ${b.count}${b.more ? '+' : ''}${b.tasks.length ? `\n${previewTasks(b.tasks.slice(0, previewCap))}` : ''}`;
    return {
      text: [line('Overdue', overdue), line('Today', today), line('Upcoming (7 days)', upcoming)].join('\n'),
      data: { overdue, today, upcoming },
    };
  },
});

interface NotificationDto {
  id: string;
  task_id: string | null;
  title: string;
  snoozed_until: string | null;
}

export const snoozeReminder = defineTool({
  name: 'snooze_reminder',
  title: 'Snooze a reminder',
  description:
    'Hide a fired reminder for some minutes; it comes back unread and is pushed again. Give the notification id, or the task id to snooze its latest reminder.',
  input: {
    notification_id: z.uuid().optional(),
    task_id: z.uuid().optional(),
    minutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(10),
  },
  output: {
    notification: z.object({ id: z.string(), title: z.string(), snoozed_until: z.string().nullable() }),
  },
  hints: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
  async run(args, { api }) {
    let id = args.notification_id;
    if (!id && args.task_id) {
      const { items } = await expectOk<{ items: NotificationDto[] }>(
        api.call('GET', '/notifications?limit=200'),
      );
      id = items.find((n) => n.task_id === args.task_id)?.id;
      if (!id)
        throw new ToolRefusal(
          'that task has no fired reminder to snooze',
          'Reminders can be snoozed once they have fired.',
        );
    }
    if (!id)
      throw new ToolRefusal('give notification_id or task_id', 'Pass the task id of the reminder to snooze.');
    const notification = await expectOk<NotificationDto>(
      api.call('POST', `/notifications/${id}/snooze`, { minutes: args.minutes }),
    );
    return {
      text: `Snoozed ${JSON.stringify(notification.title)} until ${notification.snoozed_until}.`,
      data: {
        notification: {
          id: notification.id,
          title: notification.title,
          snoozed_until: notification.snoozed_until,
        },
      },
    };
  },
});
