import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/infra/clock/clock.ts';
import { reminders, webhookDeliveries } from '../../src/infra/db/schema.ts';
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';
import { type ApiResult, apiAs, waitFor } from './helpers.ts';

/** A real HTTP receiver: records every request; answers with the next scripted status (then 200). */
class Receiver {
  readonly requests: { headers: IncomingHttpHeaders; body: string }[] = [];
  statuses: number[] = [];
  private server: Server | undefined;
  url = '';
  async start() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.statusCode = this.statuses.shift() ?? 200;
        res.end('ok');
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }
  async stop() {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => this.server?.close(() => r()));
  }
}

/** A real SMTP server (smtp-server), plain text on localhost, no auth. */
class MailSink {
  readonly mails: { from: string; to: string[]; raw: string }[] = [];
  private server: SMTPServer | undefined;
  port = 0;
  async start() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          this.mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server.server.address() as AddressInfo).port;
  }
  async stop() {
    await new Promise<void>((r) => this.server?.close(() => r()));
  }
}

const T0 = Date.parse('2027-06-01T08:00:00Z');
const clock = fixedClock(new Date(T0));
const receiver = new Receiver();
const sink = new MailSink();
let t: TestApp;
let u: TestUser;
let api: (method: string, url: string, payload?: unknown) => Promise<ApiResult>;

beforeAll(async () => {
  await receiver.start();
  await sink.start();
  // the webhook receiver listens on loopback, which only WEBHOOK_ALLOW_PRIVATE lets a webhook reach
  t = await createTestApp({
    clock,
    config: { smtpUrl: `smtp://127.0.0.1:${sink.port}`, webhookAllowPrivate: true },
  });
  u = await t.signUp({ timeZone: 'Europe/Paris' });
  api = apiAs(t, u);
});
afterAll(async () => {
  await t.close();
  await receiver.stop();
  await sink.stop();
});

/** Creates a task whose PT1M reminder fires at T0 + 30 s, and fires it. */
async function fireReminder(
  title: string,
): Promise<{ taskId: string; eventDeliveries: () => Promise<(typeof webhookDeliveries.$inferSelect)[]> }> {
  clock.set(new Date(T0));
  const task = await api('POST', '/tasks', {
    title,
    due: { at: new Date(T0 + 90_000).toISOString() },
    reminders: [{ before: 'PT1M' }],
  });
  const [row] = await t.infra.database.db.select().from(reminders).where(eq(reminders.taskId, task.body.id));
  clock.set(new Date(T0 + 30_000));
  expect(await t.app.services.notifier!.reminders.fire(row!.id)).toBe('done');
  const outbound = () =>
    t.infra.database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.userId, u.id));
  await waitFor(async () => {
    const items = (await api('GET', '/notifications')).body.items as { task_id: string }[];
    return items.some((n) => n.task_id === task.body.id);
  }, 'the notification');
  return {
    taskId: task.body.id,
    eventDeliveries: outbound,
  };
}

describe('webhook channel', () => {
  it('POSTs exactly once, signed with HMAC-SHA256 over timestamp + body, the event id as idempotency key', async () => {
    const settings = await api('PUT', '/settings/notifications', {
      webhook_url: receiver.url,
      webhook_enabled: true,
    });
    const secret = settings.body.webhook_secret as string;
    const { taskId } = await fireReminder('Pay rent');
    await t.app.services.notifier!.outbound.runDue();
    await t.app.services.notifier!.outbound.runDue(); // nothing left: no second POST
    const mine = receiver.requests.filter((r) => r.body.includes(taskId));
    expect(mine).toHaveLength(1);
    const [req] = mine;
    const ts = req!.headers['x-taskstream-timestamp'] as string;
    expect(Number(ts)).toBe(Math.floor((T0 + 30_000) / 1000));
    const expected = `v1=${createHmac('sha256', secret).update(`${ts}.${req!.body}`).digest('hex')}`;
    expect(req!.headers['x-taskstream-signature']).toBe(expected);
    const body = JSON.parse(req!.body);
    expect(req!.headers['idempotency-key']).toBe(body.id);
    expect(req!.headers['x-taskstream-event-id']).toBe(body.id);
    expect(body).toMatchObject({
      type: 'reminder.due',
      notification: { title: 'Pay rent', task_id: taskId },
    });
    const n = (await api('GET', '/notifications')).body.items.find(
      (x: { task_id: string }) => x.task_id === taskId,
    );
    expect(n.delivery).toMatchObject({ in_app: 'delivered', webhook: 'delivered' });
  });

  it('retries a failing receiver with backoff and logs every outcome', async () => {
    receiver.statuses = [503, 500];
    const { taskId, eventDeliveries } = await fireReminder('Renew passport');
    const outbound = t.app.services.notifier!.outbound;
    await outbound.runDue();
    let [row] = (await eventDeliveries()).filter((d) => d.status === 'pending');
    expect(row).toMatchObject({ attempts: 1, responseStatus: null, error: 'receiver answered 503' });
    expect(row!.nextAttemptAt?.getTime()).toBe(T0 + 30_000 + 10_000);
    await outbound.runDue(); // not yet due: nothing sent
    expect(receiver.requests.filter((r) => r.body.includes(taskId))).toHaveLength(1);
    clock.set(new Date(T0 + 40_000));
    await outbound.runDue();
    [row] = (await eventDeliveries()).filter((d) => d.id === row!.id);
    expect(row).toMatchObject({ attempts: 2, status: 'pending', error: 'receiver answered 500' });
    clock.set(new Date(T0 + 70_000));
    await outbound.runDue();
    [row] = (await eventDeliveries()).filter((d) => d.id === row!.id);
    expect(row).toMatchObject({ attempts: 3, status: 'delivered', responseStatus: 200, error: null });
    expect(receiver.requests.filter((r) => r.body.includes(taskId))).toHaveLength(3);
    // every attempt carried the same event id: the receiver can drop repeats
    expect(
      new Set(
        receiver.requests.filter((r) => r.body.includes(taskId)).map((r) => r.headers['idempotency-key']),
      ).size,
    ).toBe(1);
  });

  it('gives up at once on a client error that retrying cannot fix', async () => {
    receiver.statuses = [410];
    const { taskId, eventDeliveries } = await fireReminder('Old hook');
    await t.app.services.notifier!.outbound.runDue();
    const row = (await eventDeliveries()).find((d) => d.error === 'receiver answered 410');
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    const n = (await api('GET', '/notifications')).body.items.find(
      (x: { task_id: string }) => x.task_id === taskId,
    );
    expect(n.delivery.webhook).toBe('failed');
    await api('PUT', '/settings/notifications', { webhook_enabled: false });
  });
});

describe('email channel', () => {
  it('sends one email over SMTP to the account address, with the event id as Message-ID', async () => {
    await api('PUT', '/settings/notifications', { email_enabled: true });
    const { taskId } = await fireReminder('Book flights');
    await t.app.services.notifier!.outbound.runDue();
    await t.app.services.notifier!.outbound.runDue();
    const mails = sink.mails.filter((m) => m.raw.includes('Book flights'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual([u.email]);
    expect(mails[0]!.raw).toMatch(/^Subject: Book flights/m);
    const n = (await api('GET', '/notifications')).body.items.find(
      (x: { task_id: string }) => x.task_id === taskId,
    );
    expect(n.delivery.email).toBe('delivered');
    const eventId = (
      await t.infra.database.db
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.notificationId, n.id))
    )[0]!.eventId;
    expect(mails[0]!.raw).toContain(`Message-ID: <${eventId}@taskstream>`);
  });

  it('uses the configured address instead when one is set', async () => {
    await api('PUT', '/settings/notifications', { email: 'me@example.org' });
    await fireReminder('Call mum');
    await t.app.services.notifier!.outbound.runDue();
    expect(sink.mails.filter((m) => m.raw.includes('Call mum')).map((m) => m.to)).toEqual([
      ['me@example.org'],
    ]);
  });
});
