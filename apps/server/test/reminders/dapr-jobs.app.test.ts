import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reminders } from '../../src/infra/db/schema.ts';
import { sweepBindingRoute } from '../../src/infra/scheduler/dapr.scheduler.ts';
import { FakeJobsApi } from '../fakes/fake-dapr-jobs.ts';
import { FakeDaprSidecar } from '../fakes/fake-dapr-sidecar.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { apiAs, sleep, waitFor } from './helpers.ts';

/**
 * SCHEDULER=dapr end to end against the fake sidecar's Jobs API (real time, short delays): the notifier
 * schedules through the sidecar, the trigger comes back on `POST /job/<name>` with only `data` as body,
 * a duplicate trigger makes no second notification, rescheduling and cancelling reach the sidecar, and the
 * cron binding route sweeps.
 */
const sidecar = new FakeDaprSidecar();
const jobs = new FakeJobsApi(sidecar);
let t: TestApp;

beforeAll(async () => {
  await sidecar.start();
  t = await createTestApp({
    config: {
      scheduler: 'dapr',
      dapr: { httpPort: sidecar.port, apiToken: undefined, appApiToken: undefined, pubsub: 'kafka-pubsub' },
    },
  });
  sidecar.opts.appUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await jobs.stop();
  await t.close();
  await sidecar.stop();
});

describe('reminders on the Dapr Jobs API', () => {
  it('fires through POST /job/<name>, never early; a duplicate trigger adds no notification', async () => {
    const u = await t.signUp();
    const api = apiAs(t, u);
    const fireAt = new Date(Date.now() + 1_500);
    const task = (
      await api('POST', '/tasks', { title: 'Dapr me', reminders: [{ at: fireAt.toISOString() }] })
    ).body;
    const [row] = await t.infra.database.db.select().from(reminders).where(eq(reminders.taskId, task.id));
    const name = `reminder-${row!.id}`;
    await waitFor(() => jobs.jobs.has(name), 'the job at the sidecar');
    expect(jobs.jobs.get(name)!.dueTime.toISOString()).toBe(row!.fireAt!.toISOString());

    const fired = await waitFor(() => jobs.triggers.find((x) => x.name === name), 'the trigger', 5_000);
    expect(fired.at.getTime()).toBeGreaterThanOrEqual(row!.fireAt!.getTime());
    expect(fired).toMatchObject({ status: 200, data: { kind: 'reminder', reminder_id: row!.id } });
    await waitFor(
      async () => (await api('GET', '/notifications')).body.items.length === 1,
      'the notification',
    );

    expect(await jobs.duplicate(name)).toBe(200);
    await sleep(300);
    expect((await api('GET', '/notifications')).body.items).toHaveLength(1);
  });

  it('moves the job when the reminder moves, deletes it when the task is completed', async () => {
    const api = apiAs(t, await t.signUp());
    const task = (
      await api('POST', '/tasks', {
        title: 'Later',
        due: { at: '2030-01-01T10:00:00Z' },
        reminders: [{ before: 'PT1H' }],
      })
    ).body;
    const [row] = await t.infra.database.db.select().from(reminders).where(eq(reminders.taskId, task.id));
    const name = `reminder-${row!.id}`;
    await waitFor(() => jobs.jobs.get(name)?.dueTime.toISOString() === '2030-01-01T09:00:00.000Z', 'the job');
    await api('PATCH', `/tasks/${task.id}`, { due: { at: '2030-02-01T10:00:00Z' } });
    await waitFor(
      () => jobs.jobs.get(name)?.dueTime.toISOString() === '2030-02-01T09:00:00.000Z',
      'the moved job',
    );
    await api('POST', `/tasks/${task.id}/complete`);
    await waitFor(() => !jobs.jobs.has(name), 'the job to be deleted');
  });

  it('answers the cron binding: OPTIONS probe 200, POST exactly 200', async () => {
    expect(await jobs.cronTick(sweepBindingRoute)).toEqual({ probe: 200, status: 200 });
  });

  it('drops a trigger with unusable data (200), so the sidecar does not retry it forever', async () => {
    const res = await sidecar.appFetch('/job/reminder-garbage', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '',
    });
    expect(res.status).toBe(200);
  });
});
