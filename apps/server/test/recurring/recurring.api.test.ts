import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/infra/clock/clock.ts';
import { tasks } from '../../src/infra/db/schema.ts';
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';
import { type ApiResult, apiAs, waitConsumed } from '../reminders/helpers.ts';

const clock = fixedClock('2027-01-01T00:00:00Z');
let t: TestApp;
let u: TestUser;
let api: (method: string, url: string, payload?: unknown) => Promise<ApiResult>;

beforeAll(async () => {
  t = await createTestApp({ clock });
  u = await t.signUp({ timeZone: 'America/New_York' });
  api = apiAs(t, u);
});
afterAll(() => t.close());

interface Task {
  id: string;
  title: string;
  due: { at: string; local: string; tz: string; all_day: boolean };
  occurrence: number;
  series_id: string;
  status: string;
}

async function create(body: Record<string, unknown>): Promise<Task> {
  const res = await api('POST', '/tasks', { title: 'Water the plants', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function series(
  id: string,
): Promise<{ id: string; occurrence: number; due: string; completed_at: string | null }[]> {
  const res = await api('GET', `/tasks/${id}/series`);
  expect(res.status).toBe(200);
  return res.body.items;
}

/** Completes `id`, waits for the recurring role, and returns the next occurrence (or null: series ended). */
async function completeAndNext(id: string): Promise<Task | null> {
  expect((await api('POST', `/tasks/${id}/complete`)).status).toBe(200);
  await waitConsumed(t, 'recurring', 'task.completed', id);
  const done = (await api('GET', `/tasks/${id}`)).body as Task;
  const next = (await series(id)).find((s) => s.occurrence === done.occurrence + 1);
  return next ? ((await api('GET', `/tasks/${next.id}`)).body as Task) : null;
}

/** Due dates of a series completed `n` times in a row, starting from `first`. */
async function chain(first: Task, n: number): Promise<string[]> {
  const dues = [first.due.at];
  let current: Task | null = first;
  for (let i = 0; i < n && current; i++) {
    clock.set(current.due.at); // completed on its due date
    current = await completeAndNext(current.id);
    if (current) dues.push(current.due.at);
  }
  return dues;
}

describe('next occurrence on completion', () => {
  it('"every day at 9:00" in New York stays 09:00 local across the DST change (13:00Z after)', async () => {
    clock.set('2027-03-13T12:00:00Z');
    const first = await create({
      description: 'both balconies',
      tags: ['home'],
      priority: 'high',
      due: { at: '2027-03-13T09:00', tz: 'America/New_York' },
      recurrence: { rrule: 'FREQ=DAILY' },
      reminders: [{ before: 'PT15M' }, { at: '2027-03-13T13:00:00Z' }],
    });
    expect(first.due.at).toBe('2027-03-13T14:00:00.000Z');
    const next = await completeAndNext(first.id);
    expect(next).toMatchObject({
      title: 'Water the plants',
      description: 'both balconies',
      tags: ['home'],
      priority: 'high',
      status: 'open',
      occurrence: 1,
      series_id: first.series_id,
      recurrence: { rrule: 'FREQ=DAILY', mode: 'due' },
      // relative reminders follow the series, the absolute one stayed with its occurrence
      reminders: [{ before: 'PT15M' }],
      due: { at: '2027-03-14T13:00:00.000Z', local: '2027-03-14T09:00:00', tz: 'America/New_York' },
    });
    expect((next as unknown as { list_id: string }).list_id).toBe(
      (first as unknown as { list_id: string }).list_id,
    );
    const history = (await api('GET', `/tasks/${first.id}`)).body;
    expect(history).toMatchObject({ status: 'completed' });
  });

  it('monthly on the 31st skips the short months', async () => {
    const first = await create({
      due: { at: '2027-01-31T09:00' },
      recurrence: { rrule: 'FREQ=MONTHLY;BYMONTHDAY=31' },
    });
    const locals = await chain(first, 3);
    expect(locals).toEqual([
      '2027-01-31T14:00:00.000Z',
      '2027-03-31T13:00:00.000Z',
      '2027-05-31T13:00:00.000Z',
      '2027-07-31T13:00:00.000Z',
    ]);
  });

  it('last Friday of the month', async () => {
    const first = await create({
      due: { at: '2027-01-29T17:00' },
      recurrence: { rrule: 'FREQ=MONTHLY;BYDAY=-1FR' },
    });
    expect((await chain(first, 2)).map((d) => d.slice(0, 10))).toEqual([
      '2027-01-29',
      '2027-02-26',
      '2027-03-26',
    ]);
  });

  it('every weekday', async () => {
    const first = await create({
      due: { at: '2027-01-07' },
      recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR' },
    });
    expect(first.due.all_day).toBe(true);
    const dates = await chain(first, 3);
    const locals = await Promise.all(dates.map(async (_, i) => i));
    expect(locals).toHaveLength(4);
    const all = (await series(first.id)).map((s) => s.due);
    // Thu, Fri, (weekend skipped) Mon, Tue — all-day dates are local midnight in New York (05:00Z)
    expect(all).toEqual([
      '2027-01-07T05:00:00.000Z',
      '2027-01-08T05:00:00.000Z',
      '2027-01-11T05:00:00.000Z',
      '2027-01-12T05:00:00.000Z',
    ]);
  });

  it('every 2 weeks on Monday and Friday', async () => {
    const first = await create({
      due: { at: '2027-01-04T08:00' },
      recurrence: { rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR' },
    });
    expect((await chain(first, 3)).map((d) => d.slice(0, 10))).toEqual([
      '2027-01-04',
      '2027-01-08',
      '2027-01-18',
      '2027-01-22',
    ]);
  });

  it('COUNT=3 stops after the third occurrence', async () => {
    const first = await create({
      due: { at: '2027-02-01T10:00' },
      recurrence: { rrule: 'FREQ=DAILY;COUNT=3' },
    });
    expect(await chain(first, 5)).toEqual([
      '2027-02-01T15:00:00.000Z',
      '2027-02-02T15:00:00.000Z',
      '2027-02-03T15:00:00.000Z',
    ]);
    expect(await series(first.id)).toHaveLength(3);
  });

  it('UNTIL ends the series', async () => {
    const first = await create({
      due: { at: '2027-02-10T10:00' },
      recurrence: { rrule: 'FREQ=DAILY;UNTIL=20270211' },
    });
    expect(await chain(first, 5)).toHaveLength(2);
  });

  it('mode completion counts from the completion time', async () => {
    const first = await create({
      due: { at: '2027-01-04T09:00' },
      recurrence: { rrule: 'FREQ=DAILY;INTERVAL=3', mode: 'completion' },
    });
    clock.set('2027-01-06T23:00:00Z'); // Wed 18:00 in New York, two days late
    const next = await completeAndNext(first.id);
    expect(next?.due).toMatchObject({ local: '2027-01-09T09:00:00' });
  });

  it('mode due skips missed occurrences so the next one is in the future', async () => {
    const first = await create({ due: { at: '2027-01-04T09:00' }, recurrence: { rrule: 'FREQ=DAILY' } });
    clock.set('2027-01-10T20:00:00Z'); // a week late, after 09:00 local
    const next = await completeAndNext(first.id);
    expect(next?.due.local).toBe('2027-01-11T09:00:00');
  });
});

describe('exactly once', () => {
  it('10 concurrent completions and 5 redeliveries give exactly one next occurrence', async () => {
    clock.set('2027-04-01T12:00:00Z');
    const first = await create({ due: { at: '2027-04-01T09:00' }, recurrence: { rrule: 'FREQ=DAILY' } });
    const results = await Promise.all(
      Array.from({ length: 10 }, () => api('POST', `/tasks/${first.id}/complete`)),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const event = await waitConsumed(t, 'recurring', 'task.completed', first.id);
    const handle = t.app.services.recurring.subscription().handle;
    await Promise.all(Array.from({ length: 5 }, () => handle(event, { log: t.app.log })));
    // a different completion event of the same occurrence (reopen, complete again) adds nothing either
    await api('POST', `/tasks/${first.id}/reopen`);
    await api('POST', `/tasks/${first.id}/complete`);
    await waitConsumed(t, 'recurring', 'task.completed', first.id);
    const rows = await t.infra.database.db
      .select({ occurrence: tasks.occurrence })
      .from(tasks)
      .where(and(eq(tasks.seriesId, first.series_id)));
    expect(rows.map((r) => r.occurrence).sort()).toEqual([0, 1]);
  });

  it('reopening an occurrence whose successor was skipped ahead never adds a second open one', async () => {
    clock.set('2027-05-01T12:00:00Z');
    const first = await create({ due: { at: '2027-05-01T09:00' }, recurrence: { rrule: 'FREQ=DAILY' } });
    const next = await completeAndNext(first.id);
    expect((await api('POST', `/tasks/${next!.id}/skip`)).body.occurrence).toBe(2);
    await api('POST', `/tasks/${first.id}/reopen`);
    await completeAndNext(first.id);
    expect((await series(first.id)).map((s) => s.occurrence)).toEqual([0, 2]);
  });
});

describe('recurrence endpoints and validation', () => {
  it('previews occurrences with a description', async () => {
    clock.set('2027-03-01T12:00:00Z');
    const task = await create({
      due: { at: '2027-03-05T09:00' },
      recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO,FR' },
    });
    const res = await api('GET', `/tasks/${task.id}/occurrences?count=3`);
    expect(res.status).toBe(200);
    expect(res.body.description).toMatch(/Monday and Friday/);
    expect(res.body.items.map((o: { local: string }) => o.local)).toEqual([
      '2027-03-08T09:00:00',
      '2027-03-12T09:00:00',
      '2027-03-15T09:00:00',
    ]);
    expect((await api('GET', `/tasks/${task.id}/occurrences?count=0`)).status).toBe(400);
    expect((await api('GET', `/tasks/${task.id}/occurrences?count=101`)).status).toBe(400);
  });

  it('skip moves to the next occurrence without completing; series lists the history', async () => {
    clock.set('2027-03-01T12:00:00Z');
    const task = await create({
      due: { at: '2027-03-02T09:00' },
      recurrence: { rrule: 'FREQ=DAILY;COUNT=2' },
      reminders: [{ before: 'PT1H' }],
    });
    const skipped = await api('POST', `/tasks/${task.id}/skip`);
    expect(skipped.status).toBe(200);
    expect(skipped.body).toMatchObject({
      status: 'open',
      occurrence: 1,
      due: { local: '2027-03-03T09:00:00' },
    });
    // COUNT=2 reached: nothing to skip to
    const end = await api('POST', `/tasks/${task.id}/skip`);
    expect(end.status).toBe(409);
    expect(end.body.error.code).toBe('INVALID_STATE');
    const plain = await create({ due: { at: '2027-03-02T09:00' } });
    expect((await api('POST', `/tasks/${plain.id}/skip`)).body.error.code).toBe('NOT_RECURRING');
    expect((await api('GET', `/tasks/${plain.id}/series`)).status).toBe(409);
    expect((await api('GET', `/tasks/${task.id}/series`)).body.items).toHaveLength(1);
    const other = apiAs(t, await t.signUp());
    expect((await other('POST', `/tasks/${task.id}/skip`)).status).toBe(404);
    expect((await other('GET', `/tasks/${task.id}/series`)).status).toBe(404);
    expect((await other('GET', `/tasks/${task.id}/occurrences`)).status).toBe(404);
  });

  it('rejects malformed, sub-hourly and due-less rules; PATCH sets, changes and clears a rule', async () => {
    const due = { at: '2027-06-01T09:00' };
    for (const rrule of [
      'FREQ=MINUTELY',
      'FREQ=HOURLY;BYMINUTE=0,30',
      'FREQ=SOMETIMES',
      'BYDAY=MO',
      'FREQ=DAILY;COUNT=0',
      'DTSTART:20270101T000000Z\nFREQ=DAILY',
    ]) {
      const res = await api('POST', '/tasks', { title: 'x', due, recurrence: { rrule } });
      expect(res.status, rrule).toBe(400);
      expect(res.body.error.code, rrule).toBe('INVALID_RECURRENCE');
    }
    const noDue = await api('POST', '/tasks', { title: 'x', recurrence: { rrule: 'FREQ=DAILY' } });
    expect(noDue.status).toBe(400);
    expect(noDue.body.error.details[0].path).toBe('body.due');
    const allDayHourly = await api('POST', '/tasks', {
      title: 'x',
      due: { at: '2027-06-01' },
      recurrence: { rrule: 'FREQ=HOURLY' },
    });
    expect(allDayHourly.body.error.code).toBe('INVALID_RECURRENCE');
    expect(
      (await api('POST', '/tasks', { title: 'x', due, recurrence: { rrule: 'FREQ=HOURLY;INTERVAL=2' } }))
        .status,
    ).toBe(201);
    expect(
      (
        await api('POST', '/tasks', {
          title: 'x',
          due,
          recurrence: { rrule: 'FREQ=DAILY', mode: 'whenever' },
        })
      ).status,
    ).toBe(400);

    const task = await create({ due });
    const set = await api('PATCH', `/tasks/${task.id}`, {
      recurrence: { rrule: 'rrule:freq=weekly;byday=tu' },
    });
    expect(set.body.recurrence).toEqual({ rrule: 'FREQ=WEEKLY;BYDAY=TU', mode: 'due' });
    expect(set.body.series_id).toBeTruthy();
    expect((await api('PATCH', `/tasks/${task.id}`, { due: null })).status).toBe(400);
    const cleared = await api('PATCH', `/tasks/${task.id}`, { recurrence: null, due: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body.recurrence).toBeNull();
  });
});
