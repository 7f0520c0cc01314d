import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';
import { type InternalCallGuard, inProcessHeader } from '../infra/invoke/internal-guard.ts';

/**
 * Request loggers for in-process sub-requests (the invoker's `inject()`, e.g. an MCP tool calling the API)
 * log at warn unless debug is on: the request that caused them is logged already, and their URLs carry what
 * the user typed (a chat message turned into `?q=`), which must not reach info-level logs.
 */
export function quietInProcessRequests(
  guard: InternalCallGuard,
): NonNullable<FastifyServerOptions['childLoggerFactory']> {
  return function childLogger(logger, bindings, opts, rawReq) {
    const child = logger.child(bindings, opts) as FastifyBaseLogger;
    if (
      rawReq.headers[inProcessHeader] === guard.inProcessToken &&
      !['debug', 'trace'].includes(logger.level)
    ) {
      child.level = 'warn';
    }
    return child;
  };
}
