import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/infra/clock/clock.ts';
import { createTestApp, type TestApp, type TestUser } from './helpers/test-app.ts';

let t: TestApp;
let u: TestUser;
// Wednesday 2027-03-10 12:00 in New York (17:00Z)
const clock = fixedClock('2027-03-10T17:00:00Z');

beforeAll(async () => {
  t = await createTestApp({ clock });
  u = await t.signUp({ timeZone: 'America/New_York' });
});
afterAll(() => t.close());

const post = (url: string, payload: object) =>
  t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: u.headers, payload });

describe('quick add', () => {
  it('creates a task from text: date and time in the user zone, priority, tags, list, description', async () => {
    const res = await post('/tasks/quick', {
      text: 'Submit report tomorrow at 5pm p1 #work +Office // the Q1 one',
    });
    expect(res.statusCode).toBe(201);
    const task = res.json();
    expect(task).toMatchObject({
      title: 'Submit report',
      description: 'the Q1 one',
      priority: 'urgent',
      tags: ['work'],
      due: {
        at: '2027-03-11T22:00:00.000Z',
        tz: 'America/New_York',
        local: '2027-03-11T17:00:00',
        all_day: false,
      },
    });
    const lists = (await t.app.inject({ method: 'GET', url: '/api/v1/lists', headers: u.headers })).json()
      .items;
    expect(lists.find((l: { id: string }) => l.id === task.list_id).name).toBe('Office');
    // the same list name again reuses the list
    const again = (await post('/tasks/quick', { text: 'Another +office' })).json();
    expect(again.list_id).toBe(task.list_id);
  });

  it('keeps ordinary titles intact', async () => {
    const task = (await post('/tasks/quick', { text: 'Call 911' })).json();
    expect(task).toMatchObject({ title: 'Call 911', due: null, priority: 'none' });
  });

  it('parses without creating anything', async () => {
    const before = (
      await t.app.inject({ method: 'GET', url: '/api/v1/tasks?limit=200', headers: u.headers })
    ).json().items.length;
    const res = await post('/parse', { text: 'Pay rent every month on the 1st', tz: 'Europe/Paris' });
    expect(res.statusCode).toBe(200);
    expect(res.json().recurrence.rrule).toContain('FREQ=MONTHLY');
    expect(res.json().due.tz).toBe('Europe/Paris');
    const after = (
      await t.app.inject({ method: 'GET', url: '/api/v1/tasks?limit=200', headers: u.headers })
    ).json().items.length;
    expect(after).toBe(before);
  });

  it('ignore: text the user made plain again stays in the title, on parse and on create alike', async () => {
    const text = '  Read The 5th Wave on the 5th at 9am';
    const start = text.indexOf('on the 5th');
    const ignore = [{ start, end: start + 'on the 5th'.length }];
    const plain = (await post('/parse', { text })).json();
    expect(plain.due).toMatchObject({ date: '2027-04-05', time: '09:00' });
    const parsed = await post('/parse', { text, ignore });
    expect(parsed.statusCode).toBe(200);
    expect(parsed.json()).toMatchObject({ title: 'Read The 5th Wave on the 5th', due: { time: '09:00' } });
    expect(parsed.json().spans).toEqual([{ start: text.indexOf('at 9am'), end: text.length, kind: 'time' }]);
    const created = await post('/tasks/quick', { text, ignore });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ title: 'Read The 5th Wave on the 5th', parse: parsed.json() });
    const all = await post('/tasks/quick', { text: 'Pay rent tomorrow p1', ignore: [{ start: 9, end: 20 }] });
    expect(all.json()).toMatchObject({ title: 'Pay rent tomorrow p1', due: null, priority: 'none' });
  });

  it('a phrase the product cannot represent comes back whole, with a warning for the UI', async () => {
    const res = await post('/parse', { text: 'Jog thrice weekly' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ title: 'Jog thrice weekly', spans: [] });
    expect(res.json().recurrence).toBeUndefined();
    expect(res.json().warnings).toHaveLength(1);
  });

  it('rejects bad ignore ranges with a 400 naming the field', async () => {
    const bad = async (ignore: unknown, field: string) => {
      for (const url of ['/parse', '/tasks/quick']) {
        const res = await post(url, { text: 'Call mom tomorrow', ignore });
        expect(res.statusCode, `${url} ${JSON.stringify(ignore)}`).toBe(400);
        expect(res.json().error.code).toBe('VALIDATION_FAILED');
        expect(res.json().error.details.map((d: { path: string }) => d.path)).toContain(field);
      }
    };
    await bad([{ start: 3, end: 3 }], 'body.ignore.0.end');
    await bad(
      [
        { start: 0, end: 2 },
        { start: 5, end: 18 },
      ],
      'body.ignore.1.end',
    );
    await bad([{ start: -1, end: 2 }], 'body.ignore.0.start');
    await bad([{ start: 1.5, end: 2 }], 'body.ignore.0.start');
    await bad([{ start: 1 }], 'body.ignore.0.end');
    await bad([{ start: 1, end: 2, kind: 'date' }], 'body.ignore.0');
    await bad('0-4', 'body.ignore');
    await bad(
      Array.from({ length: 51 }, () => ({ start: 0, end: 1 })),
      'body.ignore',
    );
    const tasks = (
      await t.app.inject({ method: 'GET', url: '/api/v1/tasks?limit=200', headers: u.headers })
    ).json();
    expect(tasks.items.some((x: { title: string }) => x.title === 'Call mom')).toBe(false);
  });

  it('rejects bad input with 400', async () => {
    expect((await post('/tasks/quick', { text: '' })).statusCode).toBe(400);
    expect((await post('/tasks/quick', { text: '   ' })).statusCode).toBe(400);
    expect((await post('/parse', { text: 'x', tz: 'Not/AZone' })).statusCode).toBe(400);
    expect((await post('/parse', {})).statusCode).toBe(400);
  });
});
