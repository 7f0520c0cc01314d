import { assertTimeZone, parseQuickAdd, priorities, type QuickAddResult } from '@taskstream/core';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../infra/clock/clock.ts';
import type { Db } from '../../infra/db/db.ts';
import { lists } from '../../infra/db/schema.ts';
import { currentUser } from '../../plugins/authenticate.ts';
import { errors, json } from '../../plugins/openapi.responses.ts';
import { writeContext } from '../tasks/tasks.routes.ts';
import { type CreateTaskBody, createTaskBody, taskSchema } from '../tasks/tasks.schemas.ts';
import type { TasksService } from '../tasks/tasks.service.ts';

const MAX_IGNORE_RANGES = 50;

const ignoreRange = z
  .object({ start: z.number().int().min(0), end: z.number().int().min(1) })
  .strict()
  .describe('A `[start, end)` range of UTF-16 offsets into `text`');

// The text is not trimmed: `ignore` offsets refer to it exactly as the client sent it.
const quickBody = z
  .object({
    text: z
      .string()
      .max(2000)
      .refine((t) => t.trim() !== '', 'must not be blank'),
    tz: z.string().min(1).max(64).optional().describe("IANA zone the text is read in; default the user's"),
    ignore: z
      .array(ignoreRange)
      .max(MAX_IGNORE_RANGES)
      .optional()
      .describe(
        'Parts of `text` the user made plain title text again: nothing overlapping them is recognised',
      ),
  })
  .strict()
  .superRefine((body, ctx) => {
    body.ignore?.forEach((r, k) => {
      if (r.end <= r.start)
        ctx.addIssue({ code: 'custom', path: ['ignore', k, 'end'], message: 'must be greater than start' });
      else if (r.end > body.text.length)
        ctx.addIssue({
          code: 'custom',
          path: ['ignore', k, 'end'],
          message: `must not exceed the text length (${body.text.length})`,
        });
    });
  });

type QuickBody = z.infer<typeof quickBody>;

/** What the core parser recognised (`QuickAddResult`): due date as wall-clock time in `tz`, spans as offsets. */
const quickAddParse = z
  .object({
    title: z.string(),
    description: z.string().optional(),
    due: z
      .object({
        date: z.string().describe('YYYY-MM-DD'),
        time: z.string().optional().describe('HH:MM, wall-clock time in `tz`'),
        tz: z.string(),
        all_day: z.boolean(),
      })
      .optional(),
    recurrence: z.object({ rrule: z.string(), mode: z.enum(['due', 'completion']) }).optional(),
    priority: z.enum(priorities).optional(),
    tags: z.array(z.string()),
    list: z.string().optional().describe('list name; created when the user has none by that name'),
    reminders: z.array(z.union([z.object({ before: z.string() }), z.object({ at: z.string() })])),
    spans: z
      .array(
        z.object({
          start: z.number().int(),
          end: z.number().int(),
          // a string, not an enum: a kind the parser learns must not break the reply
          kind: z.string().describe('date, time, recurrence, priority, tag, list, description or reminder'),
        }),
      )
      .describe('recognised phrases, as `[start, end)` UTF-16 offsets into `text`'),
    warnings: z
      .array(z.string())
      .optional()
      .describe('phrases understood but not representable; they stay in the title'),
  })
  .meta({
    id: 'QuickAddParse',
    description: 'What quick add recognised in the text (here: "Call mom friday at 5pm !!3 #family")',
    examples: [
      {
        title: 'Call mom',
        due: { date: '2026-12-04', time: '17:00', tz: 'Europe/Paris', all_day: false },
        priority: 'medium',
        tags: ['family'],
        reminders: [],
        spans: [
          { start: 9, end: 15, kind: 'date' },
          { start: 16, end: 22, kind: 'time' },
          { start: 23, end: 26, kind: 'priority' },
          { start: 27, end: 34, kind: 'tag' },
        ],
      },
    ],
  });

const quickAddedTask = taskSchema
  .extend({ parse: quickAddParse })
  .meta({ id: 'QuickAddedTask', description: 'The created task, with what quick add recognised' });

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
    title: (parse.title || text.trim()).slice(0, 500),
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

  const parse = (body: QuickBody, userTz: string) =>
    parseQuickAdd(body.text, {
      now: opts.clock.now(),
      timeZone: assertTimeZone(body.tz ?? userTz, 'body.tz'),
      ...(body.ignore ? { ignore: body.ignore } : {}),
    });

  r.post(
    '/tasks/quick',
    {
      schema: {
        tags: ['tasks'],
        operationId: 'quickAddTask',
        summary: 'Create a task from natural-language text',
        body: quickBody,
        response: { 201: json(quickAddedTask, 'The created task'), ...errors(400, 401) },
      },
    },
    async (req, reply) => {
      const user = currentUser(req);
      const parsed = parse(req.body, user.timeZone);
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
      schema: {
        tags: ['tasks'],
        operationId: 'parseQuickAdd',
        summary: 'Parse quick-add text without creating anything (live previews)',
        body: quickBody,
        response: { 200: json(quickAddParse, 'What the text would create'), ...errors(400, 401) },
      },
    },
    async (req) => parse(req.body, currentUser(req).timeZone),
  );
}
