import type { QuickAddResult } from '@taskstream/core';
import type { TaskDto } from '../../tasks/tasks.presenter.ts';
import { expectOk, type TaskstreamApi } from '../taskstream-api.ts';
import { ToolRefusal } from '../tool.ts';

export interface ListDto {
  id: string;
  name: string;
  is_inbox: boolean;
  open_count: number;
}

/** A list by name, case-insensitively; "inbox" is always the user's Inbox, whatever it is called. */
export async function listIdByName(api: TaskstreamApi, name: string): Promise<string> {
  const { items } = await expectOk<{ items: ListDto[] }>(api.call('GET', '/lists'));
  const wanted = name.trim().toLowerCase();
  const found =
    items.find((l) => l.name.toLowerCase() === wanted) ??
    (wanted === 'inbox' ? items.find((l) => l.is_inbox) : undefined);
  if (!found) {
    throw new ToolRefusal(
      `there is no list named ${JSON.stringify(name)}`,
      `Known lists: ${items.map((l) => l.name).join(', ')}.`,
    );
  }
  return found.id;
}

/**
 * A due date from words ("friday 3pm", "tomorrow", "jan 27"), read by the server's quick-add parser in the
 * user's zone. Rescheduling keeps what the words leave out: a task due at 18:00 moved to "friday" stays due
 * at 18:00, in its own zone; its recurrence is untouched because only `due` is sent.
 */
export async function dueFromWords(
  api: TaskstreamApi,
  words: string,
  current?: TaskDto,
): Promise<{ at: string; tz: string; all_day: boolean }> {
  const parse = await expectOk<QuickAddResult>(api.call('POST', '/parse', { text: words }));
  if (!parse.due) {
    throw new ToolRefusal(
      `${JSON.stringify(words)} is not a date`,
      'Say a date such as "friday 3pm", "tomorrow" or "2026-12-24".',
    );
  }
  const { date, time, tz } = parse.due;
  if (!time && current?.due && !current.due.all_day) {
    return { at: `${date}T${current.due.local.slice(11, 16)}`, tz: current.due.tz, all_day: false };
  }
  return { at: time ? `${date}T${time}` : date, tz: current?.due?.tz ?? tz, all_day: !time };
}

export async function getTask(api: TaskstreamApi, id: string): Promise<TaskDto> {
  return expectOk<TaskDto>(api.call('GET', `/tasks/${encodeURIComponent(id)}`));
}

export interface TaskPage {
  items: TaskDto[];
  next_cursor: string | null;
}

/**
 * The targets of a bulk change: explicit ids, or the tasks a filter matches (at most 50). A bulk change
 * with neither is refused: "complete everything" must be said as a filter, never implied by omission.
 */
export async function bulkTargets(
  api: TaskstreamApi,
  args: { ids?: string[] | undefined; filter?: string | undefined },
  status: 'open' | 'completed' | 'trash' | 'all',
): Promise<string[]> {
  if (args.ids?.length) return args.ids;
  if (args.filter?.trim()) {
    const qs = new URLSearchParams({ filter: args.filter, status, limit: '50' });
    const page = await expectOk<TaskPage>(api.call('GET', `/tasks?${qs}`));
    return page.items.map((t) => t.id);
  }
  throw new ToolRefusal(
    'a bulk change needs criteria',
    'Pass ids (from find_tasks) or a filter such as "overdue & #errands".',
  );
}
