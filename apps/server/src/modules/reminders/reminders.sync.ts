import { eq, type SQL, sql } from 'drizzle-orm';
import type { Executor, Tx } from '../../infra/db/db.ts';
import { notificationSettings, reminders } from '../../infra/db/schema.ts';
import type { TaskRow } from '../tasks/tasks.presenter.ts';
import type { TaskWriteHook } from '../tasks/tasks.service.ts';
import {
  asReminderSpec,
  asReminderSpecs,
  type ReminderSpec,
  reminderFireAt,
  specKey,
} from './reminder-time.ts';

type ReminderRow = typeof reminders.$inferSelect;
type Status = ReminderRow['status'];

/** Task fields a reminder's fire time or status depends on. */
function reminderInputsChanged(before: TaskRow, after: TaskRow): boolean {
  const time = (d: Date | null) => d?.getTime() ?? null;
  return (
    time(before.dueAt) !== time(after.dueAt) ||
    before.dueTz !== after.dueTz ||
    before.dueAllDay !== after.dueAllDay ||
    before.status !== after.status ||
    time(before.deletedAt) !== time(after.deletedAt) ||
    JSON.stringify(before.reminderSpecs) !== JSON.stringify(after.reminderSpecs)
  );
}

/**
 * Keeps a task's `reminders` rows in step with the task, inside the task write's transaction (issue 5
 * item 4). One row per spec, matched by spec, so a reminder keeps its id (and its scheduler job name)
 * while its time moves:
 * - open task: fire_at is (re)computed from the due date and zone; a time still ahead is `scheduled`;
 *   a time already past is not fired retroactively (`cancelled`), except a row already `scheduled` for
 *   exactly that time, which is due right now and left for its trigger (an unrelated edit at fire time
 *   must not swallow it); a row `fired` for exactly that time stays fired (no second reminder);
 * - completed or trashed task: `scheduled` rows become `cancelled`, keeping fire_at, so reopening or
 *   restoring brings back those still ahead;
 * - a spec removed from the task: its row is `cancelled`.
 * The scheduler is armed afterwards, from the committed rows (see ReminderScheduling).
 */
export async function syncTaskReminders(
  tx: Executor,
  task: TaskRow,
  now: Date,
  opts: { isNew?: boolean } = {},
): Promise<void> {
  // a task created in this transaction has no reminder rows yet: skip the lookup on the create path
  const rows = opts.isNew ? [] : await tx.select().from(reminders).where(eq(reminders.taskId, task.id));
  const active = task.status === 'open' && task.deletedAt === null;
  const due = task.dueAt ? { at: task.dueAt, tz: task.dueTz ?? 'UTC', allDay: task.dueAllDay } : null;
  const free = new Map<string, ReminderRow[]>();
  for (const row of rows) {
    const spec = asReminderSpec(row.spec);
    const key = spec ? specKey(spec) : `invalid:${row.id}`;
    free.set(key, [...(free.get(key) ?? []), row]);
  }
  const inserts: (typeof reminders.$inferInsert)[] = [];
  for (const spec of asReminderSpecs(task.reminderSpecs)) {
    const fireAt = reminderFireAt(spec, due);
    const row = free.get(specKey(spec))?.shift();
    const status = desiredStatus(row, fireAt, active, now);
    if (!row) {
      inserts.push({
        taskId: task.id,
        userId: task.userId,
        spec,
        fireAt,
        status,
        createdAt: now,
        updatedAt: now,
      });
      continue;
    }
    const sameTime = (row.fireAt?.getTime() ?? null) === (fireAt?.getTime() ?? null);
    if (row.status !== status || !sameTime) {
      await tx
        .update(reminders)
        .set({ status, fireAt, firedAt: status === 'fired' ? row.firedAt : null, updatedAt: now })
        .where(eq(reminders.id, row.id));
    }
  }
  for (const row of [...free.values()].flat()) {
    if (row.status === 'scheduled') {
      await tx.update(reminders).set({ status: 'cancelled', updatedAt: now }).where(eq(reminders.id, row.id));
    }
  }
  if (inserts.length > 0) await tx.insert(reminders).values(inserts);
}

function desiredStatus(
  row: ReminderRow | undefined,
  fireAt: Date | null,
  active: boolean,
  now: Date,
): Status {
  const sameTime = row?.fireAt != null && fireAt !== null && row.fireAt.getTime() === fireAt.getTime();
  if (row?.status === 'fired' && sameTime) return 'fired';
  if (!active || fireAt === null) return 'cancelled';
  if (fireAt > now) return 'scheduled';
  return row?.status === 'scheduled' && sameTime ? 'scheduled' : 'cancelled';
}

/** The write hook that keeps reminders in step with every task write. */
export const reminderWriteHook: TaskWriteHook = async (tx: Tx, { type, before, after, at }) => {
  if (type === 'task.updated' && before && !reminderInputsChanged(before, after)) return;
  await syncTaskReminders(tx, after, at, { isNew: type === 'task.created' });
};

/**
 * The user's default reminder for a new task that did not say which reminders it wants (issue 5 item 4):
 * `default_reminder_minutes` before a timed task; all-day tasks and tasks without a due date get none.
 * For a timed task it is the value of the task's insert: the insert reads the setting itself, current as of
 * that statement, so the create needs no lookup of its own (one round trip less).
 */
export function defaultReminderSpecs(
  userId: string,
  due: { dueAt: Date | null; dueAllDay: boolean },
): ReminderSpec[] | SQL<ReminderSpec[]> {
  if (!due.dueAt || due.dueAllDay) return [];
  const minutes = notificationSettings.defaultReminderMinutes;
  return sql<ReminderSpec[]>`coalesce(
    (select jsonb_build_array(jsonb_build_object('before', 'PT' || ${minutes}::text || 'M'))
     from ${notificationSettings}
     where ${notificationSettings.userId} = ${userId} and ${minutes} is not null),
    '[]'::jsonb)`;
}
