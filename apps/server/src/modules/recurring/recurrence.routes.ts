import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentUser } from '../../plugins/authenticate.ts';
import { errors, instant, json } from '../../plugins/openapi.responses.ts';
import { parseIfMatch, writeContext } from '../tasks/tasks.routes.ts';
import { ifMatchHeaders, taskIdParams, taskSchema } from '../tasks/tasks.schemas.ts';
import type { RecurringService } from './recurring.service.ts';

const occurrencesQuery = z.object({
  count: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(10)
    .describe('how many upcoming occurrences (1–100)'),
});

const occurrences = z
  .object({
    rrule: z.string(),
    mode: z.enum(['due', 'completion']),
    description: z.string().describe('the rule in words'),
    items: z.array(
      z.object({
        at: instant(),
        local: z.string().describe("wall-clock time in the task's zone (a date for all-day tasks)"),
      }),
    ),
  })
  .meta({
    id: 'Occurrences',
    description: 'Upcoming occurrences of a recurring task',
    examples: [
      {
        rrule: 'FREQ=WEEKLY;BYDAY=MO',
        mode: 'due',
        description: 'every Monday at 09:00',
        items: [{ at: '2026-11-30T08:00:00.000Z', local: '2026-11-30T09:00:00' }],
      },
    ],
  });

const series = z
  .object({
    series_id: z.uuid(),
    items: z.array(
      z.object({
        id: z.uuid(),
        occurrence: z.number().int().nullable(),
        status: z.enum(['open', 'completed']),
        due: instant().nullable(),
        completed_at: instant().nullable(),
        deleted_at: instant().nullable(),
      }),
    ),
  })
  .meta({ id: 'Series', description: 'Every occurrence of a recurring task, oldest first' });

/** Recurrence endpoints under /api/v1 (issue 5 item 2). */
export async function recurrenceRoutes(app: FastifyInstance, opts: { recurring: RecurringService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { recurring } = opts;
  const tags = ['recurrence'];
  r.addHook('preHandler', app.requireUser);

  r.get(
    '/tasks/:id/occurrences',
    {
      schema: {
        tags,
        summary:
          'Upcoming occurrences of a recurring task (what completing it now would bring, then each next one)',
        params: taskIdParams,
        operationId: 'listOccurrences',
        querystring: occurrencesQuery,
        response: { 200: json(occurrences, 'The next occurrences'), ...errors(400, 401, 404, 409) },
      },
    },
    (req) => recurring.occurrences(currentUser(req), req.params.id, req.query.count),
  );

  r.post(
    '/tasks/:id/skip',
    {
      schema: {
        tags,
        operationId: 'skipOccurrence',
        summary: 'Move a recurring task to its next occurrence without completing it (If-Match supported)',
        params: taskIdParams,
        headers: ifMatchHeaders,
        response: {
          200: json(taskSchema, 'The task, moved to its next occurrence'),
          ...errors(400, 401, 404, 409, 412),
        },
      },
    },
    (req) => recurring.skip(writeContext(req), req.params.id, parseIfMatch(req)),
  );

  r.get(
    '/tasks/:id/series',
    {
      schema: {
        tags,
        operationId: 'getSeries',
        summary: 'Every occurrence of the series, with completion times',
        params: taskIdParams,
        response: { 200: json(series, 'The series'), ...errors(400, 401, 404, 409) },
      },
    },
    (req) => recurring.series(currentUser(req), req.params.id),
  );
}
