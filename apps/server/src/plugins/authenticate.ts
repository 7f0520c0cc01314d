import { createHash } from 'node:crypto';
import { DomainError } from '@taskstream/core';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../infra/db/db.ts';
import { apiTokens, sessions, users } from '../infra/db/schema.ts';
import type { Auth } from '../modules/auth/auth.ts';

/** Which kind of client made a request; recorded with the events it causes. */
export type ClientKind = 'web' | 'api' | 'assistant';

export interface AuthUser {
  id: string;
  timeZone: string;
  client: ClientKind;
}

declare module 'fastify' {
  interface FastifyRequest {
    authUser: AuthUser | null;
  }
  interface FastifyInstance {
    /** preHandler for routes that need a signed-in user */
    requireUser: (request: FastifyRequest) => Promise<void>;
  }
}

export const tokenPrefix = 'tsk_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Reads the token from `Authorization: Bearer`, or from `?access_token=` (WebSocket clients can't set headers). */
function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    return m?.[1];
  }
  const q = request.query as Record<string, unknown> | undefined;
  return typeof q?.access_token === 'string' ? q.access_token : undefined;
}

/**
 * Resolves the user of a request: a personal access token (`tsk_…`), a session token as bearer, or the
 * better-auth session cookie. A request with an invalid credential is rejected, not treated as anonymous.
 */
export const authenticatePlugin = fp(
  async (app: FastifyInstance, opts: { db: Db; auth: Auth }) => {
    const { db, auth } = opts;
    app.decorateRequest('authUser', null);

    async function resolve(request: FastifyRequest): Promise<AuthUser | null> {
      const token = bearerToken(request);
      if (token) {
        if (token.startsWith(tokenPrefix)) {
          const [row] = await db
            .select({ id: users.id, timeZone: users.timeZone, tokenId: apiTokens.id })
            .from(apiTokens)
            .innerJoin(users, eq(users.id, apiTokens.userId))
            .where(eq(apiTokens.tokenHash, hashToken(token)))
            .limit(1);
          if (!row) return null;
          return { id: row.id, timeZone: row.timeZone, client: 'api' };
        }
        // better-auth's bearer plugin hands out the session token; signed form is "<token>.<signature>"
        const raw = token.includes('.') ? token.slice(0, token.indexOf('.')) : token;
        const [row] = await db
          .select({ id: users.id, timeZone: users.timeZone })
          .from(sessions)
          .innerJoin(users, eq(users.id, sessions.userId))
          // better-auth stamps sessions with real time, so expiry is checked against the database clock
          .where(and(eq(sessions.token, raw), gt(sessions.expiresAt, sql`now()`)))
          .limit(1);
        return row ? { id: row.id, timeZone: row.timeZone, client: 'api' } : null;
      }
      if (!request.headers.cookie) return null;
      const headers = new Headers();
      headers.set('cookie', request.headers.cookie);
      const session = await auth.api.getSession({ headers });
      if (!session) return null;
      const tz = (session.user as { timeZone?: string }).timeZone ?? 'UTC';
      return { id: session.user.id, timeZone: tz, client: 'web' };
    }

    app.decorate('requireUser', async (request: FastifyRequest) => {
      const user = await resolve(request);
      if (!user) throw new DomainError('UNAUTHENTICATED');
      const declared = request.headers['x-taskstream-client'];
      if (declared === 'assistant' || declared === 'web' || declared === 'api') user.client = declared;
      request.authUser = user;
    });
  },
  { name: 'authenticate' },
);

/** The signed-in user of a route guarded by `requireUser`. */
export function currentUser(request: FastifyRequest): AuthUser {
  if (!request.authUser) throw new DomainError('UNAUTHENTICATED');
  return request.authUser;
}
