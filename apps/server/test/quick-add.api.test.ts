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

  it('rejects bad input with 400', async () => {
    expect((await post('/tasks/quick', { text: '' })).statusCode).toBe(400);
    expect((await post('/parse', { text: 'x', tz: 'Not/AZone' })).statusCode).toBe(400);
    expect((await post('/parse', {})).statusCode).toBe(400);
  });
});
