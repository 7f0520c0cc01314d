import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentUser } from '../../plugins/authenticate.ts';
import { parseIfMatch, writeContext } from '../tasks/tasks.routes.ts';
import { taskIdParams } from '../tasks/tasks.schemas.ts';
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
        querystring: occurrencesQuery,
      },
    },
    (req) => recurring.occurrences(currentUser(req), req.params.id, req.query.count),
  );

  r.post(
    '/tasks/:id/skip',
    {
      schema: {
        tags,
        summary: 'Move a recurring task to its next occurrence without completing it (If-Match supported)',
        params: taskIdParams,
      },
    },
    (req) => recurring.skip(writeContext(req), req.params.id, parseIfMatch(req)),
  );

  r.get(
    '/tasks/:id/series',
    {
      schema: {
        tags,
        summary: 'Every occurrence of the series, with completion times',
        params: taskIdParams,
      },
    },
    (req) => recurring.series(currentUser(req), req.params.id),
  );
}
