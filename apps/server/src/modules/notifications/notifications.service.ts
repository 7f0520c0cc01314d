import { randomBytes } from 'node:crypto';
import { assertTimeZone, DomainError } from '@taskstream/core';
import { and, desc, eq, gt, inArray, isNull, lt, lte, or, type SQL } from 'drizzle-orm';
import type { Clock } from '../../infra/clock/clock.ts';
import type { Db, Executor, Tx } from '../../infra/db/db.ts';
import { notificationSettings, notifications, users, webhookDeliveries } from '../../infra/db/schema.ts';
import { type CloudEvent, ensureTraceparent, type NewEvent } from '../../infra/events/cloud-event.ts';
import { PermanentEventError, type Subscription } from '../../infra/events/event-bus.ts';
import { consumeOnceBatch } from '../../infra/events/inbox.ts';
import { appendEvents } from '../../infra/events/outbox.ts';
import type { Scheduler, TriggerOutcome } from '../../infra/scheduler/scheduler.ts';
import { notificationsDelivered } from '../../infra/telemetry/metrics.ts';
import type { ReminderDuePayload } from '../reminders/reminders.service.ts';
import type { TaskDto } from '../tasks/tasks.presenter.ts';
import type { WriteContext } from '../tasks/tasks.service.ts';
import {
  type DeliveryState,
  type NotificationDto,
  type NotificationSettingsDto,
  toNotificationDto,
  toSettingsDto,
} from './notifications.presenter.ts';
import type { OutboundDelivery } from './outbound.ts';
import { checkWebhookTarget } from './webhook-target.ts';

/** `notification.created` on `task-updates`: what the realtime gateway pushes to the owner's sockets. */
export interface NotificationCreatedPayload {
  notification: NotificationDto;
  /** true when a snoozed notification comes back, rather than a new one */
  resurfaced: boolean;
}

/** `notification.snoozed` on `reminders`: the notifier arms the wake-up job. */
export interface NotificationSnoozedPayload {
  notification_id: string;
  snoozed_until: string;
}

export const snoozeJobPrefix = 'snooze-';

export type SettingsUpdate = Partial<NotificationSettingsDto>;

/** The user-facing side (api role): list, read, snooze; notification and time-zone settings. */
export class NotificationsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly outboxWritten: () => void,
    private readonly opts: { webhookAllowPrivate: boolean } = { webhookAllowPrivate: false },
  ) {}

  async list(
    userId: string,
    query: { unread?: boolean; include_snoozed?: boolean; limit: number },
  ): Promise<{ items: NotificationDto[] }> {
    const where: SQL[] = [eq(notifications.userId, userId)];
    if (query.unread) where.push(isNull(notifications.readAt));
    if (!query.include_snoozed) {
      where.push(or(isNull(notifications.snoozedUntil), lte(notifications.snoozedUntil, this.clock.now()))!);
    }
    const rows = await this.db
      .select()
      .from(notifications)
      .where(and(...where))
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(query.limit);
    return { items: rows.map(toNotificationDto) };
  }

  async markRead(userId: string, id: string): Promise<NotificationDto> {
    const now = this.clock.now();
    // read_at keeps the first read time: marking twice is harmless
    const [row] = await this.db
      .update(notifications)
      .set({ readAt: now })
      .where(and(eq(notifications.id, id), eq(notifications.userId, userId), isNull(notifications.readAt)))
      .returning();
    if (row) return toNotificationDto(row);
    return toNotificationDto(await this.owned(this.db, userId, id));
  }

  /** Hides the notification for `minutes`; it comes back (unread, pushed again) when the time is up. */
  async snooze(ctx: WriteContext, id: string, minutes: number): Promise<NotificationDto> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + minutes * 60_000);
    const row = await this.db.transaction(async (tx) => {
      const [updated] = await tx
        .update(notifications)
        .set({ snoozedUntil: until })
        .where(and(eq(notifications.id, id), eq(notifications.userId, ctx.user.id)))
        .returning();
      if (!updated) throw new DomainError('NOTIFICATION_NOT_FOUND');
      const payload: NotificationSnoozedPayload = { notification_id: id, snoozed_until: until.toISOString() };
      // The wake-up job is armed by the notifier role, through its own scheduler (Dapr delivers a job only
      // to the app that scheduled it), so the request only records the snooze and tells the notifier.
      await appendEvents(tx, { at: now, traceparent: ctx.traceparent, source: 'taskstream/api' }, [
        { topic: 'reminders', type: 'notification.snoozed', userId: ctx.user.id, subject: id, payload },
      ]);
      return updated;
    });
    this.outboxWritten();
    return toNotificationDto(row);
  }

  async getSettings(userId: string): Promise<NotificationSettingsDto> {
    const [row] = await this.db
      .select()
      .from(notificationSettings)
      .where(eq(notificationSettings.userId, userId))
      .limit(1);
    return toSettingsDto(row);
  }

  async putSettings(userId: string, update: SettingsUpdate): Promise<NotificationSettingsDto> {
    const given = Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined));
    if (update.webhook_url) {
      // an unresolvable name is let through here and checked again at every delivery
      const target = await checkWebhookTarget(update.webhook_url, {
        allowPrivate: this.opts.webhookAllowPrivate,
      });
      if (!target.ok && !target.retryable) {
        throw new DomainError('VALIDATION_FAILED', 'The webhook URL is not allowed', [
          { path: 'body.webhook_url', message: target.reason },
        ]);
      }
    }
    const merged: NotificationSettingsDto = { ...(await this.getSettings(userId)), ...given };
    if (merged.webhook_url && !merged.webhook_secret)
      merged.webhook_secret = `whsec_${randomBytes(24).toString('base64url')}`;
    if (merged.webhook_enabled && !merged.webhook_url) {
      throw new DomainError('VALIDATION_FAILED', 'A webhook needs a URL', [
        { path: 'body.webhook_url', message: 'required when webhook_enabled is true' },
      ]);
    }
    const values = {
      inApp: merged.in_app,
      browser: merged.browser,
      email: merged.email,
      emailEnabled: merged.email_enabled,
      webhookUrl: merged.webhook_url,
      webhookSecret: merged.webhook_secret,
      webhookEnabled: merged.webhook_enabled,
      defaultReminderMinutes: merged.default_reminder_minutes,
      updatedAt: this.clock.now(),
    };
    await this.db
      .insert(notificationSettings)
      .values({ userId, ...values })
      .onConflictDoUpdate({ target: notificationSettings.userId, set: values });
    return merged;
  }

  async getTimeZone(userId: string): Promise<string> {
    const [row] = await this.db
      .select({ tz: users.timeZone })
      .from(users)
      .where(eq(users.id, userId))
      .limit(1);
    return row?.tz ?? 'UTC';
  }

  async setTimeZone(userId: string, tz: string): Promise<string> {
    const zone = assertTimeZone(tz, 'body.time_zone');
    await this.db
      .update(users)
      .set({ timeZone: zone, updatedAt: this.clock.now() })
      .where(eq(users.id, userId));
    return zone;
  }

  private async owned(db: Executor, userId: string, id: string) {
    const [row] = await db
      .select()
      .from(notifications)
      .where(and(eq(notifications.id, id), eq(notifications.userId, userId)))
      .limit(1);
    if (!row) throw new DomainError('NOTIFICATION_NOT_FOUND');
    return row;
  }
}

function isReminderDuePayload(p: unknown): p is ReminderDuePayload {
  if (typeof p !== 'object' || p === null) return false;
  const v = p as Record<string, unknown>;
  return typeof v.reminder_id === 'string' && typeof v.task_id === 'string' && typeof v.task === 'object';
}

function dueText(task: TaskDto): string {
  if (!task.due) return '';
  return task.due.all_day
    ? `Due ${task.due.local}`
    : `Due ${task.due.local.replace('T', ' ').slice(0, 16)} (${task.due.tz})`;
}

/**
 * The notifier role's delivery side (issue 5 item 6): consumes `reminders` as consumer `notifier`.
 * `reminder.due` → one stored notification per event (inbox + unique dedupe key), pushed live as
 * `notification.created` on `task-updates`, and queued for the webhook and email channels in the same
 * transaction; `notification.snoozed` → arms the wake-up job.
 */
export class Notifier {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
    private readonly outboxWritten: () => void,
    private readonly outbound: OutboundDelivery,
    private readonly opts: { emailAvailable: boolean; sweepGraceMs?: number },
  ) {}

  subscription(): Subscription {
    return {
      consumer: 'notifier',
      topic: 'reminders',
      handle: async (event: CloudEvent) => {
        if (event.type === 'reminder.due') {
          await this.recordDue([event]);
        } else if (event.type === 'notification.snoozed') {
          await this.armSnooze(event);
        }
      },
      // A busy second's reminders in one transaction: one inbox claim, one account lookup, one insert each
      // for notifications and deliveries, one outbox append. Snoozes only arm jobs from current state, so
      // handling them after the batch's reminders changes nothing.
      handleBatch: async (events: readonly CloudEvent[]) => {
        await this.recordDue(events.filter((e) => e.type === 'reminder.due'));
        for (const event of events) if (event.type === 'notification.snoozed') await this.armSnooze(event);
      },
    };
  }

  /** `reminder.due` events → notifications, exactly once each (inbox), then live push and outbound kick. */
  private async recordDue(events: readonly CloudEvent[]): Promise<void> {
    if (events.length === 0) return;
    let outgoing = false;
    const fresh = await consumeOnceBatch(this.db, 'notifier', events, async (tx, todo) => {
      outgoing = await this.record(tx, todo);
    });
    if (fresh.length > 0) this.outboxWritten();
    if (outgoing) this.outbound.kick();
  }

  /** Stores the events' notifications; true when webhook or email deliveries were queued. */
  private async record(tx: Tx, events: readonly CloudEvent[]): Promise<boolean> {
    const due = events.map((event) => {
      const payload = event.data?.payload;
      if (!isReminderDuePayload(payload))
        throw new PermanentEventError('reminder.due without a usable payload');
      return { event, payload, userId: event.data.user_id };
    });
    const now = this.clock.now();
    // one round trip for the accounts and their (optional) settings rows
    const found = await tx
      .select({ id: users.id, email: users.email, settings: notificationSettings })
      .from(users)
      .leftJoin(notificationSettings, eq(notificationSettings.userId, users.id))
      .where(inArray(users.id, [...new Set(due.map((d) => d.userId))]));
    const accounts = new Map(found.map((f) => [f.id, f]));
    const plans = due.flatMap((d) => {
      const account = accounts.get(d.userId);
      if (!account) return []; // the account is gone
      const settings = toSettingsDto(account.settings ?? undefined);
      const webhookOn = settings.webhook_enabled && settings.webhook_url !== null;
      const emailOn = settings.email_enabled && this.opts.emailAvailable;
      const delivery: Record<string, DeliveryState> = {
        in_app: settings.in_app ? 'delivered' : 'off',
        webhook: webhookOn ? 'pending' : 'off',
        email: emailOn ? 'pending' : 'off',
      };
      return [{ ...d, settings, webhookOn, emailOn, emailTo: settings.email ?? account.email, delivery }];
    });
    if (plans.length === 0) return false;
    const inserted = await tx
      .insert(notifications)
      .values(
        plans.map(({ event, payload, userId, delivery }) => ({
          userId,
          taskId: payload.task_id,
          reminderId: payload.reminder_id,
          kind: 'reminder' as const,
          title: payload.task.title,
          body: dueText(payload.task),
          data: {
            task: payload.task,
            fire_at: payload.fire_at,
            fired_at: payload.fired_at,
            spec: payload.spec,
          },
          dedupeKey: `reminder.due:${event.id}`,
          delivery,
          createdAt: now,
        })),
      )
      .onConflictDoNothing({ target: notifications.dedupeKey })
      .returning();
    const byKey = new Map(inserted.map((row) => [row.dedupeKey, row]));
    const outgoing: (typeof webhookDeliveries.$inferInsert)[] = [];
    const pushes: NewEvent<NotificationCreatedPayload>[] = [];
    for (const plan of plans) {
      const row = byKey.get(`reminder.due:${plan.event.id}`);
      if (!row) continue;
      if (plan.webhookOn && plan.settings.webhook_url)
        outgoing.push({
          userId: plan.userId,
          notificationId: row.id,
          eventId: plan.event.id,
          url: plan.settings.webhook_url,
          nextAttemptAt: now,
        });
      if (plan.emailOn)
        outgoing.push({
          userId: plan.userId,
          notificationId: row.id,
          eventId: plan.event.id,
          url: `mailto:${plan.emailTo}`,
          nextAttemptAt: now,
        });
      if (plan.settings.in_app)
        pushes.push({
          topic: 'task-updates',
          type: 'notification.created',
          userId: plan.userId,
          subject: plan.payload.task_id,
          payload: { notification: toNotificationDto(row), resurfaced: false },
          traceparent: ensureTraceparent(plan.event.traceparent),
        });
    }
    if (outgoing.length > 0) await tx.insert(webhookDeliveries).values(outgoing).onConflictDoNothing();
    // one append for the batch; each push keeps the trace of the reminder that caused it
    const ctx = { at: now, traceparent: ensureTraceparent(undefined), source: 'taskstream/notifier' };
    await appendEvents(tx, ctx, pushes);
    // in-app delivery is the stored notification and its live push
    if (pushes.length > 0) notificationsDelivered.inc({ channel: 'in_app' }, pushes.length);
    return outgoing.length > 0;
  }

  private async armSnooze(event: CloudEvent): Promise<void> {
    const p = event.data?.payload as Partial<NotificationSnoozedPayload> | undefined;
    if (typeof p?.notification_id !== 'string' || typeof p.snoozed_until !== 'string') {
      throw new PermanentEventError('notification.snoozed without a usable payload');
    }
    const [row] = await this.db
      .select({ until: notifications.snoozedUntil })
      .from(notifications)
      .where(eq(notifications.id, p.notification_id))
      .limit(1);
    // A later snooze (or a wake-up that already happened) supersedes this event: arm only the current one.
    if (!row?.until || row.until.toISOString() !== p.snoozed_until) return;
    await this.scheduler.schedule(`${snoozeJobPrefix}${p.notification_id}`, row.until, {
      kind: 'snooze',
      notification_id: p.notification_id,
      until: p.snoozed_until,
    });
  }

  /** Wake-up of a snoozed notification: guarded so that it comes back exactly once. */
  async resurface(notificationId: string, until: Date): Promise<TriggerOutcome> {
    const now = this.clock.now();
    if (until > now) return until.getTime() - now.getTime() <= 120_000 ? 'retry' : 'done';
    const row = await this.db.transaction(async (tx) => {
      const [updated] = await tx
        .update(notifications)
        .set({ snoozedUntil: null, readAt: null })
        .where(and(eq(notifications.id, notificationId), eq(notifications.snoozedUntil, until)))
        .returning();
      if (!updated) return null;
      const pushed: NotificationCreatedPayload = {
        notification: toNotificationDto(updated),
        resurfaced: true,
      };
      await appendEvents(
        tx,
        { at: now, traceparent: ensureTraceparent(undefined), source: 'taskstream/notifier' },
        [
          {
            topic: 'task-updates',
            type: 'notification.created',
            userId: updated.userId,
            subject: updated.taskId ?? undefined,
            payload: pushed,
          },
        ],
      );
      return updated;
    });
    if (row) this.outboxWritten();
    return 'done';
  }

  /** Safety net for snoozes whose wake-up job was lost. */
  async sweepSnoozes(): Promise<void> {
    const cutoff = new Date(this.clock.now().getTime() - (this.opts.sweepGraceMs ?? 30_000));
    const late = await this.db
      .select({ id: notifications.id, until: notifications.snoozedUntil })
      .from(notifications)
      .where(and(lt(notifications.snoozedUntil, cutoff), gt(notifications.snoozedUntil, new Date(0))))
      .limit(500);
    for (const n of late) if (n.until) await this.resurface(n.id, n.until);
  }
}
