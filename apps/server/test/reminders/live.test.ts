import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/infra/clock/clock.ts';
import { reminders, timers } from '../../src/infra/db/schema.ts';
import type { EmbeddedScheduler } from '../../src/infra/scheduler/embedded.scheduler.ts';
import { StreamClient } from '../events/ws-client.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { apiAs, sleep, waitFor } from './helpers.ts';

/**
 * Must-show (issue 5): a task due in 90 s with a PT1M reminder — the in-app notification reaches the owner's
 * WebSocket within 2 s of the fire time and a webhook receiver gets exactly one signed POST. The clock is
 * injected: the test moves it to the fire time and wakes the scheduler as its armed timer would.
 */
const T0 = Date.parse('2027-09-01T10:00:00Z');
const clock = fixedClock(new Date(T0));
const hooks: { headers: IncomingHttpHeaders; body: string }[] = [];
let receiver: Server;
let hookUrl: string;
let t: TestApp;
let base: string;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hooks.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/taskstream`;
  // the webhook receiver listens on loopback, which only WEBHOOK_ALLOW_PRIVATE lets a webhook reach
  t = await createTestApp({ clock, config: { webhookAllowPrivate: true } });
  const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = url.replace(/^http/, 'ws');
});
afterAll(async () => {
  await t.close();
  receiver.closeAllConnections();
  await new Promise<void>((r) => receiver.close(() => r()));
});

describe('a reminder end to end', () => {
  it('reaches the owner’s WebSocket within 2 s of its fire time, and the webhook exactly once, signed', async () => {
    const owner = await t.signUp({ timeZone: 'Europe/Berlin' });
    const stranger = await t.signUp();
    const api = apiAs(t, owner);
    const { webhook_secret: secret } = (
      await api('PUT', '/settings/notifications', { webhook_url: hookUrl, webhook_enabled: true })
    ).body;
    const mine = await StreamClient.connect(`${base}/api/v1/stream`, { headers: owner.headers });
    const theirs = await StreamClient.connect(`${base}/api/v1/stream`, { headers: stranger.headers });

    const task = (
      await api('POST', '/tasks', {
        title: 'Stand-up',
        due: { at: new Date(T0 + 90_000).toISOString() },
        reminders: [{ before: 'PT1M' }],
      })
    ).body;
    const [row] = await t.infra.database.db.select().from(reminders).where(eq(reminders.taskId, task.id));
    const fireAt = T0 + 30_000;
    expect(row!.fireAt?.getTime()).toBe(fireAt);
    await waitFor(
      async () =>
        (
          await t.infra.database.db
            .select()
            .from(timers)
            .where(eq(timers.name, `reminder-${row!.id}`))
        ).length,
      'the armed job',
    );

    clock.set(new Date(fireAt));
    const firedWall = Date.now();
    void (t.infra.scheduler as EmbeddedScheduler).runDue();
    const isMine = (m: { type: string; data?: Record<string, unknown> }) =>
      m.type === 'notification.created' &&
      (m.data?.notification as { task_id?: string } | undefined)?.task_id === task.id;
    await mine.waitFor((c) => c.events().some(isMine), 2_000, 'notification.created');
    const latency = Date.now() - firedWall;
    expect(latency).toBeLessThan(2_000);
    const pushed = mine.events().find(isMine)!;
    expect(pushed.data).toMatchObject({
      resurfaced: false,
      notification: { title: 'Stand-up', read_at: null },
    });

    await waitFor(() => hooks.length >= 1, 'the webhook', 5_000);
    await sleep(500); // a duplicate would have arrived by now
    expect(hooks).toHaveLength(1);
    const [hook] = hooks;
    const ts = hook!.headers['x-taskstream-timestamp'] as string;
    const signature = `v1=${createHmac('sha256', secret).update(`${ts}.${hook!.body}`).digest('hex')}`;
    expect(hook!.headers['x-taskstream-signature']).toBe(signature);
    expect(JSON.parse(hook!.body)).toMatchObject({
      type: 'reminder.due',
      notification: { task_id: task.id },
    });
    expect(theirs.events('notification.created')).toEqual([]);
    mine.close();
    theirs.close();
  });
});
