import { localDateTime, type Priority, priorityFromRank } from '@taskstream/core';
import type { tasks } from '../../infra/db/schema.ts';

export type TaskRow = Omit<typeof tasks.$inferSelect, 'search'>;

export interface TaskDto {
  id: string;
  title: string;
  description: string;
  status: 'open' | 'completed';
  priority: Priority;
  tags: string[];
  list_id: string;
  due: { at: string; tz: string; all_day: boolean; local: string } | null;
  recurrence: { rrule: string; mode: 'due' | 'completion' } | null;
  reminders: unknown[];
  series_id: string | null;
  occurrence: number | null;
  completed_at: string | null;
  deleted_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

/** The one JSON shape of a task, used by every route, event and tool. */
export function toTaskDto(row: TaskRow): TaskDto {
  const tz = row.dueTz ?? 'UTC';
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    status: row.status,
    priority: priorityFromRank(row.priority),
    tags: row.tags,
    list_id: row.listId,
    due: row.dueAt
      ? {
          at: row.dueAt.toISOString(),
          tz,
          all_day: row.dueAllDay,
          local: row.dueAllDay ? localDateTime(row.dueAt, tz).slice(0, 10) : localDateTime(row.dueAt, tz),
        }
      : null,
    recurrence: row.recurrence ? { rrule: row.recurrence, mode: row.recurrenceMode ?? 'due' } : null,
    reminders: Array.isArray(row.reminderSpecs) ? row.reminderSpecs : [],
    series_id: row.seriesId,
    occurrence: row.occurrence,
    completed_at: row.completedAt?.toISOString() ?? null,
    deleted_at: row.deletedAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    version: row.version,
  };
}
