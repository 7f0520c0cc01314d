import { DomainError, type ErrorCode, errorCatalog } from '@taskstream/core';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ZodError, z } from 'zod';

const errorCodes = Object.keys(errorCatalog) as [ErrorCode, ...ErrorCode[]];

/** The one error shape of every route; also the `Error` component of the OpenAPI document. */
export const errorBody = z
  .object({
    error: z.object({
      code: z
        .enum(errorCodes)
        .describe('Stable code from the error catalog: branch on this, not on the message'),
      message: z.string().describe('For people; may change'),
      details: z
        .unknown()
        .optional()
        .describe('For VALIDATION_FAILED: `[{path, message}]`, one entry per field that was wrong'),
    }),
  })
  .meta({
    id: 'Error',
    description: 'An error',
    examples: [
      {
        error: {
          code: 'VALIDATION_FAILED',
          message: 'The request is not valid',
          details: [{ path: 'body.title', message: 'Too small: expected string to have >=1 characters' }],
        },
      },
    ],
  });
export type ErrorBody = z.output<typeof errorBody>;

export function sendError(reply: FastifyReply, code: ErrorCode, message?: string, details?: unknown) {
  const body: ErrorBody = { error: { code, message: message ?? errorCatalog[code].message } };
  if (details !== undefined) body.error.details = details;
  // Serialised here rather than by the route's response schema: an error always has this one shape, and a
  // route whose schema documents another shape for a status (better-auth's own errors) must not turn a
  // client's mistake into a 500 "response doesn't match the schema".
  return reply.code(errorCatalog[code].status).type('application/json').send(JSON.stringify(body));
}

/** Fastify's own client-error codes, mapped onto the catalog. */
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_RATE_LIMIT: 'RATE_LIMITED',
};

function statusToCode(status: number): ErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 405) return 'METHOD_NOT_ALLOWED';
  if (status === 409) return 'CONFLICT';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  if (status === 429) return 'RATE_LIMITED';
  return 'BAD_REQUEST';
}

/**
 * One JSON error shape for every route. Client mistakes keep their 4xx; anything unexpected becomes a
 * 500 with a generic message — never a stack trace.
 */
export const errorHandlerPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((err: FastifyError, request, reply) => {
      if (err instanceof DomainError) return sendError(reply, err.code, err.message, err.details);
      if (hasZodFastifySchemaValidationErrors(err)) {
        const details = err.validation.map((v) => ({
          path: [err.validationContext, ...v.instancePath.split('/').filter(Boolean)].join('.'),
          message: v.message ?? 'invalid',
        }));
        return sendError(reply, 'VALIDATION_FAILED', 'The request is not valid', details);
      }
      // a schema applied inside a handler (e.g. quick add building a task body)
      if ((err as unknown) instanceof ZodError) {
        const details = (err as unknown as ZodError).issues.map((i) => ({
          path: i.path.join('.'),
          message: i.message,
        }));
        return sendError(reply, 'VALIDATION_FAILED', 'The request is not valid', details);
      }
      const mapped = err.code ? fastifyCodes[err.code] : undefined;
      if (mapped) return sendError(reply, mapped, err.message);
      const status = err.statusCode ?? 500;
      if (status >= 400 && status < 500) return sendError(reply, statusToCode(status), err.message);
      request.log.error({ err }, 'unhandled error');
      return sendError(reply, 'INTERNAL');
    });
    app.setNotFoundHandler((request, reply) =>
      sendError(reply, 'NOT_FOUND', `Route ${request.method} ${request.url.split('?')[0]} not found`),
    );
  },
  { name: 'error-handler' },
);
