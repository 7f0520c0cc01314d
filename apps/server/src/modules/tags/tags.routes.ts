import { and, eq, isNull, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../infra/db/db.ts';
import { tasks } from '../../infra/db/schema.ts';
import { currentUser } from '../../plugins/authenticate.ts';
import { errors, json } from '../../plugins/openapi.responses.ts';

const tagCounts = z.object({ items: z.array(z.object({ tag: z.string(), count: z.number().int() })) }).meta({
  id: 'TagCounts',
  description: 'Tags in use, most used first',
  examples: [{ items: [{ tag: 'health', count: 3 }] }],
});

export async function tagsRoutes(app: FastifyInstance, opts: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', app.requireUser);
  r.get(
    '/tags',
    {
      schema: {
        tags: ['tasks'],
        operationId: 'listTags',
        summary: 'Tags in use, with task counts (trash excluded)',
        response: {
          200: json(tagCounts, 'Tags with the number of tasks carrying each'),
          ...errors(400, 401),
        },
      },
    },
    async (req) => {
      const user = currentUser(req);
      const rows = await opts.db
        .select({ tag: sql<string>`t.tag`, count: sql<number>`count(*)::int` })
        .from(sql`${tasks} cross join lateral unnest(${tasks.tags}) as t(tag)`)
        .where(and(eq(tasks.userId, user.id), isNull(tasks.deletedAt)))
        .groupBy(sql`t.tag`)
        .orderBy(sql`count(*) desc`, sql`t.tag asc`);
      return { items: rows };
    },
  );
}
