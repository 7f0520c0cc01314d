import { DomainError } from '@taskstream/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../infra/db/db.ts';
import type { InternalCallGuard } from '../../infra/invoke/internal-guard.ts';
import { type InvokeResponse, type Invoker, InvokeUnavailableError } from '../../infra/invoke/invoke.ts';
import { currentUser } from '../../plugins/authenticate.ts';
import { errors, json } from '../../plugins/openapi.responses.ts';
import { taskIdParams } from '../tasks/tasks.schemas.ts';
import { activityFeed, taskHistory } from './audit.repository.ts';
import { activityPageSchema, taskHistorySchema } from './audit.schemas.ts';

const activityQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(200).optional(),
});

/** Internal routes of the audit role, reached through the service invocation port only. */
export async function auditInternalRoutes(app: FastifyInstance, opts: { db: Db; guard: InternalCallGuard }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', opts.guard.requireInternal);
  const userParams = z.object({ userId: z.string().min(1).max(200) });

  r.get(
    '/users/:userId/tasks/:id/history',
    {
      schema: {
        hide: true,
        params: userParams.extend(taskIdParams.shape),
        response: { 200: json(taskHistorySchema, 'The history'), ...errors(400, 404) },
      },
    },
    (req) => taskHistory(opts.db, req.params.userId, req.params.id),
  );

  r.get(
    '/users/:userId/activity',
    {
      schema: {
        hide: true,
        params: userParams,
        querystring: activityQuery,
        response: { 200: json(activityPageSchema, 'A page of activity'), ...errors(400) },
      },
    },
    (req) => activityFeed(opts.db, req.params.userId, req.query),
  );
}

export const auditInternalPrefix = '/internal/v1/audit';

async function relay(reply: FastifyReply, call: Promise<InvokeResponse>) {
  let res: InvokeResponse;
  try {
    res = await call;
  } catch (err) {
    if (err instanceof InvokeUnavailableError) {
      reply.log.warn({ err }, 'audit role unreachable');
      throw new DomainError('UNAVAILABLE', 'The activity log is unavailable; try again shortly');
    }
    throw err;
  }
  return reply.code(res.status).type('application/json').send(res.body);
}

/**
 * Public history and activity routes (api role). The audit role owns the activity log, so these call it
 * through the invoker: in process in the embedded shape, through Dapr when the roles are separate services.
 */
export async function auditPublicRoutes(app: FastifyInstance, opts: { invoker: Invoker }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.addHook('preHandler', app.requireUser);
  const tags = ['activity'];

  r.get(
    '/tasks/:id/history',
    {
      schema: {
        tags,
        operationId: 'getTaskHistory',
        summary: "A task's changes in order: what changed (field, before, after), when, by which client",
        params: taskIdParams,
        response: { 200: json(taskHistorySchema, 'The history'), ...errors(400, 401, 404, 503) },
      },
    },
    (req, reply) => {
      const user = currentUser(req);
      const path = `${auditInternalPrefix}/users/${encodeURIComponent(user.id)}/tasks/${req.params.id}/history`;
      return relay(reply, opts.invoker.invoke('audit', { method: 'GET', path }));
    },
  );

  r.get(
    '/activity',
    {
      schema: {
        tags,
        operationId: 'listActivity',
        summary: 'Your activity feed, newest first (cursor-paginated)',
        querystring: activityQuery,
        response: { 200: json(activityPageSchema, 'A page of activity'), ...errors(400, 401, 503) },
      },
    },
    (req, reply) => {
      const user = currentUser(req);
      const qs = new URLSearchParams({ limit: String(req.query.limit) });
      if (req.query.cursor) qs.set('cursor', req.query.cursor);
      const path = `${auditInternalPrefix}/users/${encodeURIComponent(user.id)}/activity?${qs}`;
      return relay(reply, opts.invoker.invoke('audit', { method: 'GET', path }));
    },
  );
}
