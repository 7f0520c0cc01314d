import { createHmac } from 'node:crypto';
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import nodemailer from 'nodemailer';
import type { Clock } from '../../infra/clock/clock.ts';
import type { Db } from '../../infra/db/db.ts';
import { notificationSettings, notifications, webhookDeliveries } from '../../infra/db/schema.ts';
import { notificationsDelivered, notificationsFailed } from '../../infra/telemetry/metrics.ts';
import { type DeliveryState, type NotificationDto, toNotificationDto } from './notifications.presenter.ts';
import { checkWebhookTarget, postWebhookRequest, publicOnlyLookup, type Resolve } from './webhook-target.ts';

/** One outgoing email. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** `<event-id@taskstream>`: lets a mail system (or a person) spot a duplicate of a retried send */
  messageId: string;
  headers: Record<string, string>;
}

/** Sends email; the SMTP implementation is `createSmtpMailer`. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** SMTP through nodemailer; `smtpUrl` is SMTP_URL (`smtp://user:pass@host:port` or `smtps://…`). */
export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(m) {
      await transport.sendMail({
        from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        messageId: m.messageId,
        headers: m.headers,
      });
    },
    close() {
      transport.close();
    },
  };
}

/** Body of a webhook POST (and the source of the email text). */
export interface WebhookBody {
  id: string;
  type: 'reminder.due';
  created_at: string;
  notification: NotificationDto;
}

/**
 * `X-Taskstream-Signature` value: `v1=` + hex HMAC-SHA256 over `<timestamp>.<raw body>` with the user's
 * webhook secret. Signing the timestamp with the body lets a receiver reject replays of old deliveries.
 */
export function signWebhook(secret: string, timestamp: number, rawBody: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

/** Seconds before attempt 2, 3, …; after the last the delivery is `failed`. */
const backoffSeconds = [10, 30, 120, 600, 1800, 3600];
const maxAttempts = backoffSeconds.length + 1;
/** A claimed delivery is hidden from other workers this long; a worker that died mid-send is retried after. */
const leaseMs = 60_000;

export interface OutboundOptions {
  mailer?: Mailer | undefined;
  log?: FastifyBaseLogger;
  /** WEBHOOK_ALLOW_PRIVATE: deliver to loopback and private addresses too */
  allowPrivateTargets?: boolean;
  /** host name → addresses (tests); the system resolver by default */
  resolve?: Resolve;
  /** per-attempt HTTP timeout */
  timeoutMs?: number;
  /** how often pending deliveries are looked at when nothing kicks the worker */
  pollMs?: number;
}

class PermanentDeliveryError extends Error {}

/**
 * Delivers the outgoing channels of notifications: webhooks (HTTP POST, signed) and email (SMTP). The
 * `webhook_deliveries` table is the durable queue and the delivery log for both — an email is a row whose
 * url is `mailto:<address>` — with one row per (event, destination), so the event id is the idempotency key
 * end to end. Attempts are leased (claimed with `FOR UPDATE SKIP LOCKED`) so replicas never send the same
 * attempt twice, and retried with backoff.
 */
export class OutboundDelivery {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private again = false;
  private started = false;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly opts: OutboundOptions = {},
  ) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    this.timer = setInterval(() => void this.runDue(), this.opts.pollMs ?? 5000);
    this.timer.unref();
    void this.runDue();
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    this.opts.mailer?.close();
  }

  /** New deliveries were committed: send now rather than at the next poll. */
  kick(): void {
    if (this.started) void this.runDue();
  }

  /** Sends every delivery that is due; returns how many attempts were made. Overlapping calls coalesce. */
  runDue(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let total = 0;
      do {
        this.again = false;
        for (;;) {
          const n = await this.runBatch();
          total += n;
          if (n === 0) break;
        }
      } while (this.again);
      return total;
    })()
      .catch((err: unknown) => {
        this.opts.log?.error({ err }, 'outbound delivery failed');
        return 0;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private async runBatch(): Promise<number> {
    const now = this.clock.now();
    const claimed = await this.db.transaction(async (tx) => {
      const rows = await tx
        .select()
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.status, 'pending'), lte(webhookDeliveries.nextAttemptAt, now)))
        .orderBy(asc(webhookDeliveries.nextAttemptAt))
        .limit(20)
        .for('update', { skipLocked: true });
      if (rows.length > 0) {
        await tx
          .update(webhookDeliveries)
          .set({
            attempts: sql`${webhookDeliveries.attempts} + 1`,
            nextAttemptAt: new Date(now.getTime() + leaseMs),
          })
          .where(
            inArray(
              webhookDeliveries.id,
              rows.map((r) => r.id),
            ),
          );
      }
      return rows;
    });
    for (const row of claimed) await this.attempt(row, row.attempts + 1);
    return claimed.length;
  }

  private async attempt(row: typeof webhookDeliveries.$inferSelect, attempt: number): Promise<void> {
    const channel = row.url.startsWith('mailto:') ? 'email' : 'webhook';
    let responseStatus: number | null = null;
    let error: string | null = null;
    let permanent = false;
    try {
      const [notification] = row.notificationId
        ? await this.db.select().from(notifications).where(eq(notifications.id, row.notificationId)).limit(1)
        : [];
      if (!notification) throw new PermanentDeliveryError('the notification no longer exists');
      const body: WebhookBody = {
        id: row.eventId,
        type: 'reminder.due',
        created_at: notification.createdAt.toISOString(),
        notification: toNotificationDto(notification),
      };
      if (channel === 'email') await this.sendEmail(row.url.slice('mailto:'.length), row.eventId, body);
      else responseStatus = await this.postWebhook(row.userId, row.url, row.eventId, body);
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
      permanent = err instanceof PermanentDeliveryError;
    }
    const now = this.clock.now();
    let state: DeliveryState;
    if (error === null) {
      state = 'delivered';
      notificationsDelivered.inc({ channel });
      await this.db
        .update(webhookDeliveries)
        .set({ status: 'delivered', responseStatus, error: null, deliveredAt: now, nextAttemptAt: null })
        .where(eq(webhookDeliveries.id, row.id));
    } else if (permanent || attempt >= maxAttempts) {
      state = 'failed';
      notificationsFailed.inc({ channel });
      this.opts.log?.warn({ delivery: row.id, channel, error }, 'notification delivery failed for good');
      await this.db
        .update(webhookDeliveries)
        .set({ status: 'failed', responseStatus, error, nextAttemptAt: null })
        .where(eq(webhookDeliveries.id, row.id));
    } else {
      state = 'pending';
      const delay = (backoffSeconds[attempt - 1] ?? 3600) * 1000;
      await this.db
        .update(webhookDeliveries)
        .set({ responseStatus, error, nextAttemptAt: new Date(now.getTime() + delay) })
        .where(eq(webhookDeliveries.id, row.id));
    }
    if (row.notificationId) {
      await this.db
        .update(notifications)
        .set({
          delivery: sql`jsonb_set(${notifications.delivery}, array[${channel}]::text[], to_jsonb(${state}::text))`,
        })
        .where(eq(notifications.id, row.notificationId));
    }
  }

  private async postWebhook(
    userId: string,
    url: string,
    eventId: string,
    body: WebhookBody,
  ): Promise<number> {
    const [settings] = await this.db
      .select({ secret: notificationSettings.webhookSecret })
      .from(notificationSettings)
      .where(eq(notificationSettings.userId, userId))
      .limit(1);
    if (!settings?.secret) throw new PermanentDeliveryError('no webhook secret configured');
    // Checked again at every attempt (the name may resolve elsewhere now than when the URL was saved), and
    // the connection itself only goes to a checked address. Redirects are never followed.
    const allowPrivate = this.opts.allowPrivateTargets ?? false;
    const target = await checkWebhookTarget(url, {
      allowPrivate,
      ...(this.opts.resolve ? { resolve: this.opts.resolve } : {}),
    });
    if (!target.ok) {
      const message = `webhook URL refused: ${target.reason}`;
      throw target.retryable ? new Error(message) : new PermanentDeliveryError(message);
    }
    const raw = JSON.stringify(body);
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    const status = await postWebhookRequest(
      url,
      {
        'content-type': 'application/json',
        'user-agent': 'Taskstream-Webhook/1',
        'x-taskstream-event-id': eventId,
        'idempotency-key': eventId,
        'x-taskstream-timestamp': String(timestamp),
        'x-taskstream-signature': signWebhook(settings.secret, timestamp, raw),
      },
      raw,
      {
        timeoutMs: this.opts.timeoutMs ?? 10_000,
        ...(allowPrivate ? {} : { lookup: publicOnlyLookup(this.opts.resolve) }),
      },
    );
    if (status >= 200 && status < 300) return status;
    // Timeouts, rate limits and server errors may pass; other client errors will not.
    const retryable = status >= 500 || status === 408 || status === 425 || status === 429;
    const message = `receiver answered ${status}`;
    throw retryable ? new Error(message) : new PermanentDeliveryError(message);
  }

  private async sendEmail(to: string, eventId: string, body: WebhookBody): Promise<void> {
    if (!this.opts.mailer) throw new PermanentDeliveryError('email is not configured (SMTP_URL)');
    const n = body.notification;
    await this.opts.mailer.send({
      to,
      subject: n.title,
      text: `${n.title}\n\n${n.body}\n`,
      messageId: `<${eventId}@taskstream>`,
      headers: { 'X-Taskstream-Event-Id': eventId },
    });
  }
}
