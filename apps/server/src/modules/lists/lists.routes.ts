import { DomainError, limits } from '@taskstream/core';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../infra/clock/clock.ts';
import type { Db } from '../../infra/db/db.ts';
import { lists, tasks } from '../../infra/db/schema.ts';
import { currentUser } from '../../plugins/authenticate.ts';
import { ensureInbox } from './lists.repository.ts';

const listParams = z.object({ id: z.uuid({ message: 'must be a list id (uuid)' }) });
const createListBody = z
  .object({
    name: z.string().trim().min(1).max(limits.listNameMax),
    position: z.number().int().min(0).max(1_000_000).optional(),
  })
  .strict();
const updateListBody = z
  .object({
    name: z.string().trim().min(1).max(limits.listNameMax).optional(),
    position: z.number().int().min(0).max(1_000_000).optional(),
  })
  .strict();

type ListRow = typeof lists.$inferSelect;
const toListDto = (l: ListRow, open = 0) => ({
  id: l.id,
  name: l.name,
  position: l.position,
  is_inbox: l.isInbox,
  open_count: open,
  created_at: l.createdAt.toISOString(),
  updated_at: l.updatedAt.toISOString(),
});

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code === '23505' || e?.cause?.code === '23505';
}

export async function listsRoutes(app: FastifyInstance, opts: { db: Db; clock: Clock }) {
  const { db, clock } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['lists'];
  r.addHook('preHandler', app.requireUser);

  async function owned(userId: string, id: string): Promise<ListRow> {
    const [row] = await db
      .select()
      .from(lists)
      .where(and(eq(lists.id, id), eq(lists.userId, userId)))
      .limit(1);
    if (!row) throw new DomainError('LIST_NOT_FOUND');
    return row;
  }

  r.get(
    '/lists',
    { schema: { tags, summary: "The user's lists, Inbox first, with open task counts" } },
    async (req) => {
      const user = currentUser(req);
      await ensureInbox(db, user.id);
      const rows = await db
        .select({
          list: lists,
          // qualified by hand: inside a subquery Drizzle would print bare column names
          open: sql<number>`(select count(*)::int from tasks t where t.list_id = ${lists}.id and t.status = 'open' and t.deleted_at is null)`,
        })
        .from(lists)
        .where(eq(lists.userId, user.id))
        .orderBy(sql`${lists.isInbox} desc`, asc(lists.position), asc(lists.createdAt));
      return { items: rows.map((r) => toListDto(r.list, r.open)) };
    },
  );

  r.post(
    '/lists',
    { schema: { tags, summary: 'Create a list', body: createListBody } },
    async (req, reply) => {
      const user = currentUser(req);
      try {
        const [row] = await db
          .insert(lists)
          .values({ userId: user.id, name: req.body.name, position: req.body.position ?? 0 })
          .returning();
        return reply.code(201).send(toListDto(row!));
      } catch (err) {
        if (isUniqueViolation(err)) throw new DomainError('LIST_NAME_TAKEN');
        throw err;
      }
    },
  );

  r.patch(
    '/lists/:id',
    { schema: { tags, summary: 'Rename or move a list', params: listParams, body: updateListBody } },
    async (req) => {
      const user = currentUser(req);
      const list = await owned(user.id, req.params.id);
      if (list.isInbox && req.body.name !== undefined && req.body.name !== list.name) {
        throw new DomainError('CONFLICT', 'The Inbox cannot be renamed');
      }
      try {
        const [row] = await db
          .update(lists)
          .set({ ...req.body, updatedAt: clock.now() })
          .where(and(eq(lists.id, list.id), eq(lists.userId, user.id)))
          .returning();
        return toListDto(row!);
      } catch (err) {
        if (isUniqueViolation(err)) throw new DomainError('LIST_NAME_TAKEN');
        throw err;
      }
    },
  );

  r.delete(
    '/lists/:id',
    { schema: { tags, summary: 'Delete a list; its tasks move to the Inbox', params: listParams } },
    async (req, reply) => {
      const user = currentUser(req);
      const list = await owned(user.id, req.params.id);
      if (list.isInbox) throw new DomainError('INBOX_NOT_DELETABLE');
      await db.transaction(async (tx) => {
        const inbox = await ensureInbox(tx, user.id);
        await tx
          .update(tasks)
          .set({ listId: inbox })
          .where(and(eq(tasks.listId, list.id), eq(tasks.userId, user.id)));
        await tx.delete(lists).where(and(eq(lists.id, list.id), eq(lists.userId, user.id)));
      });
      return reply.code(204).send();
    },
  );
}
