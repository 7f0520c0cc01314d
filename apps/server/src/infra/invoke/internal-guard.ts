import { randomBytes, timingSafeEqual } from 'node:crypto';
import { DomainError } from '@taskstream/core';
import type { FastifyRequest } from 'fastify';

/** Header the in-process invoker sets; its value is a per-process secret that never leaves the process. */
export const inProcessHeader = 'x-taskstream-internal';

function safeEqual(a: string | string[] | undefined, b: string): boolean {
  if (typeof a !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Decides who may call internal routes (`/internal/*`) and the Dapr-facing routes (`/dapr/*`): only this
 * process (the in-process invoker) and the Dapr sidecar. The sidecar is recognised by `dapr-api-token`
 * = APP_API_TOKEN when that is configured; without it, by a loopback peer address (the sidecar shares the
 * pod's network namespace). The peer address is read from the socket, never from X-Forwarded-For.
 * Without Dapr, loopback is not trusted: a local reverse proxy would make every client look local.
 */
export class InternalCallGuard {
  readonly inProcessToken = randomBytes(24).toString('base64url');

  constructor(private readonly opts: { sidecar: boolean; appApiToken: string | undefined }) {}

  isInProcess(request: FastifyRequest): boolean {
    return safeEqual(request.headers[inProcessHeader], this.inProcessToken);
  }

  isSidecar(request: FastifyRequest): boolean {
    if (!this.opts.sidecar) return false;
    if (this.opts.appApiToken) return safeEqual(request.headers['dapr-api-token'], this.opts.appApiToken);
    return loopback.has(request.socket.remoteAddress ?? '');
  }

  /** preHandler for internal routes. */
  readonly requireInternal = async (request: FastifyRequest): Promise<void> => {
    if (!this.isInProcess(request) && !this.isSidecar(request)) {
      throw new DomainError('FORBIDDEN', 'Internal route: only the Dapr sidecar or this process may call it');
    }
  };

  /** preHandler for Dapr-facing routes (subscriptions, job and binding callbacks). */
  readonly requireSidecar = async (request: FastifyRequest): Promise<void> => {
    if (!this.isSidecar(request) && !this.isInProcess(request)) {
      throw new DomainError('FORBIDDEN', 'Only the Dapr sidecar may call this route');
    }
  };
}
