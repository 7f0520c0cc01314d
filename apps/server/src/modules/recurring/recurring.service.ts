import {
  DomainError,
  describeRecurrence,
  localDateTime,
  nextOccurrence,
  previewOccurrences,
  type RecurrenceMode,
} from '@taskstream/core';
import { and, asc, eq, gt } from 'drizzle-orm';
import type { Clock } from '../../infra/clock/clock.ts';
import type { Db, Executor, Tx } from '../../infra/db/db.ts';
import { tasks } from '../../infra/db/schema.ts';
import { type CloudEvent, ensureTraceparent } from '../../infra/events/cloud-event.ts';
import type { Subscription } from '../../infra/events/event-bus.ts';
import { consumeOnce } from '../../infra/events/inbox.ts';
import type { AuthUser } from '../../plugins/authenticate.ts';
import { asReminderSpecs } from '../reminders/reminder-time.ts';
import type { TaskDto, TaskRow } from '../tasks/tasks.presenter.ts';
import { findTask } from '../tasks/tasks.repository.ts';
import type { TaskEventPayload, TasksService, WriteContext } from '../tasks/tasks.service.ts';

export interface OccurrencePreview {
  at: string;
  /** wall-clock time in the task's zone (a date for all-day tasks) */
  local: string;
}

export interface SeriesItem {
  id: string;
  occurrence: number | null;
  status: TaskDto['status'];
  due: string | null;
  completed_at: string | null;
  deleted_at: string | null;
}

/** The rule's input for core's nextOccurrence, from a task row; null when the task does not recur. */
function ruleOf(row: TaskRow) {
  if (!row.recurrence || !row.dueAt || row.seriesId === null || row.occurrence === null) return null;
  return {
    rrule: row.recurrence,
    mode: row.recurrenceMode ?? 'due',
    dtstart: { at: row.recurrenceAnchor ?? row.dueAt, tz: row.dueTz ?? 'UTC', allDay: row.dueAllDay },
    after: row.dueAt,
    occurrenceIndex: row.occurrence,
    seriesId: row.seriesId,
  } as const;
}

/**
 * Recurring tasks (issue 5 items 2–3). The `recurring` role consumes `task-events`: on `task.completed` of a
 * recurring task it creates the next occurrence — the completed one stays as history. Exactly once per
 * occurrence, whatever the redelivery or concurrency:
 * - the inbox (consumer `recurring`) skips a redelivered event;
 * - the next task's (series_id, occurrence) is unique, so two different completions of the same
 *   occurrence (complete, reopen, complete) or two replicas racing insert one row; the loser writes nothing;
 * - a series that already moved past this occurrence (a later occurrence exists, e.g. after a skip) is
 *   left alone, so reopening an old occurrence and completing it again never adds a second open one.
 */
export class RecurringService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly tasks: TasksService,
    private readonly outboxWritten: () => void,
  ) {}

  subscription(): Subscription {
    return {
      consumer: 'recurring',
      topic: 'task-events',
      handle: async (event: CloudEvent) => {
        if (event.type !== 'task.completed') return;
        const created = await consumeOnce(this.db, 'recurring', event.id, async (tx) => {
          await this.createNext(tx, event);
        });
        if (created) this.outboxWritten();
      },
    };
  }

  private async createNext(tx: Tx, event: CloudEvent): Promise<void> {
    const payload = event.data?.payload as TaskEventPayload | undefined;
    const taskId = event.subject ?? payload?.task?.id;
    if (!taskId || !payload?.task?.recurrence) return;
    const row = await findTask(tx, event.data.user_id, taskId);
    if (!row) return;
    const rule = ruleOf(row);
    if (!rule) return;
    if (await this.seriesMovedOn(tx, rule.seriesId, rule.occurrenceIndex)) return;
    const now = this.clock.now();
    const completedAt = new Date(payload.task.completed_at ?? event.time);
    const next = nextOccurrence({ ...rule, completedAt, now });
    if (next === null) return; // COUNT reached or past UNTIL: the series ends here
    const ctx: WriteContext = {
      user: { id: row.userId, timeZone: row.dueTz ?? 'UTC', client: payload.client },
      traceparent: ensureTraceparent(event.traceparent),
    };
    await this.tasks.insertInTransaction(
      tx,
      ctx,
      {
        userId: row.userId,
        listId: row.listId,
        title: row.title,
        description: row.description,
        priority: row.priority,
        tags: row.tags,
        dueAt: next,
        dueTz: row.dueTz,
        dueAllDay: row.dueAllDay,
        recurrence: row.recurrence,
        recurrenceMode: row.recurrenceMode,
        recurrenceAnchor: rule.dtstart.at,
        seriesId: rule.seriesId,
        occurrence: rule.occurrenceIndex + 1,
        // relative reminders follow the series; an absolute one belonged to this occurrence only
        reminderSpecs: asReminderSpecs(row.reminderSpecs).filter((s) => 'before' in s),
      },
      now,
    );
  }

  private async seriesMovedOn(db: Executor, seriesId: string, occurrence: number): Promise<boolean> {
    const later = await db
      .select({ id: tasks.id })
      .from(tasks)
      .where(and(eq(tasks.seriesId, seriesId), gt(tasks.occurrence, occurrence)))
      .limit(1);
    return later.length > 0;
  }

  /** The next `count` occurrences after this one, and the rule in words. */
  async occurrences(
    user: AuthUser,
    id: string,
    count: number,
  ): Promise<{ rrule: string; mode: RecurrenceMode; description: string; items: OccurrencePreview[] }> {
    const row = await this.recurringTask(user, id);
    const rule = ruleOf(row)!;
    const tz = rule.dtstart.tz;
    // What completing the task now would bring, then each following one done on its due date.
    const now = this.clock.now();
    const dates = previewOccurrences({ ...rule, completedAt: now, now }, count);
    const time = row.dueAllDay ? undefined : localDateTime(rule.dtstart.at, tz).slice(11, 16);
    return {
      rrule: rule.rrule,
      mode: rule.mode,
      description: describeRecurrence(rule.rrule, { tz, ...(time ? { time } : {}) }),
      items: dates.map((d) => ({
        at: d.toISOString(),
        local: row.dueAllDay ? localDateTime(d, tz).slice(0, 10) : localDateTime(d, tz),
      })),
    };
  }

  /**
   * Moves an open occurrence to the next one without completing it: same task, next due date, next
   * occurrence number (so COUNT counts the skipped one). Reminders follow through the write hook.
   */
  async skip(ctx: WriteContext, id: string, ifMatch: number | undefined): Promise<TaskDto> {
    return this.tasks.write(ctx, id, ifMatch, async (tx, row) => {
      if (row.deletedAt) throw new DomainError('TASK_NOT_FOUND', 'Task is in the trash; restore it first');
      const rule = ruleOf(row);
      if (!rule) throw new DomainError('NOT_RECURRING');
      if (row.status !== 'open')
        throw new DomainError('INVALID_STATE', 'Only an open occurrence can be skipped');
      if (await this.seriesMovedOn(tx, rule.seriesId, rule.occurrenceIndex)) {
        throw new DomainError('INVALID_STATE', 'A later occurrence of this series already exists');
      }
      const now = this.clock.now();
      // Skipping is "done at its due time" for the rule: in mode completion too, the next date follows the
      // skipped due date, and missed occurrences up to now are skipped as well.
      const next = nextOccurrence({ ...rule, mode: 'due', completedAt: rule.after, now });
      if (next === null)
        throw new DomainError(
          'INVALID_STATE',
          'The series has no further occurrence; complete the task instead',
        );
      return { type: 'task.updated', set: { dueAt: next, occurrence: rule.occurrenceIndex + 1 } };
    });
  }

  /** Every occurrence of the task's series, oldest first, with completion times. */
  async series(user: AuthUser, id: string): Promise<{ series_id: string; items: SeriesItem[] }> {
    const row = await findTask(this.db, user.id, id);
    if (!row) throw new DomainError('TASK_NOT_FOUND');
    if (!row.seriesId) throw new DomainError('NOT_RECURRING');
    const rows = await this.db
      .select({
        id: tasks.id,
        occurrence: tasks.occurrence,
        status: tasks.status,
        dueAt: tasks.dueAt,
        completedAt: tasks.completedAt,
        deletedAt: tasks.deletedAt,
      })
      .from(tasks)
      .where(and(eq(tasks.userId, user.id), eq(tasks.seriesId, row.seriesId)))
      .orderBy(asc(tasks.occurrence));
    return {
      series_id: row.seriesId,
      items: rows.map((r) => ({
        id: r.id,
        occurrence: r.occurrence,
        status: r.status,
        due: r.dueAt?.toISOString() ?? null,
        completed_at: r.completedAt?.toISOString() ?? null,
        deleted_at: r.deletedAt?.toISOString() ?? null,
      })),
    };
  }

  private async recurringTask(user: AuthUser, id: string): Promise<TaskRow> {
    const row = await findTask(this.db, user.id, id);
    if (!row) throw new DomainError('TASK_NOT_FOUND');
    if (!ruleOf(row)) throw new DomainError('NOT_RECURRING');
    return row;
  }
}
