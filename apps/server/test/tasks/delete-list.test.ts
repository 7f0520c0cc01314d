import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/infra/db/schema.ts';
import type { CloudEvent } from '../../src/infra/events/cloud-event.ts';
import { createTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';
import { testDatabaseUrl } from '../helpers/test-db.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function call(u: TestUser, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) {
  const res = await t.app.inject({ method, url: `/api/v1${url}`, headers: u.headers, payload });
  return { status: res.statusCode, body: res.body ? res.json() : undefined };
}

async function newList(u: TestUser, name: string): Promise<string> {
  const res = await call(u, 'POST', '/lists', { name });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function inboxOf(u: TestUser): Promise<string> {
  const res = await call(u, 'GET', '/lists');
  return res.body.items.find((l: { is_inbox: boolean }) => l.is_inbox).id;
}

/** `task.updated` events of one task that changed its list, as (from, to). */
async function listMoves(taskId: string) {
  const rows = await t.infra.database.db
    .select({ event: outbox.event })
    .from(outbox)
    .where(
      and(
        eq(outbox.topic, 'task-events'),
        sql`${outbox.event}->>'type' = 'task.updated'`,
        sql`${outbox.event}->>'subject' = ${taskId}`,
      ),
    );
  return rows.flatMap(({ event }) =>
    (
      event as CloudEvent<{ changes: { field: string; before: unknown; after: unknown }[] }>
    ).data.payload.changes
      .filter((c) => c.field === 'list_id')
      .map((c) => ({ from: c.before, to: c.after })),
  );
}

describe('deleting a list', () => {
  it('moves its tasks (trashed ones too) to the Inbox as task changes with their events', async () => {
    const u = await t.signUp();
    const inbox = await inboxOf(u);
    const listId = await newList(u, 'Errands');
    const ids: string[] = [];
    for (const title of ['milk', 'stamps', 'old receipt']) {
      const res = await call(u, 'POST', '/tasks', { title, list_id: listId });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    expect((await call(u, 'DELETE', `/tasks/${ids[2]}`)).status).toBe(204);

    expect((await call(u, 'DELETE', `/lists/${listId}`)).status).toBe(204);

    for (const id of ids) {
      const task = await call(u, 'GET', `/tasks/${id}`);
      expect(task.body.list_id).toBe(inbox);
      expect(await listMoves(id)).toEqual([{ from: listId, to: inbox }]);
    }
    const trashed = await call(u, 'GET', `/tasks/${ids[2]}`);
    expect(trashed.body.deleted_at).not.toBeNull();
    // version: 1 at create, 2 when trashed, 3 when moved
    expect(trashed.body.version).toBe(3);
    const lists = await call(u, 'GET', '/lists');
    expect(lists.body.items.map((l: { id: string }) => l.id)).not.toContain(listId);
    expect((await call(u, 'DELETE', `/lists/${listId}`)).status).toBe(404);
  });

  it("refuses the Inbox and another user's list, changing nothing", async () => {
    const u = await t.signUp();
    const other = await t.signUp();
    const inbox = await inboxOf(u);
    const listId = await newList(u, 'Mine');
    const kept = await call(u, 'POST', '/tasks', { title: 'stays', list_id: listId });
    expect((await call(u, 'DELETE', `/lists/${inbox}`)).status).toBe(409);
    expect((await call(other, 'DELETE', `/lists/${listId}`)).status).toBe(404);
    expect((await call(u, 'GET', `/tasks/${kept.body.id}`)).body.list_id).toBe(listId);
    expect(await listMoves(kept.body.id)).toEqual([]);
  });
});

describe.skipIf(!testDatabaseUrl)('deleting a list while tasks are created in it (PostgreSQL)', () => {
  it('answers each create 201 (and moves its task) or 404, never 500, and leaves nothing behind', async () => {
    const u = await t.signUp();
    const inbox = await inboxOf(u);
    const statuses = new Set<number>();
    for (let round = 0; round < 10; round++) {
      const listId = await newList(u, `Race ${round}`);
      const creates = Array.from({ length: 8 }, (_, i) =>
        call(u, 'POST', '/tasks', { title: `race ${round}.${i}`, list_id: listId }),
      );
      // the delete starts once one create has landed, while the others are still on their way
      await Promise.race(creates);
      const [deleted, ...created] = await Promise.all([call(u, 'DELETE', `/lists/${listId}`), ...creates]);
      expect(deleted.status).toBe(204);
      for (const c of created) {
        statuses.add(c.status);
        expect([201, 404]).toContain(c.status);
        if (c.status === 201) {
          expect((await call(u, 'GET', `/tasks/${c.body.id}`)).body.list_id).toBe(inbox);
        } else {
          expect(c.body.error.code).toBe('LIST_NOT_FOUND');
        }
      }
    }
    expect(statuses.has(201)).toBe(true);
  });
});
