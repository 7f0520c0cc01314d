import { DomainError } from '@taskstream/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/** Deeper JSON than this is refused: no request of the API nests more than a few levels. */
export const maxJsonDepth = 32;
/** Longer arrays than this are refused anywhere in a body (the largest real array, tags, is far below). */
export const maxArrayLength = 10_000;

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface InputProblem {
  path: string;
  message: string;
}

/**
 * Why PostgreSQL could not store this string, or undefined when it can. `text` refuses U+0000, and a lone
 * UTF-16 surrogate can't be encoded as UTF-8 at all (the driver would send U+FFFD or fail), so either
 * would end as a 500 or as silently altered data.
 *
 * Bidi controls (U+202A–U+202E, U+2066–U+2069) are accepted: they are storable and legitimate in
 * right-to-left text, and refusing them would refuse real users' titles. Clients render user text as
 * text (never as HTML), and the web app isolates it (`dir="auto"`), so an override can't reorder the UI.
 */
export function unstorableReason(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (loneSurrogate.test(value)) return 'must not contain a lone UTF-16 surrogate';
  return undefined;
}

/**
 * Walks a parsed JSON value (or a query/params object) and lists what the database can't store or what is
 * out of bounds: unstorable strings and object keys, nesting deeper than `maxJsonDepth`, arrays longer
 * than `maxArrayLength`, non-finite numbers. The walk stops at the depth limit, so it is bounded too.
 */
export function findInputProblems(value: unknown, root: string, limit = 20): InputProblem[] {
  const problems: InputProblem[] = [];
  const visit = (v: unknown, path: string, depth: number): void => {
    if (problems.length >= limit) return;
    if (typeof v === 'string') {
      const reason = unstorableReason(v);
      if (reason) problems.push({ path, message: reason });
      return;
    }
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) problems.push({ path, message: 'must be a finite number' });
      return;
    }
    if (v === null || typeof v !== 'object') return;
    if (depth >= maxJsonDepth) {
      problems.push({ path, message: `nests deeper than ${maxJsonDepth} levels` });
      return;
    }
    if (Array.isArray(v)) {
      if (v.length > maxArrayLength) {
        problems.push({ path, message: `must have at most ${maxArrayLength} items` });
        return;
      }
      for (const [i, item] of v.entries()) visit(item, `${path}.${i}`, depth + 1);
      return;
    }
    for (const [key, item] of Object.entries(v)) {
      const keyReason = unstorableReason(key);
      if (keyReason) {
        problems.push({ path, message: `a property name ${keyReason}` });
        continue;
      }
      visit(item, `${path}.${key}`, depth + 1);
    }
  };
  visit(value, root, 0);
  return problems;
}

function checkRequest(request: FastifyRequest): void {
  const problems = [
    ...findInputProblems(request.params, 'params'),
    ...findInputProblems(request.query, 'query'),
    ...findInputProblems(request.body, 'body'),
  ];
  if (problems.length > 0)
    throw new DomainError('VALIDATION_FAILED', 'The request contains values that cannot be stored', problems);
}

/**
 * One guard for every route, in front of schema validation: a request whose params, query or body hold a
 * string PostgreSQL can't store, absurd nesting or array sizes, gets a 400 naming the field — whatever the
 * route's own schema says. It also lets bodiless POSTs (complete, reopen, …) arrive with any Content-Type.
 */
export const inputGuardPlugin = fp(
  async (app: FastifyInstance) => {
    // Many HTTP clients send `Content-Type: application/json` (or a form type) on every request. Without
    // a body there is nothing to parse, so the header is dropped before Fastify picks a parser; a route that
    // needs a body still answers 400 from its schema.
    app.addHook('onRequest', async (request) => {
      const h = request.raw.headers;
      if (h['content-type'] !== undefined && h['transfer-encoding'] === undefined) {
        if (h['content-length'] === undefined || h['content-length'] === '0') delete h['content-type'];
      }
    });
    app.addHook('preValidation', async (request) => checkRequest(request));
  },
  { name: 'input-guard', dependencies: ['error-handler'] },
);
