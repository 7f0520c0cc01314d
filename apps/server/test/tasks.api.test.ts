import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../src/infra/db/schema.ts';
import { createTestApp, type TestApp, type TestUser } from './helpers/test-app.ts';

let t: TestApp;
let u: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  u = await t.signUp({ timeZone: 'Europe/Paris' });
});
afterAll(() => t.close());

async function api(method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) {
  const res = await t.app.inject({
    method: method as 'GET',
    url: `/api/v1${url}`,
    headers: { ...u.headers, ...headers },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return { status: res.statusCode, body: res.body ? res.json() : undefined };
}

describe('tasks CRUD', () => {
  it('creates a task with normalised tags and a local due date read in the given zone', async () => {
    const res = await api('POST', '/tasks', {
      title: '  Buy groceries  ',
      tags: ['#Shop', ' errands ', 'shop'],
      priority: 'high',
      due: { at: '2027-03-28T09:30', tz: 'Europe/Berlin' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      title: 'Buy groceries',
      tags: ['shop', 'errands'],
      priority: 'high',
      status: 'open',
      version: 1,
      // 2027-03-28 is the spring-forward day in Berlin: 09:30 is already CEST (+02:00)
      due: {
        at: '2027-03-28T07:30:00.000Z',
        tz: 'Europe/Berlin',
        all_day: false,
        local: '2027-03-28T09:30:00',
      },
    });
  });

  it("defaults the due zone to the user's and keeps instants as given", async () => {
    const local = await api('POST', '/tasks', { title: 'a', due: { at: '2027-01-10T08:00' } });
    expect(local.body.due).toMatchObject({ at: '2027-01-10T07:00:00.000Z', tz: 'Europe/Paris' });
    const instant = await api('POST', '/tasks', {
      title: 'b',
      due: { at: '2027-01-10T08:00:00Z', tz: 'America/New_York' },
    });
    expect(instant.body.due).toMatchObject({ at: '2027-01-10T08:00:00.000Z', local: '2027-01-10T03:00:00' });
    const allDay = await api('POST', '/tasks', { title: 'c', due: { at: '2027-01-10' } });
    expect(allDay.body.due).toMatchObject({
      all_day: true,
      local: '2027-01-10',
      at: '2027-01-09T23:00:00.000Z',
    });
  });

  it('refuses due dates outside years 0001–9999 with a 400, not a database error', async () => {
    for (const at of [
      '0000-01-01',
      '9999-12-31T23:00:00-05:00',
      '-000001-06-01T00:00:00Z',
      '+010000-01-01T00:00:00Z',
    ]) {
      const res = await api('POST', '/tasks', { title: 'far', due: { at, tz: 'UTC' } });
      expect(res.status, at).toBe(400);
      expect(res.body.error.details[0].path).toBe('body.due.at');
    }
    const edge = await api('POST', '/tasks', { title: 'edge', due: { at: '9999-12-01', tz: 'UTC' } });
    expect(edge.status).toBe(201);
    expect(edge.body.due.local).toBe('9999-12-01');
  });

  it('rejects invalid input with every bad field named', async () => {
    const res = await api('POST', '/tasks', { title: '', priority: 'huge', tags: 'x', extra: 1 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const paths = res.body.error.details.map((d: { path: string }) => d.path).join(' ');
    expect(paths).toContain('title');
    expect(paths).toContain('priority');
    const tz = await api('POST', '/tasks', {
      title: 'x',
      due: { at: '2027-01-01T10:00', tz: 'Mars/Olympus' },
    });
    expect(tz.status).toBe(400);
    expect(tz.body.error.code).toBe('INVALID_TIME_ZONE');
    const at = await api('POST', '/tasks', { title: 'x', due: { at: 'next tuesday' } });
    expect(at.status).toBe(400);
    const long = await api('POST', '/tasks', { title: 'x'.repeat(501) });
    expect(long.status).toBe(400);
  });

  it('updates partially, bumps the version and honours If-Match', async () => {
    const created = (await api('POST', '/tasks', { title: 'Draft report', description: 'v1' })).body;
    const patched = await api(
      'PATCH',
      `/tasks/${created.id}`,
      { title: 'Final report' },
      { 'if-match': '1' },
    );
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ title: 'Final report', description: 'v1', version: 2 });
    const stale = await api('PATCH', `/tasks/${created.id}`, { title: 'Stale' }, { 'if-match': '1' });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe('VERSION_MISMATCH');
    expect((await api('GET', `/tasks/${created.id}`)).body.title).toBe('Final report');
    const cleared = await api('PATCH', `/tasks/${created.id}`, { due: { at: '2027-05-01T10:00' } });
    expect(cleared.body.due.local).toBe('2027-05-01T10:00:00');
    expect((await api('PATCH', `/tasks/${created.id}`, { due: null })).body.due).toBeNull();
    const bad = await api('PATCH', `/tasks/${created.id}`, { title: 'x' }, { 'if-match': 'abc' });
    expect(bad.status).toBe(400);
  });

  it('completes, reopens, trashes and restores', async () => {
    const { id } = (await api('POST', '/tasks', { title: 'Lifecycle' })).body;
    const done = await api('POST', `/tasks/${id}/complete`);
    expect(done.body).toMatchObject({ status: 'completed' });
    expect(done.body.completed_at).not.toBeNull();
    expect((await api('POST', `/tasks/${id}/reopen`)).body).toMatchObject({
      status: 'open',
      completed_at: null,
    });
    expect((await api('DELETE', `/tasks/${id}`)).status).toBe(204);
    expect((await api('GET', `/tasks/${id}`)).body.deleted_at).not.toBeNull();
    const trash = await api('GET', '/tasks?status=trash');
    expect(trash.body.items.map((x: { id: string }) => x.id)).toContain(id);
    const open = await api('GET', '/tasks?limit=200');
    expect(open.body.items.map((x: { id: string }) => x.id)).not.toContain(id);
    expect((await api('PATCH', `/tasks/${id}`, { title: 'x' })).status).toBe(404);
    expect((await api('POST', `/tasks/${id}/restore`)).body.deleted_at).toBeNull();
  });

  it('appends one CloudEvent per write to the outbox, in the same order', async () => {
    const { id } = (await api('POST', '/tasks', { title: 'Evented' })).body;
    await api('PATCH', `/tasks/${id}`, { priority: 'urgent' });
    await api('POST', `/tasks/${id}/complete`);
    await api('POST', `/tasks/${id}/complete`); // no-op: already completed, no event
    await api('POST', `/tasks/${id}/reopen`);
    await api('DELETE', `/tasks/${id}`);
    await api('POST', `/tasks/${id}/restore`);
    const rows = await t.infra.database.db.select().from(outbox).orderBy(asc(outbox.seq));
    const mine = rows.filter(
      (r) => r.topic === 'task-events' && (r.event as { subject?: string }).subject === id,
    );
    expect(mine.map((r) => (r.event as { type: string }).type)).toEqual([
      'task.created',
      'task.updated',
      'task.completed',
      'task.reopened',
      'task.deleted',
      'task.restored',
    ]);
    const updated = mine[1]!.event as {
      specversion: string;
      id: string;
      traceparent: string;
      data: {
        event_id: string;
        user_id: string;
        version: number;
        payload: { task: { priority: string }; changes: unknown[] };
      };
    };
    expect(updated.specversion).toBe('1.0');
    expect(updated.data.event_id).toBe(updated.id);
    expect(updated.data.user_id).toBe(u.id);
    expect(updated.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(updated.data.payload.task.priority).toBe('urgent');
    expect(updated.data.payload.changes).toEqual([{ field: 'priority', before: 'none', after: 'urgent' }]);
    expect(mine.every((r) => r.topic === 'task-events' && r.partitionKey === u.id)).toBe(true);
  });

  it('carries the caller traceparent into the event', async () => {
    const tp = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const { id } = (await api('POST', '/tasks', { title: 'Traced' }, { traceparent: tp })).body;
    const [row] = await t.infra.database.db
      .select()
      .from(outbox)
      .where(eq(outbox.partitionKey, u.id))
      .orderBy(asc(outbox.seq));
    expect(row).toBeDefined();
    const all = await t.infra.database.db.select().from(outbox);
    const ev = all.find((r) => (r.event as { subject?: string }).subject === id)!.event as {
      traceparent: string;
    };
    expect(ev.traceparent).toBe(tp);
  });
});

describe('listing, search, filters, sort and cursor', () => {
  let v: TestUser;
  const asV = (url: string) =>
    t.app
      .inject({ method: 'GET', url: `/api/v1${url}`, headers: v.headers })
      .then((r) => ({ status: r.statusCode, body: r.json() }));
  const titles = (b: { items: { title: string }[] }) => b.items.map((x) => x.title);

  beforeAll(async () => {
    v = await t.signUp({ timeZone: 'UTC' });
    const mk = (body: object) =>
      t.app.inject({ method: 'POST', url: '/api/v1/tasks', headers: v.headers, payload: body as object });
    await mk({
      title: 'Buy groceries for the week',
      tags: ['shopping', 'home'],
      priority: 'medium',
      due: { at: '2020-01-01T10:00:00Z' },
    });
    await mk({
      title: 'Call the plumber',
      description: 'kitchen sink leaks',
      tags: ['home'],
      priority: 'urgent',
      due: { at: '2099-01-01T10:00:00Z' },
    });
    await mk({ title: 'Write quarterly report', tags: ['work'], priority: 'high' });
    await mk({
      title: 'Groom the dog',
      tags: ['pets', 'home'],
      priority: 'low',
      due: { at: '2099-06-01T10:00:00Z' },
    });
    await mk({ title: 'Pay rent', tags: ['money'], priority: 'urgent', due: { at: '2021-05-01' } });
  });

  it('default sort: due ascending with no date last, then priority descending', async () => {
    const res = await asV('/tasks');
    expect(titles(res.body)).toEqual([
      'Buy groceries for the week',
      'Pay rent',
      'Call the plumber',
      'Groom the dog',
      'Write quarterly report',
    ]);
  });

  it('searches full text with the last word as a prefix, and tolerates typos', async () => {
    expect(titles((await asV('/tasks?q=gro')).body).sort()).toEqual([
      'Buy groceries for the week',
      'Groom the dog',
    ]);
    expect(titles((await asV('/tasks?q=groceries')).body)).toEqual(['Buy groceries for the week']);
    expect(titles((await asV('/tasks?q=grocries')).body)).toEqual(['Buy groceries for the week']);
    expect(titles((await asV('/tasks?q=sink')).body)).toEqual(['Call the plumber']);
    expect(titles((await asV('/tasks?q=pets')).body)).toEqual(['Groom the dog']);
    expect(titles((await asV(`/tasks?q=${encodeURIComponent('home -dog')}`)).body).sort()).toEqual([
      'Buy groceries for the week',
      'Call the plumber',
    ]);
    expect((await asV(`/tasks?q=${encodeURIComponent('"unterminated & | ! :*')}`)).status).toBe(200);
  });

  it('matches a finished word exactly while that fills a page; the prefix only joins when it does not', async () => {
    const w = await t.signUp({ timeZone: 'UTC' });
    const get = (url: string) =>
      t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: w.headers }).then((r) => r.json());
    const mk = (title: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/tasks', headers: w.headers, payload: { title } });
    await mk('Invoiceninja export'); // a word that only starts with "invoice"
    for (let i = 0; i < 3; i++) await mk(`Send invoice ${i}`);
    // 3 whole-word matches don't fill a page of 3+: the prefix runs too and adds the longer word
    expect(titles(await get('/tasks?q=invoice&limit=10')).sort()).toEqual([
      'Invoiceninja export',
      'Send invoice 0',
      'Send invoice 1',
      'Send invoice 2',
    ]);
    // a full page of whole-word matches: only those, and the next page continues in the same mode
    const first = await get('/tasks?q=invoice&limit=2');
    expect(titles(first).every((x) => x.startsWith('Send invoice'))).toBe(true);
    const second = await get(`/tasks?q=invoice&limit=2&cursor=${first.next_cursor}`);
    expect(titles(second)).toHaveLength(1);
    expect(titles(second)[0]).toMatch(/^Send invoice/);
    expect(second.next_cursor).toBeNull();
    // a word still being typed has no whole-word match: the prefix finds it
    expect(titles(await get('/tasks?q=invoicen'))).toEqual(['Invoiceninja export']);
    // a cursor naming an unknown search mode is refused like any forged cursor
    const forged = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(first.next_cursor, 'base64url').toString()),
        mode: 'regex',
      }),
    ).toString('base64url');
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/tasks?q=invoice&limit=2&cursor=${forged}`,
      headers: w.headers,
    });
    expect(res.statusCode).toBe(400);
  });

  it('filters by priority, tags (any / all), due range, overdue and has_due', async () => {
    expect(titles((await asV('/tasks?priority=urgent,high&sort=title')).body)).toEqual([
      'Call the plumber',
      'Pay rent',
      'Write quarterly report',
    ]);
    expect(titles((await asV('/tasks?tag=home&tag=pets&tag_mode=all')).body)).toEqual(['Groom the dog']);
    expect((await asV('/tasks?tag=home&tag=money')).body.items).toHaveLength(4);
    expect(titles((await asV('/tasks?overdue=true&sort=-priority')).body)).toEqual([
      'Pay rent',
      'Buy groceries for the week',
    ]);
    expect(titles((await asV('/tasks?has_due=false')).body)).toEqual(['Write quarterly report']);
    expect(titles((await asV('/tasks?due_after=2050-01-01&due_before=2099-03-01')).body)).toEqual([
      'Call the plumber',
    ]);
    expect((await asV('/tasks?priority=huge')).status).toBe(400);
    expect((await asV('/tasks?due_before=soon')).status).toBe(400);
  });

  it('pages with an opaque cursor that stays stable while tasks are added', async () => {
    const first = await asV('/tasks?limit=2&sort=title');
    expect(titles(first.body)).toEqual(['Buy groceries for the week', 'Call the plumber']);
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      headers: v.headers,
      payload: { title: 'Aardvark first' },
    });
    const second = await asV(`/tasks?limit=2&sort=title&cursor=${first.body.next_cursor}`);
    expect(titles(second.body)).toEqual(['Groom the dog', 'Pay rent']);
    const third = await asV(`/tasks?limit=2&sort=title&cursor=${second.body.next_cursor}`);
    expect(titles(third.body)).toEqual(['Write quarterly report']);
    expect(third.body.next_cursor).toBeNull();
    const forged = Buffer.from(
      JSON.stringify({ sig: '["title",""]', values: ["x'; drop table tasks;--", 'y'] }),
    ).toString('base64url');
    expect((await asV(`/tasks?sort=title&cursor=${forged}`)).status).toBe(400);
    expect((await asV('/tasks?cursor=garbage')).status).toBe(400);
    expect((await asV(`/tasks?sort=-title&cursor=${first.body.next_cursor}`)).status).toBe(400);
  });

  it('pages through every sort key without gaps or repeats', async () => {
    for (const sort of ['due', '-due', 'priority,-created', '-updated', 'status,title', 'created']) {
      const all = titles((await asV(`/tasks?limit=200&sort=${sort}`)).body);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const res: { body: { items: { title: string }[]; next_cursor: string | null } } = await asV(
          `/tasks?limit=2&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`,
        );
        paged.push(...titles(res.body));
        cursor = res.body.next_cursor;
      } while (cursor);
      expect(paged).toEqual(all);
    }
  });

  it('counts tags and manages lists with a protected Inbox', async () => {
    const tags = (await asV('/tags')).body.items;
    expect(tags[0]).toEqual({ tag: 'home', count: 3 });
    const lists = (await asV('/lists')).body.items;
    expect(lists[0]).toMatchObject({ name: 'Inbox', is_inbox: true });
    const inj = (method: string, url: string, payload?: object) =>
      t.app.inject({
        method: method as 'POST',
        url: `/api/v1${url}`,
        headers: v.headers,
        ...(payload ? { payload } : {}),
      });
    const created = await inj('POST', '/lists', { name: 'Errands' });
    expect(created.statusCode).toBe(201);
    expect((await inj('POST', '/lists', { name: 'errands' })).statusCode).toBe(409);
    const listId = created.json().id;
    const task = (await inj('POST', '/tasks', { title: 'In a list', list_id: listId })).json();
    expect(task.list_id).toBe(listId);
    expect((await asV(`/tasks?list_id=${listId}`)).body.items).toHaveLength(1);
    expect((await inj('PATCH', `/lists/${listId}`, { name: 'Chores' })).json().name).toBe('Chores');
    expect((await inj('DELETE', `/lists/${lists[0].id}`)).statusCode).toBe(409);
    expect((await inj('DELETE', `/lists/${listId}`)).statusCode).toBe(204);
    expect((await asV(`/tasks/${task.id}`)).body.list_id).toBe(lists[0].id);
  });
});
