import { z } from 'zod';
import { errorBody } from './error-handler.ts';

/**
 * Building blocks for route `response` schemas. A response schema both documents the route and serialises
 * its reply (fastify-type-provider-zod), so it must describe exactly what the handler sends.
 */

/** A JSON response with a description of its own (a shared component's would say the same everywhere). */
export function json<S extends z.ZodType>(schema: S, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

/**
 * A UTC instant as replies write it (`Date#toISOString`), documented as `date-time`. The format is not checked
 * on the way out: a stored date outside what the pattern expects (a five-digit year) must not make a 500.
 */
export const instant = () => z.string().meta({ format: 'date-time' });

/** A 204 with no body. */
export const noContent = (description: string) => z.undefined().describe(description);

const errorDescriptions = {
  // any route: the input guard refuses text the database can't store in a query, path or body
  400: 'The request is not valid; `details` names each field that was wrong',
  401: 'No valid session cookie, bearer session token or personal access token',
  404: 'Not found, or not yours',
  409: 'Conflicts with the current state',
  412: 'If-Match names an older version of the task (VERSION_MISMATCH); refetch and retry',
  429: 'Too many requests; retry later',
  503: 'A dependency is unavailable; retry later',
} as const;
type ErrorStatus = keyof typeof errorDescriptions;

type ErrorResponse = ReturnType<typeof json<typeof errorBody>>;

/** The error shape, documented (and serialised) for each status a route can answer with. */
export function errors<S extends ErrorStatus>(...statuses: S[]): { [K in S]: ErrorResponse } {
  const out = {} as { [K in S]: ErrorResponse };
  for (const status of statuses) out[status] = json(errorBody, errorDescriptions[status]);
  return out;
}
