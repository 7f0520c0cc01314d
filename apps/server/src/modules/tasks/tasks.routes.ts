import { DomainError } from '@taskstream/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { currentUser } from '../../plugins/authenticate.ts';
import { errors, json, noContent } from '../../plugins/openapi.responses.ts';
import { shapedBodySerializer } from '../../plugins/response-serializer.ts';
import { taskListFilter } from './tasks.filter.ts';
import {
  createTaskBody,
  ifMatchHeaders,
  listTasksQuery,
  taskIdParams,
  taskPage,
  taskSchema,
  updateTaskBody,
} from './tasks.schemas.ts';
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
  // the request's trace (plugins/tracing.ts), so the consumers of the write's events continue it
  return { user: currentUser(request), traceparent: request.traceparent };
}

export async function tasksRoutes(
  app: FastifyInstance,
  opts: { tasks: TasksService; checkResponses: boolean },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { tasks } = opts;
  // the reads answer with toTaskDto's output as it is: the hot paths skip Zod's re-encoding of it
  const serializerCompiler = shapedBodySerializer(opts.checkResponses);
  const tags = ['tasks'];
  r.addHook('preHandler', app.requireUser);

  r.post(
    '/tasks',
    {
      schema: {
        tags,
        operationId: 'createTask',
        summary: 'Create a task',
        body: createTaskBody,
        response: { 201: json(taskSchema, 'The created task'), ...errors(400, 401, 404) },
      },
    },
    async (req, reply) => {
      const task = await tasks.create(writeContext(req), req.body);
      return reply.code(201).send(task);
    },
  );

  r.get(
    '/tasks',
    {
      schema: {
        tags,
        operationId: 'listTasks',
        summary: 'List, search, filter and sort tasks (cursor-paginated)',
        querystring: listTasksQuery,
        response: { 200: json(taskPage, 'A page of tasks, in the requested order'), ...errors(400, 401) },
      },
      serializerCompiler,
    },
    (req) => {
      const user = currentUser(req);
      // `status` counts as given only when the client sent it, not when the schema defaulted it
      const statusGiven = new URLSearchParams(req.url.split('?')[1] ?? '').has('status');
      const { query, condition } = taskListFilter(req.query, user, tasks.now(), statusGiven);
      return tasks.list(user, query, condition);
    },
  );

  r.get(
    '/tasks/:id',
    {
      schema: {
        tags,
        operationId: 'getTask',
        summary: 'Get a task',
        params: taskIdParams,
        response: { 200: json(taskSchema, 'The task'), ...errors(400, 401, 404) },
      },
      serializerCompiler,
    },
    (req) => tasks.get(currentUser(req), req.params.id),
  );

  r.patch(
    '/tasks/:id',
    {
      schema: {
        tags,
        operationId: 'updateTask',
        summary: 'Update a task (partial; If-Match for optimistic concurrency)',
        params: taskIdParams,
        headers: ifMatchHeaders,
        body: updateTaskBody,
        response: { 200: json(taskSchema, 'The task after the change'), ...errors(400, 401, 404, 412) },
      },
    },
    (req) => tasks.update(writeContext(req), req.params.id, req.body, parseIfMatch(req)),
  );

  r.delete(
    '/tasks/:id',
    {
      schema: {
        tags,
        operationId: 'deleteTask',
        summary: 'Move a task to the trash (restorable)',
        params: taskIdParams,
        headers: ifMatchHeaders,
        response: { 204: noContent('In the trash'), ...errors(400, 401, 404, 412) },
      },
    },
    async (req, reply) => {
      await tasks.remove(writeContext(req), req.params.id, parseIfMatch(req));
      return reply.code(204).send();
    },
  );

  r.post(
    '/tasks/:id/restore',
    {
      schema: {
        tags,
        operationId: 'restoreTask',
        summary: 'Restore a task from the trash',
        params: taskIdParams,
        headers: ifMatchHeaders,
        response: { 200: json(taskSchema, 'The restored task'), ...errors(400, 401, 404, 412) },
      },
    },
    (req) => tasks.restore(writeContext(req), req.params.id, parseIfMatch(req)),
  );
  r.post(
    '/tasks/:id/complete',
    {
      schema: {
        tags,
        operationId: 'completeTask',
        summary: 'Complete a task (a recurring one brings its next occurrence)',
        params: taskIdParams,
        headers: ifMatchHeaders,
        response: { 200: json(taskSchema, 'The completed task'), ...errors(400, 401, 404, 412) },
      },
    },
    (req) => tasks.complete(writeContext(req), req.params.id, parseIfMatch(req)),
  );
  r.post(
    '/tasks/:id/reopen',
    {
      schema: {
        tags,
        operationId: 'reopenTask',
        summary: 'Reopen a completed task',
        params: taskIdParams,
        headers: ifMatchHeaders,
        response: { 200: json(taskSchema, 'The reopened task'), ...errors(400, 401, 404, 412) },
      },
    },
    (req) => tasks.reopen(writeContext(req), req.params.id, parseIfMatch(req)),
  );
}
