import { localDateTime, priorityFromRank } from '@taskstream/core';
import type { z } from 'zod';
import type { tasks } from '../../infra/db/schema.ts';
import { asReminderSpecs } from '../reminders/reminder-time.ts';
import type { taskSchema } from './tasks.schemas.ts';

export type TaskRow = Omit<typeof tasks.$inferSelect, 'search'>;

/** The task as every route, event and tool shows it (its schema: `taskSchema`). */
export type TaskDto = z.output<typeof taskSchema>;

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
    reminders: asReminderSpecs(row.reminderSpecs),
    series_id: row.seriesId,
    occurrence: row.occurrence,
    completed_at: row.completedAt?.toISOString() ?? null,
    deleted_at: row.deletedAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    version: row.version,
  };
}
