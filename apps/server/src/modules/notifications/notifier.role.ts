import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../../infra/clock/clock.ts';
import type { Db } from '../../infra/db/db.ts';
import type { Subscription } from '../../infra/events/event-bus.ts';
import type { JobTrigger, Scheduler, TriggerOutcome } from '../../infra/scheduler/scheduler.ts';
import { RemindersService } from '../reminders/reminders.service.ts';
import { Notifier } from './notifications.service.ts';
import { createSmtpMailer, type Mailer, OutboundDelivery } from './outbound.ts';

export interface NotifierRoleDeps {
  db: Db;
  clock: Clock;
  scheduler: Scheduler;
  outboxWritten: () => void;
  smtpUrl: string | undefined;
  /** WEBHOOK_ALLOW_PRIVATE */
  webhookAllowPrivate: boolean;
  baseUrl: string;
  log?: FastifyBaseLogger;
  /** tests inject a mailer; production builds the SMTP mailer from SMTP_URL */
  mailer?: Mailer;
  sweepGraceMs?: number;
}

export interface NotifierRole {
  reminders: RemindersService;
  notifier: Notifier;
  outbound: OutboundDelivery;
  /** to register on the event bus: `reminder-scheduler` on task-events, `notifier` on reminders */
  subscriptions: Subscription[];
  start(log?: FastifyBaseLogger): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Assembles the `notifier` role (DESIGN §1): arms reminder jobs from task events, fires them (scheduler
 * triggers + the sweep), and delivers `reminder.due` to the user's channels.
 */
export function createNotifierRole(deps: NotifierRoleDeps): NotifierRole {
  const { db, clock, scheduler, outboxWritten, log } = deps;
  const host = new URL(deps.baseUrl).hostname || 'localhost';
  const mailer =
    deps.mailer ??
    (deps.smtpUrl ? createSmtpMailer(deps.smtpUrl, `Taskstream <no-reply@${host}>`) : undefined);
  const outbound = new OutboundDelivery(db, clock, {
    mailer,
    allowPrivateTargets: deps.webhookAllowPrivate,
    ...(log ? { log } : {}),
  });
  const graceOpt = deps.sweepGraceMs !== undefined ? { sweepGraceMs: deps.sweepGraceMs } : {};
  const reminders = new RemindersService(db, clock, scheduler, outboxWritten, graceOpt);
  const notifier = new Notifier(db, clock, scheduler, outboxWritten, outbound, {
    emailAvailable: mailer !== undefined,
    ...graceOpt,
  });

  const handle = async ({ name, data }: JobTrigger): Promise<TriggerOutcome> => {
    if (data.kind === 'reminder' && typeof data.reminder_id === 'string')
      return reminders.fire(data.reminder_id);
    if (
      data.kind === 'snooze' &&
      typeof data.notification_id === 'string' &&
      typeof data.until === 'string'
    ) {
      return notifier.resurface(data.notification_id, new Date(data.until));
    }
    log?.warn({ job: name }, 'unknown job: dropped');
    return 'done';
  };
  scheduler.onTrigger(handle);
  scheduler.onTriggers?.(async (triggers) => {
    const reminderIds = triggers.flatMap((t) =>
      t.data.kind === 'reminder' && typeof t.data.reminder_id === 'string' ? [t.data.reminder_id] : [],
    );
    const fired = await reminders.fireMany(reminderIds);
    const outcomes: TriggerOutcome[] = [];
    for (const t of triggers) {
      if (t.data.kind === 'reminder' && typeof t.data.reminder_id === 'string') {
        outcomes.push(fired.get(t.data.reminder_id) ?? 'done');
      } else {
        outcomes.push(await handle(t));
      }
    }
    return outcomes;
  });
  scheduler.onSweep(async () => {
    await reminders.sweep();
    await notifier.sweepSnoozes();
  });

  return {
    reminders,
    notifier,
    outbound,
    subscriptions: [reminders.schedulingSubscription(), notifier.subscription()],
    async start(appLog?: FastifyBaseLogger) {
      await scheduler.start(appLog ?? log);
      outbound.start();
    },
    async stop() {
      await scheduler.stop();
      await outbound.stop();
    },
  };
}
