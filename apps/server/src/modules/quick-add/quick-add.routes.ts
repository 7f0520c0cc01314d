import { assertTimeZone, parseQuickAdd, type QuickAddResult } from '@taskstream/core';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../infra/clock/clock.ts';
import type { Db } from '../../infra/db/db.ts';
import { lists } from '../../infra/db/schema.ts';
import { currentUser } from '../../plugins/authenticate.ts';
import { writeContext } from '../tasks/tasks.routes.ts';
import { type CreateTaskBody, createTaskBody } from '../tasks/tasks.schemas.ts';
import type { TasksService } from '../tasks/tasks.service.ts';

const quickBody = z
  .object({
    text: z.string().trim().min(1).max(2000),
    tz: z.string().min(1).max(64).optional().describe("IANA zone the text is read in; default the user's"),
  })
  .strict();

/** Finds the user's list by name (case-insensitive), creating it when the text names a new one. */
async function listIdByName(db: Db, userId: string, name: string): Promise<string> {
  const trimmed = name.trim().slice(0, 100);
  const find = () =>
    db
      .select({ id: lists.id })
      .from(lists)
      .where(and(eq(lists.userId, userId), sql`lower(${lists.name}) = lower(${trimmed})`))
      .limit(1);
  const [found] = await find();
  if (found) return found.id;
  await db.insert(lists).values({ userId, name: trimmed }).onConflictDoNothing();
  const [created] = await find();
  return created!.id;
}

/** Turns a parse into the body of `POST /tasks`, so quick add goes through the same validation. */
export function taskBodyFromParse(parse: QuickAddResult, text: string): Omit<CreateTaskBody, 'list_id'> {
  return {
    title: (parse.title || text).slice(0, 500),
    ...(parse.description ? { description: parse.description } : {}),
    ...(parse.priority ? { priority: parse.priority } : {}),
    tags: parse.tags,
    ...(parse.due
      ? {
          due: {
            at: parse.due.time ? `${parse.due.date}T${parse.due.time}` : parse.due.date,
            tz: parse.due.tz,
            all_day: parse.due.all_day,
          },
        }
      : {}),
    ...(parse.recurrence ? { recurrence: parse.recurrence } : {}),
    ...(parse.reminders.length ? { reminders: parse.reminders } : {}),
  };
}

/** Natural-language quick add (`POST /tasks/quick`) and a dry-run parse (`POST /parse`) for live previews. */
export async function quickAddRoutes(
  app: FastifyInstance,
  opts: { db: Db; clock: Clock; tasks: TasksService },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', app.requireUser);

  const parse = (text: string, tz: string | undefined, userTz: string) =>
    parseQuickAdd(text, { now: opts.clock.now(), timeZone: assertTimeZone(tz ?? userTz, 'body.tz') });

  r.post(
    '/tasks/quick',
    { schema: { tags: ['tasks'], summary: 'Create a task from natural-language text', body: quickBody } },
    async (req, reply) => {
      const user = currentUser(req);
      const parsed = parse(req.body.text, req.body.tz, user.timeZone);
      const candidate = taskBodyFromParse(parsed, req.body.text);
      const body = createTaskBody.parse({
        ...candidate,
        ...(parsed.list ? { list_id: await listIdByName(opts.db, user.id, parsed.list) } : {}),
      });
      const task = await opts.tasks.create(writeContext(req), body);
      return reply.code(201).send({ ...task, parse: parsed });
    },
  );

  r.post(
    '/parse',
    {
      schema: { tags: ['tasks'], summary: 'Parse quick-add text without creating anything', body: quickBody },
    },
    async (req) => parse(req.body.text, req.body.tz, currentUser(req).timeZone),
  );
}
