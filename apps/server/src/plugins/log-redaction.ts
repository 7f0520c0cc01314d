import type { FastifyRequest } from 'fastify';

/**
 * Query parameters that carry a credential (WebSocket clients send their token as `?access_token=`) or what
 * the user typed (`q`, `filter`: task contents stay out of the logs).
 */
const secretParams = /([?&](?:access_token|token|q|filter)=)[^&#]*/gi;

/** A URL as it may be logged: credential and search parameters replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  return url.replace(secretParams, '$1[redacted]');
}

/**
 * Pino's `req` serializer for Fastify's request logs: Fastify's own fields, with the URL redacted. Headers
 * (Authorization, Cookie) are never logged.
 */
export function logRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
