import { DomainError } from '@taskstream/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ensureTraceparent } from '../../infra/events/cloud-event.ts';
import { currentUser } from '../../plugins/authenticate.ts';
import { taskListFilter } from './tasks.filter.ts';
import { createTaskBody, listTasksQuery, taskIdParams, updateTaskBody } from './tasks.schemas.ts';
import type { TasksService, WriteContext } from './tasks.service.ts';

/** `If-Match: 3`, `"3"` or `W/"3"` → 3; absent → undefined; anything else is a client error. */
export function parseIfMatch(request: FastifyRequest): number | undefined {
  const raw = request.headers['if-match'];
  if (raw === undefined) return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(String(raw));
  if (!m) {
    throw new DomainError('VALIDATION_FAILED', 'Invalid If-Match header', [
      { path: 'headers.if-match', message: 'must be the task version, e.g. If-Match: 3' },
    ]);
  }
  return Number(m[1]);
}

export function writeContext(request: FastifyRequest): WriteContext {
  const tp = request.headers.traceparent;
  return {
    user: currentUser(request),
    traceparent: ensureTraceparent(typeof tp === 'string' ? tp : undefined),
  };
}

export async function tasksRoutes(app: FastifyInstance, opts: { tasks: TasksService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { tasks } = opts;
  const tags = ['tasks'];
  r.addHook('preHandler', app.requireUser);

  r.post(
    '/tasks',
    { schema: { tags, summary: 'Create a task', body: createTaskBody } },
    async (req, reply) => {
      const task = await tasks.create(writeContext(req), req.body);
      return reply.code(201).send(task);
    },
  );

  r.get(
    '/tasks',
    { schema: { tags, summary: 'List, search, filter and sort tasks', querystring: listTasksQuery } },
    (req) => {
      const user = currentUser(req);
      // `status` counts as given only when the client sent it, not when the schema defaulted it
      const statusGiven = new URLSearchParams(req.url.split('?')[1] ?? '').has('status');
      const { query, condition } = taskListFilter(req.query, user, tasks.now(), statusGiven);
      return tasks.list(user, query, condition);
    },
  );

  r.get('/tasks/:id', { schema: { tags, summary: 'Get a task', params: taskIdParams } }, (req) =>
    tasks.get(currentUser(req), req.params.id),
  );

  r.patch(
    '/tasks/:id',
    {
      schema: {
        tags,
        summary: 'Update a task (partial; If-Match for optimistic concurrency)',
        params: taskIdParams,
        body: updateTaskBody,
      },
    },
    (req) => tasks.update(writeContext(req), req.params.id, req.body, parseIfMatch(req)),
  );

  r.delete(
    '/tasks/:id',
    { schema: { tags, summary: 'Move a task to the trash', params: taskIdParams } },
    async (req, reply) => {
      await tasks.remove(writeContext(req), req.params.id, parseIfMatch(req));
      return reply.code(204).send();
    },
  );

  r.post(
    '/tasks/:id/restore',
    { schema: { tags, summary: 'Restore from the trash', params: taskIdParams } },
    (req) => tasks.restore(writeContext(req), req.params.id, parseIfMatch(req)),
  );
  r.post(
    '/tasks/:id/complete',
    { schema: { tags, summary: 'Complete a task', params: taskIdParams } },
    (req) => tasks.complete(writeContext(req), req.params.id, parseIfMatch(req)),
  );
  r.post(
    '/tasks/:id/reopen',
    { schema: { tags, summary: 'Reopen a completed task', params: taskIdParams } },
    (req) => tasks.reopen(writeContext(req), req.params.id, parseIfMatch(req)),
  );
}
