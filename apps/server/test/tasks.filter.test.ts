import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/infra/clock/clock.ts';
import { tasks } from '../src/infra/db/schema.ts';
import { createTestApp, type TestApp, type TestUser } from './helpers/test-app.ts';

// Wednesday 2026-03-11, 12:00 in Paris (UTC+1): "today" is 2026-03-11 for the user. The clock stays
// before the real date because sessions expire by real time but are checked against this clock.
const now = '2026-03-11T11:00:00Z';
const clock = fixedClock(now);
let t: TestApp;
let u: TestUser;
let other: TestUser;

async function api(method: string, url: string, payload?: unknown, who: TestUser = u) {
  const res = await t.app.inject({
    method: method as 'GET',
    url: `/api/v1${url}`,
    headers: who.headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return { status: res.statusCode, body: res.body ? res.json() : undefined };
}

async function create(body: Record<string, unknown>, who: TestUser = u): Promise<string> {
  const res = await api('POST', '/tasks', body, who);
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** Titles the filter returns, sorted, or the error response. */
async function titles(filter: string, extra = ''): Promise<string[]> {
  const res = await api('GET', `/tasks?limit=200&filter=${encodeURIComponent(filter)}${extra}`);
  if (res.status !== 200) throw new Error(`${filter}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.items.map((x: { title: string }) => x.title).sort();
}

const sorted = (...xs: string[]) => [...xs].sort();

beforeAll(async () => {
  t = await createTestApp({ clock });
  u = await t.signUp({ timeZone: 'Europe/Paris' });
  other = await t.signUp({ timeZone: 'Europe/Paris' });

  // created 18 days before "now"
  clock.set('2026-02-21T10:00:00Z');
  await create({ title: 'Old idea' });
  clock.set(now);

  const errands = await api('POST', '/lists', { name: 'Errands' });
  expect(errands.status).toBe(201);
  await create({
    title: 'Due today timed',
    priority: 'urgent',
    tags: ['work'],
    due: { at: '2026-03-11T18:00' },
  });
  await create({ title: 'Due today all-day', priority: 'high', tags: ['home'], due: { at: '2026-03-11' } });
  await create({ title: 'Overdue yesterday', priority: 'medium', tags: ['work'], due: { at: '2026-03-10' } });
  await create({ title: 'Overdue this morning', priority: 'low', due: { at: '2026-03-11T09:00' } });
  await create({
    title: 'Due in 3 days',
    priority: 'high',
    tags: ['work'],
    description: 'draft the report first',
    due: { at: '2026-03-14T10:00' },
  });
  await create({ title: 'Due in 10 days', priority: 'urgent', tags: ['home'], due: { at: '2026-03-21' } });
  await create({ title: 'Due tomorrow', priority: 'urgent', tags: ['work'], due: { at: '2026-03-12' } });
  await create({ title: 'Quarterly report' });
  await create({ title: 'Buy milk', priority: 'low', tags: ['home', 'shop'], list_id: errands.body.id });
  const weekly = await create({ title: 'Weekly review', due: { at: '2026-03-13' } });
  // the API cannot set a rule yet, so the row gets one directly
  await t.infra.database.db.update(tasks).set({ recurrence: 'FREQ=WEEKLY' }).where(eq(tasks.id, weekly));
  const finished = await create({ title: 'Finished report', due: { at: '2026-03-09' } });
  expect((await api('POST', `/tasks/${finished}/complete`)).status).toBe(200);
  const trashed = await create({ title: 'Trashed today', due: { at: '2026-03-11' } });
  expect((await api('DELETE', `/tasks/${trashed}`)).status).toBe(204);

  // another user's look-alikes must never show up
  const theirs = await api('POST', '/lists', { name: 'Errands' }, other);
  await create(
    {
      title: 'Their errand',
      priority: 'urgent',
      tags: ['work'],
      list_id: theirs.body.id,
      due: { at: '2026-03-11' },
    },
    other,
  );
});
afterAll(() => t.close());

const allOpen = [
  'Old idea',
  'Due today timed',
  'Due today all-day',
  'Overdue yesterday',
  'Overdue this morning',
  'Due in 3 days',
  'Due in 10 days',
  'Due tomorrow',
  'Quarterly report',
  'Buy milk',
  'Weekly review',
];

describe('GET /tasks?filter=', () => {
  it.each([
    [
      'today | overdue',
      ['Due today timed', 'Due today all-day', 'Overdue yesterday', 'Overdue this morning'],
    ],
    ['p1 & #work', ['Due today timed', 'Due tomorrow']],
    ['!#home', allOpen.filter((x) => !['Due today all-day', 'Due in 10 days', 'Buy milk'].includes(x))],
    ['(p1 | p2) & 7 days', ['Due today timed', 'Due today all-day', 'Due in 3 days', 'Due tomorrow']],
    ['search: report', ['Quarterly report', 'Due in 3 days']],
    ['+Errands', ['Buy milk']],
    ['+errands & #shop', ['Buy milk']],
    ['+Err*', ['Buy milk']],
    ['+"No such list"', []],
    ['no date', ['Old idea', 'Quarterly report', 'Buy milk']],
    ['recurring', ['Weekly review']],
    ['created after: -7 days', allOpen.filter((x) => x !== 'Old idea')],
    ['created before: -7 days', ['Old idea']],
    ['overdue', ['Overdue yesterday', 'Overdue this morning']],
    ['today', ['Due today timed', 'Due today all-day', 'Overdue this morning']],
    ['tomorrow', ['Due tomorrow']],
    [
      'due before: tomorrow',
      ['Due today timed', 'Due today all-day', 'Overdue yesterday', 'Overdue this morning'],
    ],
    ['due after: +3 days', ['Due in 10 days']],
    ['due: friday', ['Weekly review']],
    ['due before: today 10am', ['Overdue yesterday', 'Overdue this morning']],
    ['p4', ['Overdue this morning', 'Buy milk']],
    ['no priority', ['Old idea', 'Quarterly report', 'Weekly review']],
    ['#wo*', ['Due today timed', 'Overdue yesterday', 'Due in 3 days', 'Due tomorrow']],
    ['!no date & !overdue & !(p1 | p2)', ['Weekly review']],
    ['!overdue & no date', ['Old idea', 'Quarterly report', 'Buy milk']],
  ])('%s', async (filter, expected) => {
    expect(await titles(filter)).toEqual(sorted(...expected));
  });

  it('shows completed tasks only when the filter asks, and an explicit status still applies', async () => {
    expect(await titles('completed')).toEqual(['Finished report']);
    expect(await titles('completed & search: report')).toEqual(['Finished report']);
    expect(await titles('completed after: yesterday')).toEqual(['Finished report']);
    expect(await titles('search: report')).not.toContain('Finished report');
    expect(await titles('completed', '&status=open')).toEqual([]);
    expect(await titles('!completed')).toEqual(sorted(...allOpen));
    // a trashed task stays out unless the trash is asked for
    expect(await titles('today')).not.toContain('Trashed today');
    expect(await titles('today', '&status=trash')).toEqual(['Trashed today']);
  });

  it('treats a blank filter as no filter and combines with the other parameters', async () => {
    expect(await titles('  ')).toEqual(sorted(...allOpen));
    expect(await titles('#work', '&priority=urgent')).toEqual(['Due today timed', 'Due tomorrow']);
  });

  it('answers a syntax error with 400 INVALID_FILTER and its position', async () => {
    const res = await api('GET', `/tasks?filter=${encodeURIComponent('p1 & (today | ')}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_FILTER');
    expect(res.body.error.details).toMatchObject({ position: 14 });
    expect(res.body.error.message).toContain('position 14');
    const unknown = await api('GET', `/tasks?filter=${encodeURIComponent('p1 & banana')}`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toMatchObject({ position: 5, found: '"banana"' });
    const badDate = await api('GET', `/tasks?filter=${encodeURIComponent('due before: someday')}`);
    expect(badDate.body.error.details).toMatchObject({ position: 12 });
  });

  it('never lets filter text reach SQL as code', async () => {
    const attempts = [
      "#x'); drop table tasks;--",
      "search: x'); drop table tasks;--",
      '+"x\'); drop table tasks;--"',
      "#\"x' or '1'='1\"",
      '+"\' or 1=1 --"',
      "search: '; delete from tasks where ''='",
      '#a%',
      '+%',
      '#_*',
      "due before: 2027-01-01'); drop table tasks;--",
    ];
    for (const filter of attempts) {
      const res = await api('GET', `/tasks?limit=200&filter=${encodeURIComponent(filter)}`);
      expect([200, 400], filter).toContain(res.status);
      if (res.status === 200) expect(res.body.items, filter).toEqual([]);
      else expect(res.body.error.code, filter).toBe('INVALID_FILTER');
    }
    expect(await titles('p1 | !p1')).toEqual(sorted(...allOpen));
    const [row] = await t.infra.database.db.select({ count: sql<number>`count(*)::int` }).from(tasks);
    expect(row?.count).toBe(14);
  });

  it("matches only the caller's lists and tasks", async () => {
    const res = await api('GET', `/tasks?filter=${encodeURIComponent('+Errands | p1')}`, undefined, other);
    expect(res.body.items.map((x: { title: string }) => x.title)).toEqual(['Their errand']);
  });
});
