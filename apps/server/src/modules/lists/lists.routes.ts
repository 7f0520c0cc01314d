import { DomainError, limits } from '@taskstream/core';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../infra/clock/clock.ts';
import type { Db } from '../../infra/db/db.ts';
import { isUniqueViolation } from '../../infra/db/pg-errors.ts';
import { lists } from '../../infra/db/schema.ts';
import { currentUser } from '../../plugins/authenticate.ts';
import { errors, instant, json, noContent } from '../../plugins/openapi.responses.ts';
import { writeContext } from '../tasks/tasks.routes.ts';
import type { TasksService } from '../tasks/tasks.service.ts';
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

const listSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    position: z.number().int(),
    is_inbox: z.boolean().describe('every user has one Inbox; it cannot be renamed or deleted'),
    open_count: z.number().int().describe('open tasks in the list (trash excluded)'),
    created_at: instant(),
    updated_at: instant(),
  })
  .meta({
    id: 'List',
    description: 'A list of tasks',
    examples: [
      {
        id: '7d1c2a4e-9b1f-4c55-8f0e-2a3b4c5d6e7f',
        name: 'Inbox',
        position: 0,
        is_inbox: true,
        open_count: 3,
        created_at: '2026-11-29T18:00:00.000Z',
        updated_at: '2026-11-29T18:00:00.000Z',
      },
    ],
  });
const listCollection = z.object({ items: z.array(listSchema) });

type ListRow = typeof lists.$inferSelect;
const toListDto = (l: ListRow, open = 0): z.output<typeof listSchema> => ({
  id: l.id,
  name: l.name,
  position: l.position,
  is_inbox: l.isInbox,
  open_count: open,
  created_at: l.createdAt.toISOString(),
  updated_at: l.updatedAt.toISOString(),
});

export async function listsRoutes(app: FastifyInstance, opts: { db: Db; clock: Clock; tasks: TasksService }) {
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
    {
      schema: {
        tags,
        operationId: 'listLists',
        summary: "The user's lists, Inbox first, with open task counts",
        response: { 200: json(listCollection, 'Every list of the user'), ...errors(400, 401) },
      },
    },
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
    {
      schema: {
        tags,
        operationId: 'createList',
        summary: 'Create a list',
        body: createListBody,
        response: { 201: json(listSchema, 'The created list'), ...errors(400, 401, 409) },
      },
    },
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
    {
      schema: {
        tags,
        operationId: 'updateList',
        summary: 'Rename or move a list',
        params: listParams,
        body: updateListBody,
        response: { 200: json(listSchema, 'The list after the change'), ...errors(400, 401, 404, 409) },
      },
    },
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
    {
      schema: {
        tags,
        operationId: 'deleteList',
        summary: 'Delete a list; its tasks move to the Inbox',
        params: listParams,
        response: { 204: noContent('Deleted'), ...errors(400, 401, 404, 409) },
      },
    },
    async (req, reply) => {
      await opts.tasks.deleteList(writeContext(req), req.params.id);
      return reply.code(204).send();
    },
  );
}
