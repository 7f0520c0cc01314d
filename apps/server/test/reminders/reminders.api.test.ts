import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/infra/clock/clock.ts';
import { outbox, reminders, timers } from '../../src/infra/db/schema.ts';
import type { EmbeddedScheduler } from '../../src/infra/scheduler/embedded.scheduler.ts';
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';
import { type ApiResult, apiAs, lastEvent, waitFor } from './helpers.ts';

const T0 = Date.parse('2027-03-10T12:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms);
const clock = fixedClock(at(0));
let t: TestApp;
let u: TestUser;
let api: (method: string, url: string, payload?: unknown) => Promise<ApiResult>;
let scheduler: EmbeddedScheduler;

beforeAll(async () => {
  t = await createTestApp({ clock });
  u = await t.signUp({ timeZone: 'Europe/Paris' });
  api = apiAs(t, u);
  scheduler = t.infra.scheduler as EmbeddedScheduler;
});
afterAll(() => t.close());

const db = () => t.infra.database.db;
const rowsOf = (taskId: string) => db().select().from(reminders).where(eq(reminders.taskId, taskId));
const timerOf = async (reminderId: string) =>
  (
    await db()
      .select()
      .from(timers)
      .where(eq(timers.name, `reminder-${reminderId}`))
  )[0];
const notificationsFor = async (taskId: string) =>
  (await api('GET', '/notifications?include_snoozed=true&limit=200')).body.items.filter(
    (n: { task_id: string }) => n.task_id === taskId,
  );

async function createTask(body: Record<string, unknown>) {
  const res = await api('POST', '/tasks', { title: 'Call the dentist', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; reminders: unknown[] };
}

/** The single reminder row of a task, once its job is armed for `fireAt`. */
async function armed(taskId: string, fireAt: Date) {
  const [row] = await rowsOf(taskId);
  expect(row?.fireAt?.toISOString()).toBe(fireAt.toISOString());
  await waitFor(
    async () => (await timerOf(row!.id))?.fireAt.getTime() === fireAt.getTime(),
    'the job to be armed',
  );
  return row!;
}

describe('reminders fire once, at their time', () => {
  it('arms a PT1M reminder of a task due in 90 s and fires it at due − 1 min, not a millisecond before', async () => {
    clock.set(at(0));
    const task = await createTask({ due: { at: at(90_000).toISOString() }, reminders: [{ before: 'PT1M' }] });
    expect(task.reminders).toEqual([{ before: 'PT1M' }]);
    const row = await armed(task.id, at(30_000));

    clock.set(at(29_999));
    await scheduler.runDue();
    expect((await rowsOf(task.id))[0]!.status).toBe('scheduled');

    clock.set(at(30_000));
    await scheduler.runDue();
    const [fired] = await rowsOf(task.id);
    expect(fired).toMatchObject({ status: 'fired', firedAt: at(30_000) });
    expect(await timerOf(row.id)).toBeUndefined();
    const [n] = await waitFor(async () => {
      const items = await notificationsFor(task.id);
      return items.length === 1 ? items : null;
    }, 'the notification');
    expect(n).toMatchObject({
      kind: 'reminder',
      title: 'Call the dentist',
      reminder_id: row.id,
      read_at: null,
      delivery: { in_app: 'delivered', webhook: 'off', email: 'off' },
    });
  });

  it('a duplicate trigger, a racing sweep and redelivered events still make one notification', async () => {
    clock.set(at(0));
    const task = await createTask({
      due: { at: at(120_000).toISOString() },
      reminders: [{ before: 'PT1M' }],
    });
    const row = await armed(task.id, at(60_000));
    clock.set(at(200_000));
    const { reminders: service, notifier } = t.app.services.notifier!;
    const outcomes = await Promise.all([
      service.fire(row.id),
      service.fire(row.id),
      service.sweep(),
      scheduler.runDue(),
    ]);
    expect(outcomes.slice(0, 2)).toEqual(['done', 'done']);
    const due = await waitFor(() => lastEvent(t, 'reminder.due', task.id), 'reminder.due');
    const dueEvents = await db().select().from(outbox).where(eq(outbox.topic, 'reminders'));
    expect(
      dueEvents.filter(
        (e) =>
          (e.event as { subject?: string }).subject === task.id &&
          (e.event as { type: string }).type === 'reminder.due',
      ),
    ).toHaveLength(1);
    const handle = notifier.subscription().handle;
    const log = t.app.log;
    await Promise.all([handle(due, { log }), handle(due, { log }), handle(due, { log })]);
    await waitFor(async () => (await notificationsFor(task.id)).length === 1, 'the notification');
    expect(await notificationsFor(task.id)).toHaveLength(1);
  });
});

describe('reminders follow the task', () => {
  it('moves with the due date, cancels on complete and delete, comes back on reopen and restore', async () => {
    clock.set(at(0));
    const due = at(24 * 3600_000);
    const task = await createTask({ due: { at: due.toISOString() }, reminders: [{ before: 'PT1H' }] });
    const row = await armed(task.id, at(23 * 3600_000));

    const moved = await api('PATCH', `/tasks/${task.id}`, { due: { at: at(48 * 3600_000).toISOString() } });
    expect(moved.status).toBe(200);
    const again = await armed(task.id, at(47 * 3600_000));
    expect(again.id).toBe(row.id);

    await api('POST', `/tasks/${task.id}/complete`);
    expect((await rowsOf(task.id))[0]!.status).toBe('cancelled');
    await waitFor(async () => (await timerOf(row.id)) === undefined, 'the job to be deleted');

    await api('POST', `/tasks/${task.id}/reopen`);
    expect((await rowsOf(task.id))[0]!.status).toBe('scheduled');
    await armed(task.id, at(47 * 3600_000));

    await api('DELETE', `/tasks/${task.id}`);
    expect((await rowsOf(task.id))[0]!.status).toBe('cancelled');
    await api('POST', `/tasks/${task.id}/restore`);
    expect((await rowsOf(task.id))[0]!.status).toBe('scheduled');

    // completed, then reopened after the reminder time: it is not fired late
    await api('POST', `/tasks/${task.id}/complete`);
    clock.set(at(47.5 * 3600_000));
    await api('POST', `/tasks/${task.id}/reopen`);
    expect((await rowsOf(task.id))[0]!.status).toBe('cancelled');

    clock.set(at(0));
    await api('PATCH', `/tasks/${task.id}`, { reminders: [] });
    expect((await rowsOf(task.id)).every((r) => r.status === 'cancelled')).toBe(true);
  });

  it('an all-day task counts relative reminders back from 09:00 in its zone', async () => {
    clock.set(at(0));
    // 2027-03-20 in Paris is still CET (+01:00): 09:00 local = 08:00Z
    const task = await createTask({
      due: { at: '2027-03-20' },
      reminders: [{ before: 'PT1H' }, { before: 'P1D' }, { before: 'PT0S' }],
    });
    const fires = (await rowsOf(task.id)).map((r) => r.fireAt?.toISOString()).sort();
    expect(fires).toEqual([
      '2027-03-19T08:00:00.000Z',
      '2027-03-20T07:00:00.000Z',
      '2027-03-20T08:00:00.000Z',
    ]);
  });

  it('P1D before is a calendar day in the task zone (DST), PT24H is 24 hours', async () => {
    clock.set(at(0));
    // New York springs forward on 2027-03-14: 09:00 EDT = 13:00Z; the day before 09:00 EST = 14:00Z
    const task = await createTask({
      due: { at: '2027-03-14T09:00', tz: 'America/New_York' },
      reminders: [{ before: 'P1D' }, { before: 'PT24H' }],
    });
    const bySpec = Object.fromEntries(
      (await rowsOf(task.id)).map((r) => [(r.spec as { before: string }).before, r.fireAt?.toISOString()]),
    );
    expect(bySpec).toEqual({ P1D: '2027-03-13T14:00:00.000Z', PT24H: '2027-03-13T13:00:00.000Z' });
  });

  it('absolute reminders: instants as given, local times in the due zone, past times never fire', async () => {
    clock.set(at(0));
    const task = await createTask({
      due: { at: '2027-03-12T10:00', tz: 'Europe/Paris' },
      reminders: [{ at: '2027-03-11T08:00:00Z' }, { at: '2027-03-11T20:00' }, { at: '2027-03-01T08:00:00Z' }],
    });
    expect(task.reminders).toEqual([
      { at: '2027-03-11T08:00:00.000Z' },
      { at: '2027-03-11T19:00:00.000Z' },
      { at: '2027-03-01T08:00:00.000Z' },
    ]);
    const byAt = Object.fromEntries((await rowsOf(task.id)).map((r) => [r.fireAt?.toISOString(), r.status]));
    expect(byAt).toEqual({
      '2027-03-11T08:00:00.000Z': 'scheduled',
      '2027-03-11T19:00:00.000Z': 'scheduled',
      '2027-03-01T08:00:00.000Z': 'cancelled',
    });
  });

  it('rejects bad reminders with the field named', async () => {
    const due = { at: '2027-04-01T10:00' };
    const cases: unknown[] = [
      [{ before: '1 hour' }],
      [{ before: '-PT1H' }],
      [{ before: 'P2Y' }],
      [{ at: 'tomorrow' }],
      [{ before: 'PT1H', at: '2027-04-01T09:00:00Z' }],
      [{}],
      Array.from({ length: 11 }, (_, i) => ({ before: `PT${i + 1}M` })),
    ];
    for (const reminders of cases) {
      const res = await api('POST', '/tasks', { title: 'x', due, reminders });
      expect(res.status, JSON.stringify(reminders)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    const ok = await api('POST', '/tasks', {
      title: 'x',
      due,
      reminders: [{ before: 'pt15m' }, { before: 'PT15M' }],
    });
    expect(ok.body.reminders).toEqual([{ before: 'PT15M' }]);
  });

  it('applies the default reminder to new timed tasks only', async () => {
    clock.set(at(0));
    const put = await api('PUT', '/settings/notifications', { default_reminder_minutes: 30 });
    expect(put.body.default_reminder_minutes).toBe(30);
    const timed = await createTask({ due: { at: '2027-04-01T10:00' } });
    expect(timed.reminders).toEqual([{ before: 'PT30M' }]);
    const allDay = await createTask({ due: { at: '2027-04-01' } });
    expect(allDay.reminders).toEqual([]);
    const none = await createTask({ due: { at: '2027-04-01T10:00' }, reminders: [] });
    expect(none.reminders).toEqual([]);
    // the create reads the setting as it stands (no copy of it is kept)
    await api('PUT', '/settings/notifications', { default_reminder_minutes: 45 });
    expect((await createTask({ due: { at: '2027-04-01T10:00' } })).reminders).toEqual([{ before: 'PT45M' }]);
    await api('PUT', '/settings/notifications', { default_reminder_minutes: null });
    expect((await createTask({ due: { at: '2027-04-01T10:00' } })).reminders).toEqual([]);
  });
});

describe('the sweep', () => {
  it('fires a reminder whose trigger was lost, once it is past the grace period', async () => {
    clock.set(at(0));
    const task = await createTask({
      due: { at: at(600_000).toISOString() },
      reminders: [{ before: 'PT5M' }],
    });
    const row = await armed(task.id, at(300_000));
    await db()
      .delete(timers)
      .where(eq(timers.name, `reminder-${row.id}`)); // the trigger is lost
    const sweep = () => t.app.services.notifier!.reminders.sweep();
    clock.set(at(310_000));
    expect(await sweep()).toBe(0);
    clock.set(at(331_000));
    expect(await sweep()).toBe(1);
    expect(await sweep()).toBe(0);
    await waitFor(async () => (await notificationsFor(task.id)).length === 1, 'the notification');
  });
});

describe('notifications API', () => {
  async function notified() {
    clock.set(at(0));
    const task = await createTask({
      due: { at: at(3_600_000).toISOString() },
      reminders: [{ before: 'PT30M' }],
    });
    const row = await armed(task.id, at(1_800_000));
    clock.set(at(1_800_000));
    await t.app.services.notifier!.reminders.fire(row.id);
    const [n] = await waitFor(async () => {
      const items = await notificationsFor(task.id);
      return items.length === 1 ? items : null;
    }, 'the notification');
    return n as { id: string };
  }

  it('marks read (idempotently) and hides other users’ notifications', async () => {
    const n = await notified();
    const read = await api('POST', `/notifications/${n.id}/read`);
    expect(read.status).toBe(200);
    expect(read.body.read_at).toBe(at(1_800_000).toISOString());
    clock.set(at(1_900_000));
    expect((await api('POST', `/notifications/${n.id}/read`)).body.read_at).toBe(at(1_800_000).toISOString());
    expect(
      (await api('GET', '/notifications?unread=true')).body.items.map((x: { id: string }) => x.id),
    ).not.toContain(n.id);

    const other = await t.signUp();
    const otherApi = apiAs(t, other);
    expect((await otherApi('GET', '/notifications')).body.items).toEqual([]);
    expect((await otherApi('POST', `/notifications/${n.id}/read`)).status).toBe(404);
    expect((await otherApi('POST', `/notifications/${n.id}/snooze`, { minutes: 5 })).status).toBe(404);
  });

  it('snooze hides a notification and brings it back once, unread', async () => {
    const n = await notified();
    await api('POST', `/notifications/${n.id}/read`);
    const snoozed = await api('POST', `/notifications/${n.id}/snooze`, { minutes: 10 });
    expect(snoozed.status).toBe(200);
    expect(snoozed.body.snoozed_until).toBe(at(1_800_000 + 600_000).toISOString());
    expect((await api('GET', '/notifications')).body.items.map((x: { id: string }) => x.id)).not.toContain(
      n.id,
    );
    await waitFor(
      async () =>
        (
          await db()
            .select()
            .from(timers)
            .where(eq(timers.name, `snooze-${n.id}`))
        ).length === 1,
      'the snooze job',
    );

    clock.set(at(1_800_000 + 599_000));
    await scheduler.runDue();
    expect((await api('GET', '/notifications')).body.items.map((x: { id: string }) => x.id)).not.toContain(
      n.id,
    );
    clock.set(at(1_800_000 + 600_000));
    await scheduler.runDue();
    const back = (await api('GET', '/notifications')).body.items.find((x: { id: string }) => x.id === n.id);
    expect(back).toMatchObject({ read_at: null, snoozed_until: null });
    const pushed = await waitFor(() => lastEvent(t, 'notification.created', back.task_id), 'the push');
    expect(pushed.data.payload).toMatchObject({ resurfaced: true, notification: { id: n.id } });

    for (const bad of [{ minutes: 0 }, { minutes: 1.5 }, { minutes: 100_000 }, {}]) {
      expect((await api('POST', `/notifications/${n.id}/snooze`, bad)).status).toBe(400);
    }
  });
});

describe('settings', () => {
  it('time zone: read, change, reject unknown zones', async () => {
    expect((await api('GET', '/settings')).body).toEqual({ time_zone: 'Europe/Paris' });
    expect((await api('PATCH', '/settings', { time_zone: 'Asia/Tokyo' })).body).toEqual({
      time_zone: 'Asia/Tokyo',
    });
    const bad = await api('PATCH', '/settings', { time_zone: 'Mars/Olympus' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_TIME_ZONE');
    // new tasks now default to the new zone
    const task = await createTask({ due: { at: '2027-05-01T09:00' } });
    expect((task as unknown as { due: { tz: string } }).due.tz).toBe('Asia/Tokyo');
    await api('PATCH', '/settings', { time_zone: 'Europe/Paris' });
  });

  it('channels: defaults, partial updates, a generated webhook secret, validation', async () => {
    const other = apiAs(t, await t.signUp());
    expect((await other('GET', '/settings/notifications')).body).toEqual({
      in_app: true,
      browser: true,
      email: null,
      email_enabled: false,
      webhook_url: null,
      webhook_secret: null,
      webhook_enabled: false,
      default_reminder_minutes: null,
    });
    const set = await other('PUT', '/settings/notifications', {
      webhook_url: 'https://example.com/hook',
      webhook_enabled: true,
    });
    expect(set.body.webhook_secret).toMatch(/^whsec_/);
    const kept = await other('PUT', '/settings/notifications', { email_enabled: true });
    expect(kept.body).toMatchObject({
      webhook_secret: set.body.webhook_secret,
      webhook_enabled: true,
      email_enabled: true,
    });
    for (const bad of [
      { webhook_url: 'ftp://x' },
      { email: 'nope' },
      { in_app: 'yes' },
      { extra: 1 },
      { default_reminder_minutes: -1 },
    ]) {
      expect((await other('PUT', '/settings/notifications', bad)).status).toBe(400);
    }
    const noUrl = apiAs(t, await t.signUp());
    expect((await noUrl('PUT', '/settings/notifications', { webhook_enabled: true })).status).toBe(400);
  });
});
