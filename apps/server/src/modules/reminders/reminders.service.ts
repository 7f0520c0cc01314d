import { and, asc, eq, gte, lt, lte, sql } from 'drizzle-orm';
import type { Clock } from '../../infra/clock/clock.ts';
import type { Db } from '../../infra/db/db.ts';
import { reminders, tasks } from '../../infra/db/schema.ts';
import { type CloudEvent, ensureTraceparent } from '../../infra/events/cloud-event.ts';
import type { Subscription } from '../../infra/events/event-bus.ts';
import { appendEvents } from '../../infra/events/outbox.ts';
import type { Scheduler, TriggerOutcome } from '../../infra/scheduler/scheduler.ts';
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
    const now = this.clock.now();
    const fired = await this.db.transaction(async (tx) => {
      const [row] = await tx
        .update(reminders)
        .set({ status: 'fired', firedAt: now, updatedAt: now })
        .where(
          and(eq(reminders.id, reminderId), eq(reminders.status, 'scheduled'), lte(reminders.fireAt, now)),
        )
        .returning();
      if (!row?.fireAt) return null;
      const [task] = await tx.select(taskColumns).from(tasks).where(eq(tasks.id, row.taskId)).limit(1);
      if (!task) return null;
      const payload: ReminderDuePayload = {
        reminder_id: row.id,
        task_id: row.taskId,
        spec: asReminderSpec(row.spec),
        fire_at: row.fireAt.toISOString(),
        fired_at: now.toISOString(),
        task: toTaskDto(task),
      };
      await appendEvents(
        tx,
        { at: now, traceparent: ensureTraceparent(undefined), source: 'taskstream/notifier' },
        [{ topic: 'reminders', type: 'reminder.due', userId: row.userId, subject: row.taskId, payload }],
      );
      return row;
    });
    if (fired) {
      this.outboxWritten();
      return 'done';
    }
    // Not fired: already fired, cancelled, gone — or not due yet by this host's clock.
    const [row] = await this.db
      .select({ status: reminders.status, fireAt: reminders.fireAt })
      .from(reminders)
      .where(eq(reminders.id, reminderId))
      .limit(1);
    if (row?.status === 'scheduled' && row.fireAt && row.fireAt > now) {
      // Slightly early (clock skew): retry. Far early: the reminder moved and its job was replaced.
      return row.fireAt.getTime() - now.getTime() <= this.earlyWindowMs ? 'retry' : 'done';
    }
    return 'done';
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
      for (const { id } of late) if ((await this.fire(id)) === 'done') fired++;
      if (late.length < 500) return fired;
    }
  }

  /**
   * Arms or disarms the scheduler jobs of one task's reminders from the committed rows. Idempotent and
   * order-insensitive (it reads current state), so at-least-once delivery of task events is enough.
   * `since`: rows cancelled at or after this instant get their job deleted.
   */
  async armTask(taskId: string, since: Date): Promise<void> {
    const rows = await this.db
      .select({ id: reminders.id, status: reminders.status, fireAt: reminders.fireAt })
      .from(reminders)
      .where(
        and(
          eq(reminders.taskId, taskId),
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
    };
  }
}
