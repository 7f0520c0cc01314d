import { DomainError } from '@taskstream/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../infra/clock/clock.ts';
import { currentUser } from './authenticate.ts';

/**
 * A per-user fixed-window limit (N requests per minute), for the routes where one user can make the
 * server spend much (a chat turn runs a model; an MCP call fans out into API calls). Kept in memory: each
 * replica limits on its own, which bounds the cost per replica — the purpose here — not a global quota.
 */
export class UserRateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly clock: Clock,
  ) {}

  /** Counts one request of `userId`; false when the limit is spent. */
  take(userId: string): { ok: boolean; retryAfterS: number } {
    const now = this.clock.now().getTime();
    let w = this.windows.get(userId);
    if (!w || now - w.start >= 60_000) {
      w = { start: now, count: 0 };
      this.windows.set(userId, w);
      if (this.windows.size > 10_000) this.sweep(now);
    }
    w.count += 1;
    return {
      ok: w.count <= this.perMinute,
      retryAfterS: Math.max(1, Math.ceil((w.start + 60_000 - now) / 1000)),
    };
  }

  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= 60_000) this.windows.delete(k);
  }

  /** preHandler, after `requireUser`: 429 RATE_LIMITED with Retry-After once the user's minute is spent. */
  readonly preHandler = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const { ok, retryAfterS } = this.take(currentUser(request).id);
    if (!ok) {
      reply.header('retry-after', String(retryAfterS));
      throw new DomainError('RATE_LIMITED', `Too many requests: at most ${this.perMinute} per minute`);
    }
  };
}
