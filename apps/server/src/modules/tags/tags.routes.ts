import { and, eq, isNull, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../infra/db/db.ts';
import { tasks } from '../../infra/db/schema.ts';
import { currentUser } from '../../plugins/authenticate.ts';

export async function tagsRoutes(app: FastifyInstance, opts: { db: Db }) {
  app.addHook('preHandler', app.requireUser);
  app.get(
    '/tags',
    { schema: { tags: ['tasks'], summary: 'Tags in use, with task counts (trash excluded)' } },
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
