import { and, asc, eq, gte, inArray, lt, lte, sql } from 'drizzle-orm';
import type { Clock } from '../../infra/clock/clock.ts';
import type { Db } from '../../infra/db/db.ts';
import { reminders, tasks } from '../../infra/db/schema.ts';
import { type CloudEvent, ensureTraceparent } from '../../infra/events/cloud-event.ts';
import type { Subscription } from '../../infra/events/event-bus.ts';
import { appendEvents } from '../../infra/events/outbox.ts';
import type { Scheduler, TriggerOutcome } from '../../infra/scheduler/scheduler.ts';
import { reminderLateness } from '../../infra/telemetry/metrics.ts';
import { type TaskDto, toTaskDto } from '../tasks/tasks.presenter.ts';
import { taskColumns } from '../tasks/tasks.repository.ts';
import { asReminderSpec, type ReminderSpec } from './reminder-time.ts';

/** `data` payload of `reminder.due` on the `reminders` topic. */
export interface ReminderDuePayload {
  reminder_id: string;
  task_id: string;
  spec: ReminderSpec | null;
  fire_at: string;
  fired_at: string;
  task: TaskDto;
}

export interface RemindersOptions {
  /**
   * The sweep fires a `scheduled` reminder only once it is this late: before that, its own trigger is
   * expected, and firing it from two places at once would just lose the race on the guarded update.
   */
  sweepGraceMs?: number;
  /** A trigger that arrives this much before fire_at (clock skew between hosts) asks to be retried. */
  earlyRetryWindowMs?: number;
}

export const reminderJobPrefix = 'reminder-';

export function reminderJobName(reminderId: string): string {
  return `${reminderJobPrefix}${reminderId}`;
}

/**
 * Reminder firing (issue 5 item 5): a scheduler trigger or the sweep moves a reminder `scheduled → fired`
 * with one guarded UPDATE and, in the same transaction, appends `reminder.due` to the outbox. However many
 * triggers arrive (at-least-once delivery, sweep and trigger racing, several replicas), only the one whose
 * UPDATE matched publishes: each reminder fires exactly once per time it is armed.
 */
export class RemindersService {
  private readonly graceMs: number;
  private readonly earlyWindowMs: number;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
    private readonly outboxWritten: () => void,
    opts: RemindersOptions = {},
  ) {
    this.graceMs = opts.sweepGraceMs ?? 30_000;
    this.earlyWindowMs = opts.earlyRetryWindowMs ?? 120_000;
  }

  /** Fires one reminder if it is scheduled and due. */
  async fire(reminderId: string): Promise<TriggerOutcome> {
    return (await this.fireMany([reminderId])).get(reminderId) ?? 'done';
  }

  /**
   * Fires every given reminder that is scheduled and due, in one transaction: one guarded UPDATE for all of
   * them and one outbox append (a busy second's reminders, or a catch-up after a restart, cost a handful of
   * queries instead of a handful each).
   */
  async fireMany(reminderIds: readonly string[]): Promise<Map<string, TriggerOutcome>> {
    const ids = [...new Set(reminderIds)];
    const outcomes = new Map<string, TriggerOutcome>();
    if (ids.length === 0) return outcomes;
    const now = this.clock.now();
    const fired = await this.db.transaction(async (tx) => {
      const rows = await tx
        .update(reminders)
        .set({ status: 'fired', firedAt: now, updatedAt: now })
        .where(and(inArray(reminders.id, ids), eq(reminders.status, 'scheduled'), lte(reminders.fireAt, now)))
        .returning();
      if (rows.length === 0) return rows;
      const taskRows = await tx
        .select(taskColumns)
        .from(tasks)
        .where(inArray(tasks.id, [...new Set(rows.map((r) => r.taskId))]));
      const byId = new Map(taskRows.map((t) => [t.id, t]));
      const events = rows.flatMap((row) => {
        const task = byId.get(row.taskId);
        if (!task || !row.fireAt) return [];
        const payload: ReminderDuePayload = {
          reminder_id: row.id,
          task_id: row.taskId,
          spec: asReminderSpec(row.spec),
          fire_at: row.fireAt.toISOString(),
          fired_at: now.toISOString(),
          task: toTaskDto(task),
        };
        return [
          {
            topic: 'reminders' as const,
            type: 'reminder.due',
            userId: row.userId,
            subject: row.taskId,
            payload,
          },
        ];
      });
      // a reminder is caused by time, not by a request: each firing starts a fresh trace
      await appendEvents(
        tx,
        { at: now, traceparent: ensureTraceparent(undefined), source: 'taskstream/notifier' },
        events,
      );
      return rows;
    });
    if (fired.length > 0) this.outboxWritten();
    for (const row of fired) {
      outcomes.set(row.id, 'done');
      if (row.fireAt) reminderLateness.observe(Math.max(0, now.getTime() - row.fireAt.getTime()) / 1000);
    }
    const rest = ids.filter((id) => !outcomes.has(id));
    if (rest.length > 0) {
      // Not fired: already fired, cancelled, gone — or not due yet by this host's clock.
      const rows = await this.db
        .select({ id: reminders.id, status: reminders.status, fireAt: reminders.fireAt })
        .from(reminders)
        .where(inArray(reminders.id, rest));
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const id of rest) {
        const row = byId.get(id);
        const early = row?.status === 'scheduled' && row.fireAt && row.fireAt > now;
        // Slightly early (clock skew): retry. Far early: the reminder moved and its job was replaced.
        const retry = early && row.fireAt!.getTime() - now.getTime() <= this.earlyWindowMs;
        outcomes.set(id, retry ? 'retry' : 'done');
      }
    }
    return outcomes;
  }

  /** Safety net: fires every reminder still `scheduled` more than the grace period after its time. */
  async sweep(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.graceMs);
    let fired = 0;
    for (;;) {
      const late = await this.db
        .select({ id: reminders.id })
        .from(reminders)
        .where(and(eq(reminders.status, 'scheduled'), lt(reminders.fireAt, cutoff)))
        .orderBy(asc(reminders.fireAt))
        .limit(500);
      const outcomes = await this.fireMany(late.map((r) => r.id));
      fired += [...outcomes.values()].filter((o) => o === 'done').length;
      if (late.length < 500) return fired;
    }
  }

  /**
   * Arms or disarms the scheduler jobs of one task's reminders from the committed rows. Idempotent and
   * order-insensitive (it reads current state), so at-least-once delivery of task events is enough.
   * `since`: rows cancelled at or after this instant get their job deleted.
   */
  async armTask(taskId: string, since: Date): Promise<void> {
    await this.armTasks([taskId], since);
  }

  /** `armTask` for several tasks with one query; `since` is the earliest of their events' times. */
  async armTasks(taskIds: readonly string[], since: Date): Promise<void> {
    if (taskIds.length === 0) return;
    const rows = await this.db
      .select({ id: reminders.id, status: reminders.status, fireAt: reminders.fireAt })
      .from(reminders)
      .where(
        and(
          inArray(reminders.taskId, [...new Set(taskIds)]),
          sql`(${reminders.status} = 'scheduled' or (${reminders.status} = 'cancelled' and ${gte(reminders.updatedAt, since)}))`,
        ),
      );
    for (const row of rows) {
      if (row.status === 'scheduled' && row.fireAt) {
        await this.scheduler.schedule(reminderJobName(row.id), row.fireAt, {
          kind: 'reminder',
          reminder_id: row.id,
        });
      } else {
        await this.scheduler.cancel(reminderJobName(row.id));
      }
    }
  }

  /** Consumer `reminder-scheduler` on `task-events`: arms the jobs of the task that changed. */
  schedulingSubscription(): Subscription {
    return {
      consumer: 'reminder-scheduler',
      topic: 'task-events',
      handle: async (event: CloudEvent) => {
        if (!event.subject) return;
        await this.armTask(event.subject, new Date(event.time));
      },
      // Several events, one query: arming reads current state, so order and repeats do not matter, and
      // the earliest event time as `since` only cancels (idempotently) a few more disarmed jobs.
      handleBatch: async (events: readonly CloudEvent[]) => {
        const taskIds = events.flatMap((e) => (e.subject ? [e.subject] : []));
        const since = Math.min(...events.map((e) => new Date(e.time).getTime()));
        await this.armTasks(taskIds, new Date(since));
      },
    };
  }
}
