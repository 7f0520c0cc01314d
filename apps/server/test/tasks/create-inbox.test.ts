import { DomainError } from '@taskstream/core';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lists, outbox, tasks, users } from '../../src/infra/db/schema.ts';
import { InboxIds } from '../../src/modules/lists/inbox-ids.ts';
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function post(u: TestUser, payload: object) {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/tasks', headers: u.headers, payload });
  return { status: res.statusCode, body: res.json() };
}

async function inboxOf(userId: string): Promise<string | undefined> {
  const [row] = await t.infra.database.db
    .select({ id: lists.id })
    .from(lists)
    .where(and(eq(lists.userId, userId), eq(lists.isInbox, true)));
  return row?.id;
}

/** What a database that lost a user's Inbox looks like (tasks first: they reference the list). */
async function dropInbox(userId: string) {
  const db = t.infra.database.db;
  await db.delete(tasks).where(eq(tasks.userId, userId));
  await db.delete(lists).where(and(eq(lists.userId, userId), eq(lists.isInbox, true)));
}

describe('a create without list_id goes to the Inbox (the Inbox id is remembered per user)', () => {
  it("keeps every user's creates in that user's own Inbox, cold and warm, interleaved", async () => {
    const a = await t.signUp();
    const b = await t.signUp();
    const inboxA = await inboxOf(a.id);
    const inboxB = await inboxOf(b.id);
    expect(inboxA).toBeDefined();
    expect(inboxB).not.toBe(inboxA);
    for (const [u, inbox] of [
      [a, inboxA],
      [b, inboxB],
      [a, inboxA],
      [b, inboxB],
    ] as const) {
      const res = await post(u, { title: 'to the inbox' });
      expect(res.status).toBe(201);
      expect(res.body.list_id).toBe(inbox);
    }
    const listed = await t.app.inject({ method: 'GET', url: '/api/v1/lists', headers: b.headers });
    const inbox = listed.json().items.find((l: { is_inbox: boolean }) => l.is_inbox);
    expect(inbox).toMatchObject({ id: inboxB, open_count: 2 });
  });

  it('still honours an explicit list_id once the Inbox id is known', async () => {
    const u = await t.signUp();
    await post(u, { title: 'warm' });
    const list = await t.app.inject({
      method: 'POST',
      url: '/api/v1/lists',
      headers: u.headers,
      payload: { name: 'Work' },
    });
    const res = await post(u, { title: 'elsewhere', list_id: list.json().id });
    expect(res.body.list_id).toBe(list.json().id);
  });

  it('a remembered Inbox that no longer exists is looked up again: the task lands in the new Inbox', async () => {
    const u = await t.signUp();
    const old = await post(u, { title: 'remembers the Inbox' });
    await dropInbox(u.id);
    const res = await post(u, { title: 'after the Inbox went away' });
    expect(res.status).toBe(201);
    const fresh = await inboxOf(u.id);
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(old.body.list_id);
    expect(res.body.list_id).toBe(fresh);
    // the event describes the task that was committed, once
    const events = await t.infra.database.db
      .select({ event: outbox.event })
      .from(outbox)
      .where(sql`${outbox.event}->>'subject' = ${res.body.id}`);
    const listIds = events.map(
      (e) => (e.event as { data: { payload: { task: { list_id: string } } } }).data.payload.task.list_id,
    );
    expect(listIds).toEqual([fresh, fresh]); // task-events and task-updates, once each
  });

  it('an Inbox made by a create that rolled back is not used afterwards', async () => {
    const u = await t.signUp();
    await dropInbox(u.id);
    // a write hook failing after the insert: the create's transaction, with the Inbox it made, rolls back
    t.app.services.tasks.onWrite(async (_tx, { after }) => {
      if (after.title === 'fails after the insert') throw new Error('injected');
    });
    expect((await post(u, { title: 'fails after the insert' })).status).toBe(500);
    expect(await inboxOf(u.id)).toBeUndefined();
    const res = await post(u, { title: 'after the rollback' });
    expect(res.status).toBe(201);
    expect(res.body.list_id).toBe(await inboxOf(u.id));
  });

  it('an account deleted while its create runs gets 401, not a server error and not a new Inbox', async () => {
    const u = await t.signUp();
    await post(u, { title: 'remembers the Inbox' });
    const ctx = { user: { id: u.id, timeZone: 'UTC', client: 'api' as const }, traceparent: '' };
    await t.infra.database.db.delete(users).where(eq(users.id, u.id));
    const err = await t.app.services.tasks.create(ctx, { title: 'too late' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('UNAUTHENTICATED');
    expect(await inboxOf(u.id)).toBeUndefined();
  });
});

describe('InboxIds', () => {
  it('holds at most its capacity, dropping the least recently used user first', async () => {
    const db = t.infra.database.db;
    const [a, b, c] = [await t.signUp(), await t.signUp(), await t.signUp()];
    const ids = new InboxIds(2);
    const a1 = await ids.get(db, a.id);
    const b1 = await ids.get(db, b.id);
    await ids.get(db, a.id); // a is now more recent than b
    await ids.get(db, c.id); // over capacity: b goes
    for (const u of [a, b, c]) await dropInbox(u.id);
    // a remembered id comes back as it was; a forgotten one is looked up (and the Inbox made again)
    expect(await ids.get(db, a.id)).toBe(a1);
    const b2 = await ids.get(db, b.id);
    expect(b2).not.toBe(b1);
    expect(b2).toBe(await inboxOf(b.id));
  });
});
