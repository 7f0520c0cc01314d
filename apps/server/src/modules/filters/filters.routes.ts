import { DomainError, limits, maxFilterLength, parseFilter } from '@taskstream/core';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../infra/clock/clock.ts';
import type { Db } from '../../infra/db/db.ts';
import { isUniqueViolation } from '../../infra/db/pg-errors.ts';
import { savedFilters, users } from '../../infra/db/schema.ts';
import { type AuthUser, currentUser } from '../../plugins/authenticate.ts';
import { errors, instant, json, noContent } from '../../plugins/openapi.responses.ts';

const filterParams = z.object({ id: z.uuid({ message: 'must be a saved filter id (uuid)' }) });
const name = z.string().trim().min(1).max(limits.savedFilterNameMax);
// not trimmed before parsing, so that a syntax error's position counts in the text the client sent
const query = z
  .string()
  .max(maxFilterLength)
  .refine((q) => q.trim() !== '', 'must not be blank')
  .describe(
    'filter-language text, as `GET /tasks?filter=`, stored trimmed; a syntax error answers 400 INVALID_FILTER with its position',
  );
const position = z.number().int().min(0).max(1_000_000);
const createFilterBody = z
  .object({
    name,
    query,
    position: position.optional().describe('defaults to after the last saved filter'),
  })
  .strict();
const updateFilterBody = z
  .object({ name: name.optional(), query: query.optional(), position: position.optional() })
  .strict();

const filterSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    query: z.string(),
    position: z.number().int(),
    created_at: instant(),
    updated_at: instant(),
  })
  .meta({
    id: 'SavedFilter',
    description: 'A named filter-language query, shown as a view of its own',
    examples: [
      {
        id: '3f0c6a1e-2b4d-4e8f-9a1b-5c6d7e8f9a0b',
        name: 'Work today',
        query: '(today | overdue) & #work',
        position: 0,
        created_at: '2026-11-29T18:00:00.000Z',
        updated_at: '2026-11-29T18:00:00.000Z',
      },
    ],
  });
const filterCollection = z.object({ items: z.array(filterSchema) });

type FilterRow = typeof savedFilters.$inferSelect;
const toFilterDto = (f: FilterRow): z.output<typeof filterSchema> => ({
  id: f.id,
  name: f.name,
  query: f.query,
  position: f.position,
  created_at: f.createdAt.toISOString(),
  updated_at: f.updatedAt.toISOString(),
});

/**
 * Saved filters (`/filters`): a user's named queries, synced across devices. Names are unique per user
 * ignoring case (409 FILTER_NAME_TAKEN); a query is stored only when the filter parser accepts it (the
 * same check as `GET /tasks?filter=`); a user keeps at most `limits.savedFiltersMax` of them.
 */
export async function filtersRoutes(app: FastifyInstance, opts: { db: Db; clock: Clock }) {
  const { db, clock } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['filters'];
  r.addHook('preHandler', app.requireUser);

  /**
   * The query to store, trimmed; throws INVALID_FILTER with the parser's position, as `GET /tasks?filter=`
   * answers.
   */
  function checkedQuery(user: AuthUser, text: string): string {
    parseFilter(text, { now: clock.now(), timeZone: user.timeZone });
    return text.trim();
  }

  r.get(
    '/filters',
    {
      schema: {
        tags,
        operationId: 'listFilters',
        summary: "The user's saved filters, by position",
        response: { 200: json(filterCollection, 'Every saved filter of the user'), ...errors(400, 401) },
      },
    },
    async (req) => {
      const user = currentUser(req);
      const rows = await db
        .select()
        .from(savedFilters)
        .where(eq(savedFilters.userId, user.id))
        .orderBy(asc(savedFilters.position), asc(savedFilters.createdAt), asc(savedFilters.id));
      return { items: rows.map(toFilterDto) };
    },
  );

  r.post(
    '/filters',
    {
      schema: {
        tags,
        operationId: 'createFilter',
        summary: 'Save a filter',
        description: `At most ${limits.savedFiltersMax} saved filters per user (409 FILTER_LIMIT_REACHED).`,
        body: createFilterBody,
        response: { 201: json(filterSchema, 'The saved filter'), ...errors(400, 401, 409) },
      },
    },
    async (req, reply) => {
      const user = currentUser(req);
      const now = clock.now();
      const query = checkedQuery(user, req.body.query);
      try {
        const row = await db.transaction(async (tx) => {
          // the user's row lock serialises this user's creates, so the count below cannot be overtaken
          await tx.select({ id: users.id }).from(users).where(eq(users.id, user.id)).for('no key update');
          const [stats] = await tx
            .select({
              count: sql<number>`count(*)::int`,
              next: sql<number>`coalesce(max(${savedFilters.position}) + 1, 0)::int`,
            })
            .from(savedFilters)
            .where(eq(savedFilters.userId, user.id));
          if (stats!.count >= limits.savedFiltersMax) {
            throw new DomainError(
              'FILTER_LIMIT_REACHED',
              `A user can keep at most ${limits.savedFiltersMax} saved filters`,
            );
          }
          const [inserted] = await tx
            .insert(savedFilters)
            .values({
              userId: user.id,
              name: req.body.name,
              query,
              position: req.body.position ?? Math.min(stats!.next, 1_000_000),
              createdAt: now,
              updatedAt: now,
            })
            .returning();
          return inserted!;
        });
        return reply.code(201).send(toFilterDto(row));
      } catch (err) {
        if (isUniqueViolation(err)) throw new DomainError('FILTER_NAME_TAKEN');
        throw err;
      }
    },
  );

  r.patch(
    '/filters/:id',
    {
      schema: {
        tags,
        operationId: 'updateFilter',
        summary: 'Rename, change the query of, or move a saved filter',
        params: filterParams,
        body: updateFilterBody,
        response: {
          200: json(filterSchema, 'The saved filter after the change'),
          ...errors(400, 401, 404, 409),
        },
      },
    },
    async (req) => {
      const user = currentUser(req);
      const { query, ...rest } = req.body;
      const change = query === undefined ? rest : { ...rest, query: checkedQuery(user, query) };
      try {
        const [row] = await db
          .update(savedFilters)
          .set({ ...change, updatedAt: clock.now() })
          .where(and(eq(savedFilters.id, req.params.id), eq(savedFilters.userId, user.id)))
          .returning();
        if (!row) throw new DomainError('FILTER_NOT_FOUND');
        return toFilterDto(row);
      } catch (err) {
        if (isUniqueViolation(err)) throw new DomainError('FILTER_NAME_TAKEN');
        throw err;
      }
    },
  );

  r.delete(
    '/filters/:id',
    {
      schema: {
        tags,
        operationId: 'deleteFilter',
        summary: 'Delete a saved filter (its tasks are untouched)',
        params: filterParams,
        response: { 204: noContent('Deleted'), ...errors(400, 401, 404) },
      },
    },
    async (req, reply) => {
      const user = currentUser(req);
      const [gone] = await db
        .delete(savedFilters)
        .where(and(eq(savedFilters.id, req.params.id), eq(savedFilters.userId, user.id)))
        .returning({ id: savedFilters.id });
      if (!gone) throw new DomainError('FILTER_NOT_FOUND');
      return reply.code(204).send();
    },
  );
}
