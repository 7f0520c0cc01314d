import { limits } from '@taskstream/core';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/infra/clock/clock.ts';
import { savedFilters, users } from '../../src/infra/db/schema.ts';
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';

const clock = fixedClock('2026-03-11T11:00:00Z');
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

interface FilterJson {
  id: string;
  name: string;
  query: string;
  position: number;
  created_at: string;
  updated_at: string;
}

async function create(body: Record<string, unknown>, who: TestUser = u): Promise<FilterJson> {
  const res = await api('POST', '/filters', body, who);
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const names = async (who: TestUser = u) =>
  (await api('GET', '/filters', undefined, who)).body.items.map((f: FilterJson) => f.name);

beforeAll(async () => {
  t = await createTestApp({ clock });
  u = await t.signUp({ timeZone: 'Europe/Paris' });
  other = await t.signUp();
});
afterAll(() => t.close());

describe('saved filters', () => {
  it('creates, lists by position, renames, changes the query, reorders and deletes', async () => {
    expect((await api('GET', '/filters')).body).toEqual({ items: [] });
    const work = await create({ name: 'Work today', query: ' (today | overdue) & #work ' });
    expect(work).toMatchObject({
      name: 'Work today',
      query: '(today | overdue) & #work',
      position: 0,
      created_at: '2026-03-11T11:00:00.000Z',
    });
    const urgent = await create({ name: 'Urgent', query: 'p1' });
    expect(urgent.position).toBe(1);
    clock.set('2026-03-11T11:00:01Z');
    const errands = await create({ name: 'Errands', query: '+Errands', position: 1 });
    // equal positions keep creation order
    expect(await names()).toEqual(['Work today', 'Urgent', 'Errands']);

    clock.set('2026-03-11T12:00:00Z');
    const renamed = await api('PATCH', `/filters/${urgent.id}`, { name: 'Urgent!', query: 'p1 | p2' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({
      id: urgent.id,
      name: 'Urgent!',
      query: 'p1 | p2',
      created_at: '2026-03-11T11:00:00.000Z',
      updated_at: '2026-03-11T12:00:00.000Z',
    });
    expect((await api('PATCH', `/filters/${work.id}`, { position: 5 })).status).toBe(200);
    expect(await names()).toEqual(['Urgent!', 'Errands', 'Work today']);

    expect((await api('DELETE', `/filters/${errands.id}`)).status).toBe(204);
    expect((await api('DELETE', `/filters/${errands.id}`)).body.error.code).toBe('FILTER_NOT_FOUND');
    expect((await api('PATCH', `/filters/${errands.id}`, { name: 'x' })).status).toBe(404);
    expect(await names()).toEqual(['Urgent!', 'Work today']);
    // a new one goes after the last
    expect((await create({ name: 'Later', query: 'no date' })).position).toBe(6);
  });

  it('refuses a second filter of the same name, ignoring case, on create and on rename', async () => {
    const a = await create({ name: 'Home', query: '#home' });
    const taken = await api('POST', '/filters', { name: 'HOME', query: 'p1' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('FILTER_NAME_TAKEN');
    const b = await create({ name: 'Garden', query: '#garden' });
    const rename = await api('PATCH', `/filters/${b.id}`, { name: 'home' });
    expect(rename.status).toBe(409);
    expect(rename.body.error.code).toBe('FILTER_NAME_TAKEN');
    // renaming to its own name in another case is fine
    expect((await api('PATCH', `/filters/${a.id}`, { name: 'HOME' })).body.name).toBe('HOME');
    // another user may use the same name
    expect((await api('POST', '/filters', { name: 'Home', query: 'p1' }, other)).status).toBe(201);
  });

  it('answers a syntax error in the query with 400 INVALID_FILTER and its position, and stores nothing', async () => {
    const before = await names();
    const res = await api('POST', '/filters', { name: 'Broken', query: 'p1 & (today | ' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_FILTER');
    expect(res.body.error.details).toMatchObject({ position: 14 });
    expect(res.body.error.message).toContain('position 14');
    const unknown = await api('POST', '/filters', { name: 'Broken', query: 'p1 & banana' });
    expect(unknown.body.error.details).toMatchObject({ position: 5, found: '"banana"' });

    const f = await create({ name: 'Fine', query: 'today' });
    const patch = await api('PATCH', `/filters/${f.id}`, { query: 'due before: someday' });
    expect(patch.status).toBe(400);
    expect(patch.body.error.details).toMatchObject({ position: 12 });
    expect((await api('GET', '/filters')).body.items.find((x: FilterJson) => x.id === f.id).query).toBe(
      'today',
    );
    expect(await names()).toEqual([...before, 'Fine']);
  });

  it('validates bodies strictly, with length limits', async () => {
    const cases: [string, string, unknown][] = [
      ['POST', '/filters', { name: 'x', query: 'today', color: 'red' }],
      ['POST', '/filters', { name: '   ', query: 'today' }],
      ['POST', '/filters', { name: 'x'.repeat(limits.savedFilterNameMax + 1), query: 'today' }],
      ['POST', '/filters', { name: 'x', query: '  ' }],
      ['POST', '/filters', { name: 'x', query: `#${'a'.repeat(2000)}` }],
      ['POST', '/filters', { name: 'x' }],
      ['POST', '/filters', { name: 'x', query: 'today', position: -1 }],
      ['POST', '/filters', { name: 'x', query: 'today', position: 1.5 }],
      ['PATCH', '/filters/not-a-uuid', { name: 'x' }],
    ];
    for (const [method, url, body] of cases) {
      const res = await api(method, url, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code, JSON.stringify(body)).toBe('VALIDATION_FAILED');
    }
    const f = await create({ name: 'Strict', query: 'today' });
    expect((await api('PATCH', `/filters/${f.id}`, { id: 'x' })).status).toBe(400);
    expect((await api('PATCH', `/filters/${f.id}`, { name: 'x'.repeat(101) })).status).toBe(400);
    const longest = await create({ name: 'y'.repeat(limits.savedFilterNameMax), query: 'today' });
    expect(longest.name).toHaveLength(limits.savedFilterNameMax);
  });

  it("keeps every user's filters to themselves: another user's id answers 404 and changes nothing", async () => {
    const mine = await create({ name: 'Private', query: '#secret' });
    expect(await names(other)).not.toContain('Private');
    expect((await api('PATCH', `/filters/${mine.id}`, { name: 'pwned' }, other)).status).toBe(404);
    expect((await api('PATCH', `/filters/${mine.id}`, { position: 0 }, other)).body.error.code).toBe(
      'FILTER_NOT_FOUND',
    );
    expect((await api('DELETE', `/filters/${mine.id}`, undefined, other)).status).toBe(404);
    const after = (await api('GET', '/filters')).body.items.find((x: FilterJson) => x.id === mine.id);
    expect(after).toMatchObject({ name: 'Private', query: '#secret' });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/filters' })).statusCode).toBe(401);
  });

  it(`keeps at most ${limits.savedFiltersMax} filters per user, also under concurrent creates`, async () => {
    const heavy = await t.signUp();
    for (let i = 0; i < limits.savedFiltersMax - 3; i++)
      await create({ name: `F${i}`, query: 'today' }, heavy);
    const burst = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        api('POST', '/filters', { name: `Burst ${i}`, query: 'p1' }, heavy),
      ),
    );
    expect(burst.map((r) => r.status).sort()).toEqual([201, 201, 201, 409, 409, 409]);
    expect(burst.find((r) => r.status === 409)!.body.error.code).toBe('FILTER_LIMIT_REACHED');
    expect(await names(heavy)).toHaveLength(limits.savedFiltersMax);
    // deleting one makes room again
    const first = (await api('GET', '/filters', undefined, heavy)).body.items[0];
    expect((await api('DELETE', `/filters/${first.id}`, undefined, heavy)).status).toBe(204);
    expect((await api('POST', '/filters', { name: 'Room', query: 'p2' }, heavy)).status).toBe(201);
  });

  it("goes with the user's account", async () => {
    const gone = await t.signUp();
    await create({ name: 'Mine', query: 'today' }, gone);
    const { db } = t.infra.database;
    await db.delete(users).where(eq(users.id, gone.id));
    const [row] = await db
      .select({ count: sql<number>`count(*)::int` })
      .from(savedFilters)
      .where(eq(savedFilters.userId, gone.id));
    expect(row?.count).toBe(0);
  });
});
